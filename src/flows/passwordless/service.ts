// Rules of passwordless sign-in by SMS: who gets a code, send limits, verification, sign-up.
import type { User, UsersRepo } from '../../db/users.ts';
import type { SmsCodeMethod } from '../../methods/sms-code/index.ts';
import type { DeliveryStatus } from '../../methods/sms-code/step.ts';
import { languageRegion } from '../../i18n/regions.ts';
import { examplePhone, parsePhoneInput } from '../../phone.ts';
import type { SmsConnection, SmsConnectionStore } from '../../settings/sms-connection.ts';
import type { LanguageHints } from '../../sms/templates/language.ts';
import type { FlowState } from '../state/store.ts';
import type { PasswordlessState } from './state.ts';

/** The flow's state store: Interaction-backed on the hosted screens, server-side for an API; its flow id binds the codes. */
export type PasswordlessFlow = FlowState<PasswordlessState>;

export interface PasswordlessDeps {
  connection: SmsConnectionStore;
  /** Whether an SMS account exists and is verified (unverified accounts count as not configured). */
  /** Whether a send for this app would find an account (its grants plus the general resources). */
  accountReady: (accountId: string, clientId?: string | null) => Promise<boolean>;
  smsCode: SmsCodeMethod;
  users: UsersRepo;
  /** The user field holding the phone number (the SMS factor's mapping; `phone_number` by default). */
  phoneField: () => Promise<string>;
}

export interface RequestContext {
  ip: string;
  hints: LanguageHints;
  applicationName?: string;
  /** The app signing in: the SMS account-selection pipeline uses its grants. */
  clientId?: string;
}

export type SendOutcome =
  | { ok: true; state: PasswordlessState }
  | { ok: false; reason: 'no_flow' }
  | { ok: false; reason: 'invalid_number' | 'not_mobile' | 'country_not_allowed'; country?: string | null }
  | { ok: false; reason: 'wait'; waitSeconds: number };

export type VerifyOutcome = { ok: true; user: User } | { ok: false; reason: 'wrong_code' | 'format' } | { ok: false; reason: 'no_flow' } | { ok: false; reason: 'throttled'; waitSeconds: number };

const PURPOSE = 'login' as const;

const limitSettings = (c: SmsConnection) => ({ resendCooldownSeconds: c.resendCooldownSeconds, perPhonePerHour: c.perPhonePerHour, perIpPerHour: c.perIpPerHour });
const codeSettings = (c: SmsConnection) => ({ length: c.codeLength, lifetimeSeconds: c.codeLifetimeSeconds, maxAttempts: c.maxAttempts });

