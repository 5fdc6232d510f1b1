// Rules of the forgot-password flow: who gets a code (subject.ts), sending and checking it, then the change (change.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import type { CounterStore } from '../../counters/index.ts';
import type { AuditRepo } from '../../db/audit.ts';
import type { PoliciesRepo, SmsFactorRepo } from '../../db/policies.ts';
import type { UsersRepo } from '../../db/users.ts';
import type { Logger } from '../../logger.ts';
import type { SmsCodeMethod } from '../../methods/sms-code/index.ts';
import { resetCodeSettings } from '../../policies/sms-factor.ts';
import { ipBucket } from '../../security/ip-range.ts';
import type { SecretBox } from '../../security/secrets.ts';
import { defaultSendLimitSettings } from '../../sms/limits/index.ts';
import type { ResourcesService } from '../../sms/resources/service.ts';
import type { SmsSender } from '../../sms/sender.ts';
import type { LanguageHints } from '../../sms/templates/language.ts';
import type { FlowState } from '../state/store.ts';
import { type ChangeOutcome, createPasswordChange } from './change.ts';
import type { ResetState, ResetSubject } from './state.ts';
import { createSubjects } from './subject.ts';

export interface ResetDeps {
  users: Pick<UsersRepo, 'findByLogin' | 'findById' | 'setPassword'>;
  policies: Pick<PoliciesRepo, 'forUser' | 'ofUser'>;
  smsFactor: Pick<SmsFactorRepo, 'get' | 'availability'>;
  /** The account-selection pipeline: whether a reset code for an app would find an account, signature and template. */
  resources: Pick<ResourcesService, 'available'>;
  /** Sends and verifies the codes (within the send limits; a decoy for whoever gets no SMS). */
  smsCode: Pick<SmsCodeMethod, 'send' | 'verify' | 'resendWait'>;
  /** Texts the `password_changed` notice. */
  sender: Pick<SmsSender, 'enqueue'>;
  /** Ends every session, grant and refresh token of the account: `(id) => revokeAccount(db, id)`. */
  revokeAccount: (accountId: string) => Promise<number>;
  audit: Pick<AuditRepo, 'record'>;
  /** Shared counters: a verified reset is claimed there once, across instances. */
  counters: CounterStore;
  box: Pick<SecretBox, 'hmac'>;
  logger?: Pick<Logger, 'warn'>;
  /** Epoch milliseconds; injectable so tests can move time (it should be the code engine's clock). */
  now?: () => number;
  /**
   * Least time, in ms, that identifying the user and sending a code take, whoever asks: queuing an SMS costs more than
   * storing a decoy, and the difference must not show. Default 250.
   */
  sendFloorMs?: number;
  /** Identifiers one client address may look up per 15 minutes on the first screen. Default 20. */
  identifyPerIpPer15Min?: number;
}

/** The reset's state store (the Interaction on the hosted screens): the service moves it from step to step. */
export type ResetFlow = FlowState<ResetState>;

export type SendOutcome = { ok: true } | { ok: false; reason: 'wait'; waitSeconds: number };
export type VerifyOutcome =
  | { ok: true; verified: Extract<ResetState, { step: 'password' }>['verified'] }
  | { ok: false; reason: 'wrong_code' | 'format' }
  | { ok: false; reason: 'throttled'; waitSeconds: number };

const PURPOSE = 'reset_password' as const;

/** Runs `work` and returns no sooner than `floorMs` after it started. */
async function atLeast<T>(floorMs: number, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    const left = floorMs - (performance.now() - started);
    if (left > 0) await sleep(left);
  }
}

