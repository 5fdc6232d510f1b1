// The end of a reset: the new password checked against the policy, stored once, and everything that must follow it.
import { type CounterStore, cooldownGate } from '../../counters/index.ts';
import type { AuditRepo } from '../../db/audit.ts';
import type { UsersRepo } from '../../db/users.ts';
import type { Logger } from '../../logger.ts';
import { checkPassword, type PasswordProblem } from '../../policies/password.ts';
import { hashPassword } from '../../security/passwords.ts';
import type { SecretBox } from '../../security/secrets.ts';
import type { SmsSender } from '../../sms/sender.ts';
import type { LanguageHints } from '../../sms/templates/language.ts';
import { AUDIT_PASSWORD_RESET, RESET_PHONE_HMAC } from '../decision/decider.ts';
import type { ResetState } from './state.ts';
import type { Subjects } from './subject.ts';

export interface ChangeDeps {
  subjects: Subjects;
  users: Pick<UsersRepo, 'setPassword'>;
  sender: Pick<SmsSender, 'enqueue'>;
  /** Ends every session, grant and refresh token of the account (oidc/adapter.ts revokeAccount). */
  revokeAccount: (accountId: string) => Promise<number>;
  audit: Pick<AuditRepo, 'record'>;
  /** Shared counters: a one-day gate per verified code makes the change single use across instances. */
  counters: CounterStore;
  logger?: Pick<Logger, 'warn'>;
  box: Pick<SecretBox, 'hmac'>;
  now: () => number;
}

/** Problems shown on the new-password screen; the codes map to `password.*` strings. */
export type NewPasswordProblem = PasswordProblem | { code: 'password_missing' | 'password_mismatch'; params: Record<string, never> };

export type ChangeOutcome =
  | { ok: true; userId: string }
  | { ok: false; reason: 'invalid'; problems: NewPasswordProblem[] }
  /** Too late, or this reset was already used (or another password change came first): start again. */
  | { ok: false; reason: 'expired' | 'used' };

export { AUDIT_PASSWORD_RESET } from '../decision/decider.ts';

type PasswordStep = Extract<ResetState, { step: 'password' }>;

export function createPasswordChange(deps: ChangeDeps) {
  const { subjects, users, sender, audit, now } = deps;
  const once = cooldownGate(24 * 3600);

  /** True for the first caller with this key, false for every other one, whichever instance they reach. */
  async function claim(key: string): Promise<boolean> {
    return (await deps.counters.pass(`password_reset_once:${key}`, once)).passed;
  }

  return {
    /** The password rules to announce on the screen (the user's policy). */
    async rules(state: PasswordStep): Promise<{ minLength: number; maxLength: number }> {
      const { policy } = await subjects.recheck(state.subject);
      return { minLength: policy.password.minLength, maxLength: policy.password.maxLength };
    },

    async change(flowId: string, state: PasswordStep, input: { password: string; confirm: string }, ctx: { ip: string; hints: LanguageHints; clientId?: string | null }): Promise<ChangeOutcome> {
      if (now() > state.verified.deadline) return { ok: false, reason: 'expired' };
      const { eligible } = await subjects.recheck(state.subject);
      if (!eligible) return { ok: false, reason: 'expired' };
      const { user, policy, factor } = eligible;

      if (!input.password || !input.confirm) return { ok: false, reason: 'invalid', problems: [{ code: 'password_missing', params: {} }] };
      const problems: NewPasswordProblem[] = checkPassword(input.password, policy.password, { username: user.username, email: user.email });
      if (input.password !== input.confirm) problems.push({ code: 'password_mismatch', params: {} });
      if (problems.length) return { ok: false, reason: 'invalid', problems };

      if (user.passwordChangedAt !== state.verified.passwordChangedAt) return { ok: false, reason: 'used' };
      if (!(await claim(`${flowId}:${state.verified.at}`))) return { ok: false, reason: 'used' };

      const phoneHash = deps.box.hmac(RESET_PHONE_HMAC, eligible.phone);
      await users.setPassword(user.id, await hashPassword(input.password), { phoneHash });
      const revoked = await deps.revokeAccount(user.id);
      const notified = await sender
        .enqueue({
          purpose: 'password_changed',
          to: eligible.phone,
          accountId: factor.accountId ?? undefined,
          clientId: ctx.clientId ?? null,
          user: { name: user.name, login: user.username ?? user.email, locale: user.locale },
          hints: { ...ctx.hints, userLocale: user.locale },
          flowId,
        })
        .then((m) => m.id)
        // The password is changed whatever happens to the notice; a failure to queue it is logged and audited.
        .catch((err: unknown) => {
          deps.logger?.warn({ err, userId: user.id }, 'password_changed SMS could not be queued');
          return null;
        });
      await audit.record({
        actor: user.id,
        action: AUDIT_PASSWORD_RESET,
        target: user.id,
        // The phone's keyed hash (also on the user's row): for 24 hours that phone cannot also be the second factor of a sign-in.
        details: { method: 'sms', flowId, ip: ctx.ip, revoked, notice: notified, phoneHash },
      });
      return { ok: true, userId: user.id };
    },
  };
}

export type PasswordChange = ReturnType<typeof createPasswordChange>;
