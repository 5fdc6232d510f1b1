// Admin operations on users: unique logins, passwords checked against the user's policy, policy assignment, last admin kept.
import type { z } from 'zod';
import { ADMIN_ROLE } from '../constants.ts';
import type { PoliciesRepo } from '../../db/policies.ts';
import type { User, UserChanges, UsersRepo } from '../../db/users.ts';
import { AppError } from '../../errors.ts';
import { e164OrUndefined } from '../../phone.ts';
import { checkPassword, type Policy } from '../../policies/index.ts';
import type { Actor } from './actor.ts';
import type { AuditTrail } from './audit-trail.ts';
import { offsetPaged, type Page } from './page.ts';
import type { userCreateInput, userListQuery, userPatchInput, UserView } from './schemas/users.ts';

export interface UsersAdminDeps {
  users: UsersRepo;
  policies: PoliciesRepo;
  hashPassword(password: string): Promise<string>;
  /** Ends the user's sessions, grants and tokens (after disabling, deleting or setting a password). */
  revokeSessions(userId: string): Promise<void>;
  /** Forgets the wrong-password delays of one sign-in name (username or email). */
  unblockLogin(login: string): Promise<void>;
  audit: AuditTrail;
}

export const userView = (u: User): UserView => ({
  id: u.id,
  username: u.username,
  email: u.email,
  emailVerified: u.emailVerified,
  name: u.name,
  givenName: u.givenName,
  familyName: u.familyName,
  locale: u.locale,
  phoneNumber: u.phoneNumber,
  phoneNumberVerified: u.phoneNumberVerified,
  customAttributes: u.customAttributes,
  roles: u.roles,
  disabled: u.disabled,
  policyId: u.policyId,
  hasPassword: Boolean(u.passwordHash),
  passwordChangedAt: u.passwordChangedAt,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

const isEnabledAdmin = (u: Pick<User, 'disabled' | 'roles'>) => !u.disabled && u.roles.includes(ADMIN_ROLE);

export function createUsersAdmin({ users, policies, hashPassword, revokeSessions, unblockLogin, audit }: UsersAdminDeps) {
  async function mustFind(id: string): Promise<User> {
    const u = typeof id === 'string' && id.length <= 36 ? await users.findById(id) : undefined;
    if (!u) throw new AppError('user_not_found', 404, { message: `user ${JSON.stringify(id)} does not exist` });
    return u;
  }

  /** Username and email are both sign-in names: neither may be another user's username or email. */
  async function assertLoginFree(field: 'username' | 'email', value: string | null | undefined, selfId?: string): Promise<void> {
    if (!value) return;
    const other = await users.findByLogin(value);
    if (other && other.id !== selfId) {
      throw new AppError('user_exists', 409, { message: `${field}: ${JSON.stringify(value.toLowerCase())} is already used by another user`, params: { field } });
    }
  }

  async function policyFor(policyId: string | null | undefined, userId?: string): Promise<Policy> {
    if (policyId) {
      const p = await policies.get(policyId);
      if (!p) throw new AppError('policy_not_found', 422, { message: `policyId: policy ${JSON.stringify(policyId)} does not exist`, params: { field: 'policyId' } });
      return p;
    }
    if (policyId === undefined && userId) return policies.forUser(userId);
    return policies.getDefault();
  }

  async function hashChecked(password: string, policy: Policy, owner: { username: string | null; email: string | null }): Promise<string> {
    const problems = checkPassword(password, policy.password, owner);
    if (problems.length > 0) {
      const first = problems[0]!;
      const detail = 'min' in first.params ? ` (${first.params.min})` : 'max' in first.params ? ` (${first.params.max})` : '';
      throw new AppError('password_rejected', 422, {
        message: `password: does not meet the policy ${JSON.stringify(policy.name)}: ${first.code}${detail}`,
        params: { field: 'password' },
        details: { problems },
      });
    }
    return hashPassword(password);
  }

  /** Refuses a change that would leave nobody able to use the console. */
  async function assertAdminRemains(userId: string): Promise<void> {
    const others = (await users.enabledWithRole(ADMIN_ROLE)).filter((u) => u.id !== userId);
    if (others.length === 0) throw new AppError('last_admin', 422, { message: 'this is the last enabled admin: make another user an admin first' });
  }

  return {
    async list(q: z.output<typeof userListQuery>): Promise<Page<UserView>> {
      const page = await offsetPaged(q, (limit, offset) =>
        // A phone number written any way (`+61 491 570 156`) is searched in its stored E.164 form.
        users.list({ limit, offset, search: q.q ? (e164OrUndefined(q.q) ?? q.q) : q.q, role: q.role, disabled: q.disabled, policyId: q.policyId }),
      );
      return { ...page, items: page.items.map(userView) };
    },

    async get(id: string): Promise<UserView> {
      return userView(await mustFind(id));
    },

    async create(actor: Actor, u: z.output<typeof userCreateInput>): Promise<UserView> {
      await assertLoginFree('username', u.username);
      await assertLoginFree('email', u.email);
      const policy = await policyFor(u.policyId);
      const owner = { username: u.username ?? null, email: u.email ?? null };
      const passwordHash = u.password ? await hashChecked(u.password, policy, owner) : null;
      const { password: _pw, disabled, policyId, ...profile } = u;
      const created = await users.create({ ...profile, passwordHash });
      if (policyId) await policies.assignUser(created.id, policyId);
      if (disabled) await users.setDisabled(created.id, true);
      const after = userView(await mustFind(created.id));
      await audit.record(actor, 'user.create', created.id, { after, passwordSet: Boolean(passwordHash) });
      return after;
    },

    async update(actor: Actor, id: string, p: z.output<typeof userPatchInput>): Promise<UserView> {
      const current = await mustFind(id);
      if (p.username !== undefined) await assertLoginFree('username', p.username, id);
      if (p.email !== undefined) await assertLoginFree('email', p.email, id);
      const username = p.username === undefined ? current.username : p.username;
      const email = p.email === undefined ? current.email : p.email;
      if (!username && !email) throw new AppError('user_invalid', 400, { message: 'username: a user needs a username or an email', params: { field: 'username' } });
      const roles = p.roles ?? current.roles;
      const disabled = p.disabled ?? current.disabled;
      if (isEnabledAdmin(current) && !isEnabledAdmin({ roles, disabled })) await assertAdminRemains(id);
      const policy = p.password !== undefined || p.policyId ? await policyFor(p.policyId, id) : undefined;
      const passwordHash = p.password !== undefined && policy ? await hashChecked(p.password, policy, { username, email }) : undefined;

      const { password: _pw, disabled: _d, policyId, customAttributes, ...profile } = p;
      const changes: UserChanges = { ...profile };
      if (customAttributes) {
        const merged: Record<string, unknown> = { ...current.customAttributes };
        for (const [k, v] of Object.entries(customAttributes)) {
          if (v === null) delete merged[k];
          else merged[k] = v;
        }
        changes.customAttributes = merged;
      }
      await users.update(id, changes);
      if (policyId !== undefined) await policies.assignUser(id, policyId);
      if (passwordHash) await users.setPassword(id, passwordHash);
      if (disabled !== current.disabled) await users.setDisabled(id, disabled);
      if (passwordHash || (disabled && !current.disabled)) await revokeSessions(id);
      const before = userView(current);
      const after = userView(await mustFind(id));
      await audit.record(actor, 'user.update', id, { before, after, passwordChanged: Boolean(passwordHash) });
      return after;
    },

    /** Ends every session, grant and token of the user (they sign in again). */
    async revokeSessions(actor: Actor, id: string): Promise<void> {
      await mustFind(id);
      await revokeSessions(id);
      await audit.record(actor, 'user.sessions.revoke', id);
    },

    /** Lifts the wrong-password delays on the user's username and email (an IP's own delays stay). */
    async unblock(actor: Actor, id: string): Promise<void> {
      const u = await mustFind(id);
      for (const login of [u.username, u.email]) if (login) await unblockLogin(login);
      await audit.record(actor, 'user.unblock', id);
    },

    async remove(actor: Actor, id: string): Promise<void> {
      const current = await mustFind(id);
      if (isEnabledAdmin(current)) await assertAdminRemains(id);
      await revokeSessions(id);
      await users.remove(id);
      await audit.record(actor, 'user.delete', id, { before: userView(current) });
    },
  };
}

export type UsersAdmin = ReturnType<typeof createUsersAdmin>;