export function createPasswordlessService(deps: PasswordlessDeps) {
  const { connection, smsCode, users } = deps;

  /** Texts a code when the number is due one (known user, or sign-ups on); otherwise a decoy with identical answers. */
  async function issueAndSend(c: SmsConnection, flow: PasswordlessFlow, phone: string, ctx: RequestContext): Promise<SendOutcome> {
    const flowId = flow.flowId;
    const found = await users.findByPhone(phone, await deps.phoneField());
    const user = found && !found.disabled ? found : undefined;
    const signup = !found && c.signups;
    const sent = await smsCode.send({
      purpose: PURPOSE,
      template: signup ? 'signup' : 'login',
      flowId,
      phone,
      deliver: Boolean(user) || signup,
      code: codeSettings(c),
      limits: limitSettings(c),
      ip: ctx.ip,
      hints: { ...ctx.hints, userLocale: user?.locale ?? null },
      accountId: c.accountId ?? undefined,
      clientId: ctx.clientId,
      applicationName: ctx.applicationName,
      user: user ? { name: user.name, login: user.username ?? user.email, locale: user.locale } : null,
    });
    if (!sent.ok) return { ok: false, reason: 'wait', waitSeconds: sent.waitSeconds };
    const state: PasswordlessState = { phone, userId: user?.id ?? null, signup, messageId: sent.messageId, language: sent.language, resendAt: sent.resendAt };
    await flow.write(state);
    return { ok: true, state };
  }

  /** The code against the flow's; then the user it signs in (or up), re-read so a disabled account fails like a wrong code. */
  async function check(flowId: string, state: PasswordlessState, input: string, ip?: string, clientId?: string | null): Promise<VerifyOutcome> {
    const c = await connection.get();
    const result = await smsCode.verify({ purpose: PURPOSE, flowId, phone: state.phone, input, length: c.codeLength, ip, userId: state.userId, clientId });
    if (!result.ok) return result;
    const field = await deps.phoneField();
    if (state.userId) {
      const user = await users.findById(state.userId);
      if (!user || user.disabled) return { ok: false, reason: 'wrong_code' };
      if (field === 'phone_number' && !user.phoneNumberVerified) await users.markPhoneVerified(user.id);
      return { ok: true, user };
    }
    if (!state.signup) return { ok: false, reason: 'wrong_code' };
    const existing = await users.findByPhone(state.phone, field);
    if (existing) return existing.disabled ? { ok: false, reason: 'wrong_code' } : { ok: true, user: existing };
    const user = await users.create(
      field === 'phone_number'
        ? { phoneNumber: state.phone, phoneNumberVerified: true, locale: state.language }
        : { customAttributes: { [field]: state.phone }, locale: state.language },
    );
    return { ok: true, user };
  }

  return {
    async availableFor(clientId: string): Promise<boolean> {
      const c = await connection.get();
      return c.enabled && c.accountId !== null && c.clientIds.includes(clientId) && (await deps.accountReady(c.accountId, clientId));
    },

    settings: () => connection.get(),

    /** The example number a phone field shows: in the connection's default country, else the screen language's region. */
    async exampleNumber(lang: string): Promise<string> {
      return examplePhone((await connection.get()).defaultCountry ?? languageRegion(lang));
    },

    /**
     * Whether the code screen may show delivery status. With sign-ups off an unknown number holds a decoy, whose
     * status could never turn into "not delivered" as a real send's can: then no status is shown to anyone.
     */
    async deliveryStatus(): Promise<DeliveryStatus> {
      return (await connection.get()).signups ? 'shown' : 'hidden';
    },

    /** Parses the typed number, then texts a code (or stores a decoy) bound to the flow and saves the flow's state. */
    async sendCode(flow: PasswordlessFlow, phoneInput: string, ctx: RequestContext): Promise<SendOutcome> {
      const c = await connection.get();
      const parsed = parsePhoneInput(phoneInput, { defaultCountry: c.defaultCountry, allowedCountries: c.allowedCountries });
      if (!parsed.ok) return { ok: false, reason: parsed.reason, country: c.defaultCountry };
      return issueAndSend(c, flow, parsed.e164, ctx);
    },

    /** A new code to the flow's number (the earlier one stops working). */
    async resend(flow: PasswordlessFlow, ctx: RequestContext): Promise<SendOutcome> {
      const state = await flow.read();
      if (!state) return { ok: false, reason: 'no_flow' };
      return issueAndSend(await connection.get(), flow, state.phone, ctx);
    },

    async resendWait(state: PasswordlessState, ip: string, flowId: string): Promise<number> {
      return smsCode.resendWait(state.phone, ip, limitSettings(await connection.get()), { purpose: PURPOSE, flowId }, state.resendAt);
    },

    delivery: (state: PasswordlessState) => smsCode.delivery(state.messageId),

    /** Checks the code against the flow's; a right one signs the user in (or up) and ends the flow's state. */
    async verify(flow: PasswordlessFlow, input: string, ip?: string, clientId?: string | null): Promise<VerifyOutcome> {
      const state = await flow.read();
      if (!state) return { ok: false, reason: 'no_flow' };
      const outcome = await check(flow.flowId, state, input, ip, clientId);
      // The code is spent either way; an interaction forgets the state with the save the sign-in makes next.
      if (outcome.ok) {
        if (flow.forgetOnNextSave) flow.forgetOnNextSave();
        else await flow.write(undefined);
      }
      return outcome;
    },
  };
}

export type PasswordlessService = ReturnType<typeof createPasswordlessService>;
