// Users repository: accounts, password hashes, phone numbers and custom attributes.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { jsonColumn } from './knex.ts';
import { prepared } from './prepared.ts';

export interface User {
  id: string;
  username: string | null;
  email: string | null;
  emailVerified: boolean;
  passwordHash: string | null;
  passwordChangedAt: number | null;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  locale: string | null;
  phoneNumber: string | null;
  phoneNumberVerified: boolean;
  customAttributes: Record<string, unknown>;
  roles: string[];
  disabled: boolean;
  /** The assigned policy; null: the user follows the default policy. */
  policyId: string | null;
  /** The last password reset by SMS code (epoch ms), and the keyed hash of the phone it proved (null: not recorded). */
  smsResetAt: number | null;
  smsResetPhoneHash: string | null;
  /** When a phone was last added at sign-in (epoch ms). */
  phoneEnrolledAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewUser {
  username?: string | null;
  email?: string | null;
  emailVerified?: boolean;
  passwordHash?: string | null;
  name?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  locale?: string | null;
  phoneNumber?: string | null;
  phoneNumberVerified?: boolean;
  customAttributes?: Record<string, unknown>;
  roles?: string[];
}

type Row = Record<string, unknown>;

/** Profile fields an admin may change in place (password, disabled and policy have their own functions). */
export type UserChanges = Partial<Omit<NewUser, 'passwordHash'>>;

/** Filters of the admin user list. */
export interface UserListQuery {
  limit: number;
  offset: number;
  /** Part of the username, email, name or phone number. */
  search?: string;
  role?: string;
  disabled?: boolean;
  policyId?: string;
}

/** `%`, `_` and the escape character itself match literally in LIKE patterns (escape `!`, on SQLite and MySQL). */
const likeEscape = (v: string) => v.replace(/[!%_]/g, (c) => `!${c}`);

/** Names a custom attribute may have (also what keeps it safe inside a JSON path). */
export const CUSTOM_FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function fromRow(r: Row): User {
  return {
    id: r.id as string,
    username: (r.username as string | null) ?? null,
    email: (r.email as string | null) ?? null,
    emailVerified: Boolean(r.email_verified),
    passwordHash: (r.password_hash as string | null) ?? null,
    passwordChangedAt: r.password_changed_at == null ? null : Number(r.password_changed_at),
    name: (r.name as string | null) ?? null,
    givenName: (r.given_name as string | null) ?? null,
    familyName: (r.family_name as string | null) ?? null,
    locale: (r.locale as string | null) ?? null,
    phoneNumber: (r.phone_number as string | null) ?? null,
    phoneNumberVerified: Boolean(r.phone_number_verified),
    customAttributes: jsonColumn(r.custom_attributes, {}),
    roles: jsonColumn(r.roles, []),
    disabled: Boolean(r.disabled),
    policyId: (r.policy_id as string | null | undefined) ?? null,
    smsResetAt: r.sms_reset_at == null ? null : Number(r.sms_reset_at),
    smsResetPhoneHash: (r.sms_reset_phone_hash as string | null | undefined) ?? null,
    phoneEnrolledAt: r.phone_enrolled_at == null ? null : Number(r.phone_enrolled_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function createUsersRepo(db: Knex, now: () => number = Date.now) {
  // The lookups of every sign-in: fixed text, prepared once per connection.
  const sql = prepared(db);
  const byAttribute = sql.mysql ? 'JSON_UNQUOTE(JSON_EXTRACT(custom_attributes, ?))' : 'json_extract(custom_attributes, ?)';
  return {
    async findById(id: string): Promise<User | undefined> {
      const [row] = await sql.rows('SELECT * FROM users WHERE id = ? LIMIT 1', [id]);
      return row ? fromRow(row) : undefined;
    },

    /** Finds a user by username or email, case-insensitively (both are stored lower-cased). */
    async findByLogin(login: string): Promise<User | undefined> {
      const key = login.trim().toLowerCase();
      if (!key) return undefined;
      const [row] = await sql.rows('SELECT * FROM users WHERE username = ? OR email = ? LIMIT 1', [key, key]);
      return row ? fromRow(row) : undefined;
    },

    /**
     * Finds the one user whose phone field holds this E.164 number: the built-in `phone_number` or a custom
     * attribute. Two users sharing a number make it ambiguous, and nobody is returned.
     */
    async findByPhone(e164: string, field = 'phone_number'): Promise<User | undefined> {
      let rows: Record<string, unknown>[];
      if (field === 'phone_number') rows = await sql.rows('SELECT * FROM users WHERE phone_number = ? LIMIT 2', [e164]);
      else if (CUSTOM_FIELD.test(field)) rows = await sql.rows(`SELECT * FROM users WHERE ${byAttribute} = ? LIMIT 2`, [`$.${field}`, e164]);
      else return undefined;
      return rows.length === 1 ? fromRow(rows[0]!) : undefined;
    },

    async markPhoneVerified(id: string): Promise<void> {
      await db('users').where({ id }).update({ phone_number_verified: true, updated_at: now() });
    },

    async create(input: NewUser): Promise<User> {
      const at = now();
      const row = {
        id: randomUUID(),
        username: input.username?.trim().toLowerCase() || null,
        email: input.email?.trim().toLowerCase() || null,
        email_verified: input.emailVerified ?? false,
        password_hash: input.passwordHash ?? null,
        password_changed_at: input.passwordHash ? at : null,
        name: input.name ?? null,
        given_name: input.givenName ?? null,
        family_name: input.familyName ?? null,
        locale: input.locale ?? null,
        phone_number: input.phoneNumber ?? null,
        phone_number_verified: input.phoneNumberVerified ?? false,
        custom_attributes: JSON.stringify(input.customAttributes ?? {}),
        roles: JSON.stringify(input.roles ?? []),
        disabled: false,
        created_at: at,
        updated_at: at,
      };
      await db('users').insert(row);
      return fromRow(row);
    },

    /** `smsReset`: the password was reset by an SMS code to this phone (its keyed hash), recorded with it. */
    async setPassword(id: string, passwordHash: string, smsReset?: { phoneHash: string }): Promise<void> {
      const at = now();
      if (smsReset) {
        await sql.run('UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ?, sms_reset_at = ?, sms_reset_phone_hash = ? WHERE id = ?', [passwordHash, at, at, at, smsReset.phoneHash, id]);
      } else await sql.run('UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?', [passwordHash, at, at, id]);
    },

    async setDisabled(id: string, disabled: boolean): Promise<void> {
      await db('users').where({ id }).update({ disabled, updated_at: now() });
    },

    async hasRole(role: string): Promise<boolean> {
      const rows = await db('users').whereNotNull('roles').where('roles', 'like', `%${JSON.stringify(role)}%`).select('roles').limit(20);
      return rows.some((r) => jsonColumn<string[]>(r.roles, []).includes(role));
    },

    /** A page of users, oldest first, narrowed by the admin list's filters. */
    async list(q: UserListQuery): Promise<User[]> {
      const query = db('users').orderBy([{ column: 'created_at' }, { column: 'id' }]).limit(q.limit).offset(q.offset);
      if (q.search) {
        const like = `%${likeEscape(q.search.trim().toLowerCase())}%`;
        query.where((w) =>
          w
            .whereRaw("username like ? escape '!'", [like])
            .orWhereRaw("email like ? escape '!'", [like])
            .orWhereRaw("lower(name) like ? escape '!'", [like])
            .orWhereRaw("phone_number like ? escape '!'", [like]),
        );
      }
      if (q.role) query.whereRaw("roles like ? escape '!'", [`%${likeEscape(JSON.stringify(q.role))}%`]);
      if (q.disabled !== undefined) query.where({ disabled: q.disabled });
      if (q.policyId) query.where({ policy_id: q.policyId });
      const users = (await query).map(fromRow);
      return q.role ? users.filter((u) => u.roles.includes(q.role!)) : users;
    },

    /** Changes profile fields; those left out keep their value. Returns false when the user does not exist. `facts.phoneEnrolled`: the user added the phone at sign-in. */
    async update(id: string, c: UserChanges, facts: { phoneEnrolled?: boolean } = {}): Promise<boolean> {
      const row: Row = {};
      // A phone added at sign-in (not by an admin): the sign-in decision reads when.
      if (facts.phoneEnrolled) row.phone_enrolled_at = now();
      if (c.username !== undefined) row.username = c.username?.trim().toLowerCase() || null;
      if (c.email !== undefined) row.email = c.email?.trim().toLowerCase() || null;
      if (c.emailVerified !== undefined) row.email_verified = c.emailVerified;
      if (c.name !== undefined) row.name = c.name;
      if (c.givenName !== undefined) row.given_name = c.givenName;
      if (c.familyName !== undefined) row.family_name = c.familyName;
      if (c.locale !== undefined) row.locale = c.locale;
      if (c.phoneNumber !== undefined) row.phone_number = c.phoneNumber;
      if (c.phoneNumberVerified !== undefined) row.phone_number_verified = c.phoneNumberVerified;
      if (c.customAttributes !== undefined) row.custom_attributes = JSON.stringify(c.customAttributes);
      if (c.roles !== undefined) row.roles = JSON.stringify(c.roles);
      return (await db('users').where({ id }).update({ ...row, updated_at: now() })) > 0;
    },

    async remove(id: string): Promise<boolean> {
      return (await db('users').where({ id }).delete()) > 0;
    },

    /** Enabled users holding a role (e.g. to keep at least one admin). */
    async enabledWithRole(role: string): Promise<User[]> {
      const rows = await db('users').where({ disabled: false }).whereRaw("roles like ? escape '!'", [`%${likeEscape(JSON.stringify(role))}%`]);
      return rows.map(fromRow).filter((u) => u.roles.includes(role));
    },

    /** Names of custom attributes users have (sampled from up to `scan` users), sorted. */
    async customAttributeNames(scan = 5000): Promise<string[]> {
      const rows = await db('users').whereNotNull('custom_attributes').whereNot('custom_attributes', '{}').select('custom_attributes').limit(scan);
      const names = new Set<string>();
      for (const r of rows) for (const k of Object.keys(jsonColumn<Record<string, unknown>>(r.custom_attributes, {}))) names.add(k);
      return [...names].sort();
    },
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;
