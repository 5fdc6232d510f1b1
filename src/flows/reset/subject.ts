// Who a reset is for: the user and number a code is texted to, or a decoy that looks and behaves exactly the same.
import type { PoliciesRepo, SmsFactorRepo } from '../../db/policies.ts';
import type { User, UsersRepo } from '../../db/users.ts';
import { maskTail } from '../../phone.ts';
import { readUserPhone } from '../../policies/phone-field.ts';
import type { Policy } from '../../policies/schema.ts';
import type { SmsFactorSettings } from '../../policies/sms-factor.ts';
import { userSmsOptions } from '../../policies/user-options.ts';
import type { SecretBox } from '../../security/secrets.ts';
import { ADMIN_ROLE } from '../../admin/constants.ts';
import type { ResetSubject } from './state.ts';

export interface SubjectDeps {
  users: Pick<UsersRepo, 'findByLogin' | 'findById'>;
  policies: Pick<PoliciesRepo, 'ofUser'>;
  smsFactor: Pick<SmsFactorRepo, 'get' | 'availability'>;
  box: Pick<SecretBox, 'hmac'>;
}

/**
 * A stand-in for someone who gets no SMS. The same seed always gives the same made-up digits (asking twice shows the
 * same number) and the same key, so codes, send limits and wrong-code counts behave as they do for a real number.
 */
export function decoySubject(box: Pick<SecretBox, 'hmac'>, seed: string): ResetSubject {
  const mac = Buffer.from(box.hmac('reset-decoy', seed), 'base64url');
  const digits = String(mac.readUInt32BE(0) % 10_000).padStart(4, '0');
  return { userId: null, phone: `decoy:${mac.subarray(4, 22).toString('base64url')}`, masked: maskTail(digits) };
}

/** Whether SMS reset may be offered to this user: the policy allows it, and admins only when the policy says so too. */
const adminAllowed = (user: User, policy: Policy) => !user.roles.includes(ADMIN_ROLE) || policy.passwordUpdate.smsForAdmins;

/** A user SMS reset may be offered to right now, with everything the later steps need. */
export interface Eligible {
  user: User;
  phone: string;
  policy: Policy;
  factor: SmsFactorSettings;
}

export function createSubjects(deps: SubjectDeps) {
  const { users, policies, smsFactor, box } = deps;

  /** Runs the same lookups whoever the user is; answers only for an enabled user the policy lets reset by SMS. */
  async function check(user: User | undefined): Promise<{ eligible?: Eligible; policy: Policy; factor: SmsFactorSettings }> {
    const [policy, factor, availability] = await Promise.all([policies.ofUser(user), smsFactor.get(), smsFactor.availability()]);
    const phone = user ? readUserPhone(user, factor.phoneField, factor.defaultCountry) : null;
    const allowed = userSmsOptions(policy, availability.available, phone).resetBySms && (!user || adminAllowed(user, policy));
    if (!user || user.disabled || !phone || !allowed) return { policy, factor };
    return { eligible: { user, phone, policy, factor }, policy, factor };
  }

  return {
    /** Whether SMS can be used at all (installation-wide, so saying so reveals nothing about any user). */
    async smsAvailable(): Promise<boolean> {
      return (await smsFactor.availability()).available;
    },

    /** The subject for what was typed on the first screen. */
    async resolve(login: string): Promise<ResetSubject> {
      const user = await users.findByLogin(login);
      const { eligible } = await check(user);
      const typed = `login:${login.trim().toLowerCase()}`;
      if (eligible) return { userId: eligible.user.id, phone: eligible.phone, masked: '' };
      // Seeded by what was typed: the username and the email of one account behave as two accounts would.
      return { ...decoySubject(box, typed), masked: '' };
    },

    /**
     * Checks again before a code is sent or a password set: the user may have been disabled, their number or policy
     * changed meanwhile. Also returns the policy and factor settings that apply (the default policy for decoys).
     */
    async recheck(subject: ResetSubject): Promise<{ eligible?: Eligible; policy: Policy; factor: SmsFactorSettings }> {
      const user = subject.userId ? await users.findById(subject.userId) : undefined;
      const result = await check(user);
      return result.eligible?.phone === subject.phone ? result : { policy: result.policy, factor: result.factor };
    },
  };
}

export type Subjects = ReturnType<typeof createSubjects>;
