// findAccount: the provider reads users from the users table and maps them to standard claims.
import type { FindAccount } from 'oidc-provider';
import type { User, UsersRepo } from '../db/users.ts';

export function userClaims(user: User): Record<string, unknown> {
  return {
    sub: user.id,
    name: user.name ?? ([user.givenName, user.familyName].filter(Boolean).join(' ') || undefined),
    given_name: user.givenName ?? undefined,
    family_name: user.familyName ?? undefined,
    preferred_username: user.username ?? undefined,
    locale: user.locale ?? undefined,
    updated_at: Math.floor(user.updatedAt / 1000),
    email: user.email ?? undefined,
    email_verified: user.email ? user.emailVerified : undefined,
    phone_number: user.phoneNumber ?? undefined,
    phone_number_verified: user.phoneNumber ? user.phoneNumberVerified : undefined,
  };
}

export function createFindAccount(users: UsersRepo): FindAccount {
  return async (_ctx, sub) => {
    const user = await users.findById(sub);
    if (!user || user.disabled) return undefined;
    return {
      accountId: user.id,
      async claims() {
        return userClaims(user) as { sub: string };
      },
    };
  };
}
