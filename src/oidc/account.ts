// findAccount: the provider reads users from the users table and maps them to standard claims.
import { errors, type FindAccount } from 'oidc-provider';
import type { User, UsersRepo } from '../db/users.ts';
import { decidedFor } from './acr.ts';

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
  const enabled = async (sub: string) => {
    const user = await users.findById(sub);
    return user && !user.disabled ? user : undefined;
  };
  return async (ctx, sub) => {
    // The resume of a login the decision just finished: the decision read the account (enabled) in the request
    // before, so it is not read again unless its claims are wanted here (an ID token from the authorization endpoint).
    // The token endpoint always reads it.
    if (decidedFor(ctx, sub)) {
      return {
        accountId: sub,
        async claims() {
          const user = await enabled(sub);
          if (!user) throw new errors.AccessDenied('the account is no longer available');
          return userClaims(user) as { sub: string };
        },
      };
    }
    const user = await enabled(sub);
    if (!user) return undefined;
    return {
      accountId: user.id,
      async claims() {
        return userClaims(user) as { sub: string };
      },
    };
  };
}
