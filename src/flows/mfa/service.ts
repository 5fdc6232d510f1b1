// Rules of the SMS second factor: when it is needed, which number is texted, and verification.
import type { PoliciesRepo, SmsFactorRepo } from '../../db/policies.ts';
import type { User, UsersRepo } from '../../db/users.ts';
import type { SmsCodeMethod } from '../../methods/sms-code/index.ts';
import { ACR } from '../../oidc/acr.ts';
import { mfaCodeSettings, readUserPhone } from '../../policies/index.ts';
import { defaultSendLimitSettings } from '../../sms/limits/index.ts';
import type { LanguageHints } from '../../sms/templates/language.ts';
import type { FlowState } from '../state/store.ts';
import type { MfaState } from './state.ts';

/** The second factor's state store (the Interaction on the hosted screens); its flow id binds the codes. */
export type MfaFlow = FlowState<MfaState>;

export interface MfaDeps {
  users: UsersRepo;
  policies: PoliciesRepo;
  smsFactor: SmsFactorRepo;
  smsCode: SmsCodeMethod;
}

const PURPOSE = 'mfa' as const;

export function createMfaService({ users, policies, smsFactor, smsCode }: MfaDeps) {
  /** Texts a code to the user's mapped phone, when there is a usable one. */
  async function send(flowId: string, user: User, ctx: { ip: string; hints: LanguageHints; applicationName?: string }): Promise<{ state: MfaState; waitSeconds: number }> {
    const [settings, availability] = await Promise.all([smsFactor.get(), smsFactor.availability()]);
    const phone = availability.available ? readUserPhone(user, settings.phoneField, settings.defaultCountry) : null;
    if (!phone) return { state: { userId: user.id, phone: null, messageId: null }, waitSeconds: 0 };
    const sent = await smsCode.send({
      purpose: PURPOSE,
      flowId,
      phone,
      deliver: true,
      code: mfaCodeSettings(settings),
      limits: defaultSendLimitSettings,
      ip: ctx.ip,
      hints: { ...ctx.hints, userLocale: user.locale },
      accountId: settings.accountId ?? undefined,
      applicationName: ctx.applicationName,
      user: { name: user.name, login: user.username ?? user.email, locale: user.locale },
    });
    return sent.ok ? { state: { userId: user.id, phone, messageId: sent.messageId }, waitSeconds: 0 } : { state: { userId: user.id, phone, messageId: null }, waitSeconds: sent.waitSeconds };
  }

  return {
    async user(id: string): Promise<User | undefined> {
      const user = await users.findById(id);
      return user && !user.disabled ? user : undefined;
    },

    /** Whether this sign-in needs the second factor: the user's policy requires it, or the app asked for it. */
    async needed(user: User, requestedAcr: readonly string[]): Promise<boolean> {
      if (requestedAcr.includes(ACR.passwordAndSms)) return true;
      const policy = await policies.forUser(user.id);
      return policy.mfa.required === 'always';
    },

    /**
     * Texts a code to the user's mapped phone and saves the flow's state; a user without a usable phone gets a state
     * that cannot finish. Held back by the send limits, a resend keeps the state as it was.
     */
    async begin(flow: MfaFlow, user: User, ctx: { ip: string; hints: LanguageHints; applicationName?: string }): Promise<{ state: MfaState; waitSeconds: number }> {
      const result = await send(flow.flowId, user, ctx);
      if (result.waitSeconds === 0 || !(await flow.read())) await flow.write(result.state);
      return result;
    },

    async codeLength(): Promise<number> {
      return mfaCodeSettings(await smsFactor.get()).length;
    },

    async verify(flow: MfaFlow, input: string, ip?: string) {
      const state = await flow.read();
      if (!state?.phone) return { ok: false as const, reason: 'wrong_code' as const };
      const outcome = await smsCode.verify({ purpose: PURPOSE, flowId: flow.flowId, phone: state.phone, input, length: await this.codeLength(), ip });
      if (outcome.ok) await flow.write(undefined);
      return outcome;
    },

    resendWait: (state: MfaState, ip: string, flowId: string) =>
      state.phone ? smsCode.resendWait(state.phone, ip, defaultSendLimitSettings, { purpose: PURPOSE, flowId }) : Promise.resolve(0),

    delivery: (state: MfaState) => smsCode.delivery(state.messageId),
  };
}

export type MfaService = ReturnType<typeof createMfaService>;
