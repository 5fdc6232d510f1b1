// Rules of the SMS second factor: when it is needed, which number is texted, and verification.
import type { PoliciesRepo, SmsFactorRepo } from '../../db/policies.ts';
import type { User, UsersRepo } from '../../db/users.ts';
import type { SmsCodeMethod } from '../../methods/sms-code/index.ts';
import { ACR } from '../../oidc/acr.ts';
import { mfaCodeSettings, readUserPhone } from '../../policies/index.ts';
import { defaultSendLimitSettings } from '../../sms/limits/index.ts';
import type { LanguageHints } from '../../sms/templates/language.ts';
import type { MfaState } from './state.ts';

export interface MfaDeps {
  users: UsersRepo;
  policies: PoliciesRepo;
  smsFactor: SmsFactorRepo;
  smsCode: SmsCodeMethod;
}

const PURPOSE = 'mfa' as const;

export function createMfaService({ users, policies, smsFactor, smsCode }: MfaDeps) {
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

    /** Texts a code to the user's mapped phone; a user without a usable phone gets a state that cannot finish. */
    async begin(flowId: string, user: User, ctx: { ip: string; hints: LanguageHints; applicationName?: string }): Promise<{ state: MfaState; waitSeconds: number }> {
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
    },

    async codeLength(): Promise<number> {
      return mfaCodeSettings(await smsFactor.get()).length;
    },

    async verify(flowId: string, state: MfaState, input: string, ip?: string) {
      if (!state.phone) return { ok: false as const, reason: 'wrong_code' as const };
      return smsCode.verify({ purpose: PURPOSE, flowId, phone: state.phone, input, length: await this.codeLength(), ip });
    },

    resendWait: (state: MfaState, ip: string, flowId: string) =>
      state.phone ? smsCode.resendWait(state.phone, ip, defaultSendLimitSettings, { purpose: PURPOSE, flowId }) : Promise.resolve(0),

    delivery: (state: MfaState) => smsCode.delivery(state.messageId),
  };
}

export type MfaService = ReturnType<typeof createMfaService>;
