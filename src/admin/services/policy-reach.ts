// Who a policy that requires MFA would leave without a way in: its users with no verified phone, and whether any
// administrator could still sign in after the save (admins never enrol a phone at sign-in).
import type { SmsFactorRepo } from '../../db/policies.ts';
import type { User, UsersRepo } from '../../db/users.ts';
import { ADMIN_ROLE } from '../constants.ts';
import { type Policy, type PolicyContent, readUserPhone } from '../../policies/index.ts';

export interface PolicyReachDeps {
  users: Pick<UsersRepo, 'list' | 'enabledWithRole'>;
  smsFactor: Pick<SmsFactorRepo, 'get' | 'availability'>;
  policyOf(userId: string): Promise<Policy>;
}

const PAGE = 1000;

export function createPolicyReach({ users, smsFactor, policyOf }: PolicyReachDeps) {
  /** Whether the SMS factor could text this user now: factor available and a verified number in the mapped field. */
  async function phoneCheck(): Promise<(u: User) => boolean> {
    const [settings, availability] = await Promise.all([smsFactor.get(), smsFactor.availability()]);
    return (u) =>
      availability.available &&
      readUserPhone(u, settings.phoneField, settings.defaultCountry) !== null &&
      (settings.phoneField.source !== 'phone_number' || u.phoneNumberVerified === true);
  }

  /** Users the policy applies to: assigned ones, and for the default policy the unassigned ones too. */
  async function* members(policy: Pick<Policy, 'id' | 'isDefault'>): AsyncGenerator<User> {
    for (let offset = 0; ; offset += PAGE) {
      const page = await users.list({ limit: PAGE, offset, ...(policy.isDefault ? {} : { policyId: policy.id }) } as Parameters<UsersRepo['list']>[0]);
      for (const u of page) if (u.policyId === policy.id || (policy.isDefault && u.policyId === null)) yield u;
      if (page.length < PAGE) return;
    }
  }

  return {
    /** Users of the policy with no verified phone; null when the policy does not require MFA. */
    async usersWithoutPhone(policy: Pick<Policy, 'id' | 'isDefault'> & PolicyContent): Promise<number | null> {
      if (policy.mfa.required !== 'always') return null;
      const hasPhone = await phoneCheck();
      let n = 0;
      for await (const u of members(policy)) if (!u.disabled && !hasPhone(u)) n++;
      return n;
    },

    /** Whether at least one enabled admin could still sign in if `candidate` were saved (true when there is no admin). */
    async anAdminCanSignIn(candidate: Pick<Policy, 'id' | 'isDefault'> & PolicyContent): Promise<boolean> {
      const admins = await users.enabledWithRole(ADMIN_ROLE);
      if (admins.length === 0) return true;
      const hasPhone = await phoneCheck();
      for (const a of admins) {
        const applies = a.policyId === candidate.id || (candidate.isDefault && a.policyId === null);
        const policy = applies ? candidate : await policyOf(a.id);
        if (policy.mfa.required !== 'always' || hasPhone(a)) return true;
      }
      return false;
    },
  };
}

export type PolicyReach = ReturnType<typeof createPolicyReach>;