export function createResetService(deps: ResetDeps) {
  const now = deps.now ?? Date.now;
  const floor = deps.sendFloorMs ?? 250;
  const { smsCode, smsFactor } = deps;
  const subjects = createSubjects(deps);
  const change = createPasswordChange({ ...deps, subjects, now });
  // Identifying is where accounts are probed: a bounded number of identifiers per client address (IPv6: per /64).
  const identifyWindow = { seconds: 15 * 60 };
  async function consumeIdentify(ip: string): Promise<number> {
    const count = await deps.counters.add(`reset_identify:${ipBucket(ip)}`, identifyWindow);
    return count > (deps.identifyPerIpPer15Min ?? 20) ? Math.max(1, deps.counters.windowLeft(identifyWindow)) : 0;
  }

  return {
    /**
     * False while SMS is unavailable (factor off, account missing or unverified), or when the app may use no account,
     * signature and template for reset codes: nobody coming from it can reset online (asked before any login is typed,
     * so a known user never gets an error where an unknown one gets a decoy).
     */
    async available(clientId: string | null): Promise<boolean> {
      if (!(await subjects.smsAvailable())) return false;
      const { accountId } = await smsFactor.get();
      return deps.resources.available({ clientId, accountId: accountId ?? undefined, purpose: PURPOSE });
    },

    /** Digits in a reset code (installation-wide). */
    codeLength: async () => (await smsFactor.get()).resetCode.length,

    /**
     * The first screen: the subject for a username or email, the same kind of answer in the same time for everyone;
     * the flow moves to the method choice.
     */
    async identify(flow: ResetFlow, login: string, ip: string): Promise<{ ok: true; subject: ResetSubject } | { ok: false; waitSeconds: number }> {
      const waitSeconds = await consumeIdentify(ip);
      if (waitSeconds > 0) return { ok: false, waitSeconds };
      const subject = await atLeast(floor, () => subjects.resolve(login));
      await flow.write({ step: 'method', subject });
      return { ok: true, subject };
    },

    /**
     * Issues a code and texts it when someone is due one; otherwise stores a decoy. Same answers and timing either way.
     * The flow moves to (or stays at) the code step.
     */
    async send(flow: ResetFlow, subject: ResetSubject, ctx: { ip: string; hints: LanguageHints; clientId?: string | null }): Promise<SendOutcome> {
      const flowId = flow.flowId;
      const outcome = await atLeast(floor, async (): Promise<SendOutcome> => {
        const { eligible, policy, factor } = await subjects.recheck(subject);
        const user = eligible?.user;
        const sent = await smsCode.send({
          purpose: PURPOSE,
          flowId,
          phone: subject.phone,
          deliver: Boolean(eligible),
          code: resetCodeSettings(factor, policy.passwordUpdate),
          limits: defaultSendLimitSettings,
          ip: ctx.ip,
          hints: { ...ctx.hints, userLocale: user?.locale ?? null },
          accountId: factor.accountId ?? undefined,
          clientId: ctx.clientId ?? null,
          user: user ? { name: user.name, login: user.username ?? user.email, locale: user.locale } : null,
        });
        return sent.ok ? { ok: true } : { ok: false, reason: 'wait', waitSeconds: sent.waitSeconds };
      });
      if (outcome.ok) await flow.write({ step: 'code', subject });
      return outcome;
    },

    /** Seconds until "Resend code" is allowed (cooldown and caps), consuming nothing. */
    resendWait: (subject: ResetSubject, ip: string, flowId: string): Promise<number> =>
      smsCode.resendWait(subject.phone, ip, defaultSendLimitSettings, { purpose: PURPOSE, flowId }),

    /** Checks the code; a decoy never matches, and every failure reads the same as a wrong code. A right one moves the flow to the new password. */
    async verify(flow: ResetFlow, subject: ResetSubject, input: string, ip?: string): Promise<VerifyOutcome> {
      const length = (await smsFactor.get()).resetCode.length;
      const result = await smsCode.verify({ purpose: PURPOSE, flowId: flow.flowId, phone: subject.phone, input, length, ip });
      if (!result.ok) return result;
      const { eligible, policy } = await subjects.recheck(subject);
      if (!eligible) return { ok: false, reason: 'wrong_code' };
      const at = now();
      const verified = { at, passwordChangedAt: eligible.user.passwordChangedAt, deadline: at + policy.passwordUpdate.resetCodeLifetimeSeconds * 1000 };
      await flow.write({ step: 'password', subject, verified });
      return { ok: true, verified };
    },

    /** Password rules to announce on the new-password screen. */
    passwordRules: change.rules,

    /**
     * Sets the new password once; then revokes sessions and tokens, texts a notice, writes the audit event. The flow
     * moves to `done`; a reset that came too late or was used meanwhile is forgotten.
     */
    async change(flow: ResetFlow, state: Extract<ResetState, { step: 'password' }>, input: { password: string; confirm: string }, ctx: { ip: string; hints: LanguageHints; clientId?: string | null }): Promise<ChangeOutcome> {
      const outcome = await change.change(flow.flowId, state, input, ctx);
      if (outcome.ok) await flow.write({ step: 'done' });
      else if (outcome.reason !== 'invalid') await flow.write(undefined);
      return outcome;
    },
  };
}

export type ResetService = ReturnType<typeof createResetService>;
