// The password method: proves a user by username-or-email and password, with throttling and no enumeration.
import type { SignInEvents } from '../../db/sign-in-events.ts';
import type { User, UsersRepo } from '../../db/users.ts';
import type { LoginThrottle } from '../../security/login-throttle.ts';
import { verifyPassword } from '../../security/passwords.ts';

export type PasswordOutcome = { ok: true; user: User } | { ok: false; reason: 'invalid_credentials' } | { ok: false; reason: 'throttled'; waitSeconds: number };

export interface PasswordMethod {
  authenticate(login: string, password: string, ip: string): Promise<PasswordOutcome>;
  /** The password of an account already identified (e.g. after an SMS code), under the same throttle as its login. */
  authenticateAccount(userId: string, password: string, ip: string): Promise<PasswordOutcome>;
}

export function createPasswordMethod({ users, throttle, signIns }: { users: Pick<UsersRepo, 'findByLogin' | 'findById'>; throttle: LoginThrottle; signIns?: Pick<SignInEvents, 'record'> }): PasswordMethod {
  return {
    async authenticateAccount(userId, password, ip) {
      const user = await users.findById(userId);
      const login = user?.username ?? user?.email ?? `id:${userId}`;
      // Counted as a failure before the password is checked; a success takes it back.
      const waitSeconds = await throttle.attempt(login, ip);
      if (waitSeconds > 0) return { ok: false, reason: 'throttled', waitSeconds };
      const valid = await verifyPassword(user?.passwordHash, password);
      if (!user || !valid || user.disabled) return { ok: false, reason: 'invalid_credentials' };
      await throttle.succeeded(login, ip);
      return { ok: true, user };
    },

    async authenticate(login, password, ip) {
      // Counted as a failure before the password is checked; a success takes it back.
      const waitSeconds = await throttle.attempt(login, ip);
      if (waitSeconds > 0) {
        await signIns?.record({ outcome: 'failure', method: 'password', ip, reason: 'throttled' });
        return { ok: false, reason: 'throttled', waitSeconds };
      }
      const user = await users.findByLogin(login);
      // Unknown users still cost one argon2 verification, so timing does not reveal them.
      const valid = await verifyPassword(user?.passwordHash, password);
      if (!user || !valid || user.disabled) {
        await signIns?.record({ outcome: 'failure', method: 'password', userId: user?.id, ip, reason: user?.disabled ? 'disabled' : 'invalid_credentials' });
        return { ok: false, reason: 'invalid_credentials' };
      }
      await throttle.succeeded(login, ip);
      return { ok: true, user };
    },
  };
}
