// Rules of the SMS second factor: when it is needed, which number is texted, and verification.
import type { AuditRepo } from '../../db/audit.ts';
import type { SmsFactorRepo } from '../../db/policies.ts';
import type { User, UsersRepo } from '../../db/users.ts';
import type { SmsCodeMethod } from '../../methods/sms-code/index.ts';
import { mfaCodeSettings, readUserPhone } from '../../policies/index.ts';
import { defaultSendLimitSettings } from '../../sms/limits/index.ts';
import type { LanguageHints } from '../../sms/templates/language.ts';
import { AUDIT_PHONE_ENROLLED } from '../decision/decider.ts';
import type { FlowState } from '../state/store.ts';
import type { MfaState } from './state.ts';

/** The second factor's state store (the Interaction on the hosted screens); its flow id binds the codes. */
export type MfaFlow = FlowState<MfaState>;

export interface MfaDeps {
  users: UsersRepo;
  smsFactor: SmsFactorRepo;
  smsCode: SmsCodeMethod;
  /** Records a phone added at sign-in. */
  audit: Pick<AuditRepo, 'record'>;
}

const PURPOSE = 'mfa' as const;

/** Who asks: the address, language hints and the app signing in (its granted SMS accounts, signatures and templates). */
export interface MfaRequest {
  ip: string;
  hints: LanguageHints;
  applicationName?: string;
  clientId?: string | null;
}

export function createMfaService({ users, smsFactor, smsCode, audit }: MfaDeps) {
  /** Texts a code to the user's mapped phone, when there is a usable one. */
  async function send(
    flowId: string,
    user: User,
    ctx: MfaRequest,
    enrol?: string,
  ): Promise<{ state: MfaState; waitSeconds: number }> {
    const [settings, availability] = await Promise.all([smsFactor.get(), smsFactor.availability()]);
    const mapped = availability.available ? readUserPhone(user, settings.phoneField, settings.defaultCountry) : null;
    const phone = availability.available && enrol ? enrol : mapped;
    const extra = enrol ? { enrol: true } : {};
    if (!phone) return { state: { userId: user.id, phone: null, messageId: null }, waitSeconds: 0 };
    const sent = await smsCode.send({
      purpose: PURPOSE,
      flowId,
      phone,
      deliver: true,
      code: mfaCodeSettings(settings),
      // The resend cooldown belongs to the flow: the first code of a new sign-in is never held back by an abandoned one.
      limits: defaultSendLimitSettings,
      ip: ctx.ip,
      hints: { ...ctx.hints, userLocale: user.locale },
      accountId: settings.accountId ?? undefined,
      applicationName: ctx.applicationName,
      clientId: ctx.clientId ?? null,
      user: { name: user.name, login: user.username ?? user.email, locale: user.locale },
    });
    return sent.ok
      ? { state: { userId: user.id, phone, messageId: sent.messageId, resendAt: sent.resendAt, ...extra }, waitSeconds: 0 }
      : { state: { userId: user.id, phone, messageId: null, held: sent.limit, ...extra }, waitSeconds: sent.waitSeconds };
  }

  return {
    async user(id: string): Promise<User | undefined> {
      const user = await users.findById(id);
      return user && !user.disabled ? user : undefined;
    },

    /**
     * Texts a code to the user's mapped phone and saves the flow's state; a user without a usable phone gets a state
     * that cannot finish. Held back by the send limits, a resend keeps the state as it was.
     */
    async begin(
      flow: MfaFlow,
      user: User,
      ctx: MfaRequest,
      opts: { enrol?: string } = {},
    ): Promise<{ state: MfaState; waitSeconds: number }> {
      const result = await send(flow.flowId, user, ctx, opts.enrol);
      if (result.waitSeconds === 0 || !(await flow.read())) await flow.write(result.state);
      return result;
    },

    /** Settings for reading a number typed at enrolment. */
    async phoneRules(): Promise<{ defaultCountry: string | null; allowedCountries: string[] }> {
      return { defaultCountry: (await smsFactor.get()).defaultCountry, allowedCountries: [] };
    },

    /** Whether another account already has this number in the mapped field (it cannot be enrolled twice). */
    async phoneTaken(phone: string): Promise<boolean> {
      const { phoneField } = await smsFactor.get();
      return Boolean(await users.findByPhone(phone, phoneField.source === 'phone_number' ? 'phone_number' : phoneField.attribute));
    },

    /** The enrolled number, proven by its code: saved (verified) in the field the SMS factor maps, and audited. */
    async enrol(state: MfaState, ip: string): Promise<void> {
      const user = await users.findById(state.userId);
      if (!user || !state.phone || !state.enrol) return;
      const { phoneField } = await smsFactor.get();
      if (phoneField.source === 'phone_number') await users.update(user.id, { phoneNumber: state.phone, phoneNumberVerified: true }, { phoneEnrolled: true });
      else await users.update(user.id, { customAttributes: { ...user.customAttributes, [phoneField.attribute]: state.phone } }, { phoneEnrolled: true });
      await audit.record({ actor: user.id, action: AUDIT_PHONE_ENROLLED, target: user.id, details: { ip, field: phoneField.source === 'phone_number' ? 'phone_number' : phoneField.attribute } });
    },

    async codeLength(): Promise<number> {
      return mfaCodeSettings(await smsFactor.get()).length;
    },

    async verify(flow: MfaFlow, input: string, ip?: string, clientId?: string | null) {
      const state = await flow.read();
      if (!state?.phone) return { ok: false as const, reason: 'wrong_code' as const };
      // Nothing was texted in this sign-in: whatever the user holds is no code of it, and "wrong code" would mislead.
      if (state.held && !state.messageId) return { ok: false as const, reason: 'not_sent' as const };
      const outcome = await smsCode.verify({ purpose: PURPOSE, flowId: flow.flowId, phone: state.phone, input, length: await this.codeLength(), ip, userId: state.userId, clientId });
      if (outcome.ok) await flow.write(undefined);
      return outcome;
    },

    resendWait: (state: MfaState, ip: string, flowId: string) =>
      state.phone ? smsCode.resendWait(state.phone, ip, defaultSendLimitSettings, { purpose: PURPOSE, flowId }, state.resendAt) : Promise.resolve(0),

    delivery: (state: MfaState) => smsCode.delivery(state.messageId),
  };
}

export type MfaService = ReturnType<typeof createMfaService>;
