// Policies repository (exactly one default, user assignment) and the SMS factor's settings; every save goes through the pure rules.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError, parseWith } from '../errors.ts';
import {
  mergePolicyPatch,
  mfaSectionSchema,
  type Policy,
  type PolicyContent,
  type PolicyPatch,
  passwordSectionSchema,
  passwordUpdateSectionSchema,
} from '../policies/schema.ts';
import { type SmsAvailability, type SmsFactorSettings, smsAvailability, smsFactorSettingsSchema } from '../policies/sms-factor.ts';
import { checkPolicy } from '../policies/validate.ts';
import { isMysql, jsonColumn } from './knex.ts';
import { copyJson, localSettingsCache, type SettingsCache } from './recent.ts';

type Row = Record<string, unknown>;

function fromRow(r: Row): Policy {
  return {
    id: r.id as string,
    name: r.name as string,
    isDefault: r.default_marker != null,
    mfa: mfaSectionSchema.parse(jsonColumn(r.mfa, {})),
    password: passwordSectionSchema.parse(jsonColumn(r.password, {})),
    passwordUpdate: passwordUpdateSectionSchema.parse(jsonColumn(r.password_update, {})),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

const sections = (p: PolicyContent) => ({
  name: p.name,
  mfa: JSON.stringify(p.mfa),
  password: JSON.stringify(p.password),
  password_update: JSON.stringify(p.passwordUpdate),
});

const notFound = (id: string, field = 'id') =>
  new AppError('policy_not_found', 404, { message: `policy ${JSON.stringify(id)} does not exist (it may have been deleted)`, params: { field } });

export function createPoliciesRepo(db: Knex, now: () => number = Date.now, settings: SettingsCache = localSettingsCache()) {
  // Every sign-in reads its user's policy: policies are cached by id with the other settings ('' is the default).
  const byId = settings.recent<string, Policy | undefined>();
  const orUndefined = (row: Row | undefined): Policy | undefined => (row ? fromRow(row) : undefined);
  const cached = (id: string | null): Promise<Policy | undefined> => byId.get(id ?? '', async () => (id === null ? getDefault() : orUndefined(await db('policies').where({ id }).first())));
  const copy = (p: Policy | undefined): Policy | undefined => p && copyJson(p);
  /** Runs a change, then tells every cache. */
  const changing = async <T>(f: () => Promise<T>): Promise<T> => {
    const out = await f();
    await settings.changed();
    return out;
  };
  /** Locks the policy row until the transaction ends (MySQL; SQLite transactions are serialised anyway). */
  const lockedRow = (trx: Knex.Transaction, id: string, mode: 'share' | 'update'): Promise<Row | undefined> => {
    const q = trx('policies').where({ id }).first();
    if (!isMysql(db)) return q;
    return mode === 'update' ? q.forUpdate() : q.forShare();
  };

  async function assertNameFree(trx: Knex | Knex.Transaction, name: string, exceptId?: string): Promise<void> {
    const q = trx('policies').whereRaw('lower(name) = ?', [name.toLowerCase()]);
    if (exceptId) q.whereNot({ id: exceptId });
    if (await q.first('id')) {
      throw new AppError('policy_name_taken', 409, { message: `name: a policy named ${JSON.stringify(name)} already exists`, params: { field: 'name' } });
    }
  }

  async function getDefault(conn: Knex | Knex.Transaction = db): Promise<Policy> {
    const row = await conn('policies').where({ default_marker: 1 }).first();
    if (!row) throw new AppError('policy_default_missing', 500, { message: 'no default policy exists (migrations not run?)', expose: false });
    return fromRow(row);
  }

  return {
    /** Every policy, the default first, then by name. */
    async list(): Promise<Policy[]> {
      const rows = await db('policies').select();
      return rows.map(fromRow).sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name));
    },

    async get(id: string): Promise<Policy | undefined> {
      return copy(await cached(id));
    },

    getDefault: async (): Promise<Policy> => copy(await cached(null)) as Policy,

    /** The policy of a user already read: its assigned one (if it still exists), else the default. */
    async ofUser(user: { policyId: string | null } | undefined): Promise<Policy> {
      const assigned = user?.policyId ? await cached(user.policyId) : undefined;
      return copy(assigned ?? (await cached(null))) as Policy;
    },

    /** Creates a policy from parsed content (sections with their defaults); 422 when a rule is broken. */
    async create(content: PolicyContent): Promise<Policy> {
      const policy = checkPolicy(content);
      const at = now();
      const row = { id: randomUUID(), ...sections(policy), default_marker: null, created_at: at, updated_at: at };
      await changing(() =>
        db.transaction(async (trx) => {
          await assertNameFree(trx, policy.name);
          await trx('policies').insert(row);
        }),
      );
      return fromRow(row);
    },

    /** Changes the name and/or fields of sections; checked against the stored version (e.g. removing a factor in use). */
    async update(id: string, patch: PolicyPatch): Promise<Policy> {
      return changing(() => db.transaction(async (trx) => {
        const row = await lockedRow(trx, id, 'update');
        if (!row) throw notFound(id);
        const current = fromRow(row);
        const policy = checkPolicy(mergePolicyPatch(current, patch), current);
        await assertNameFree(trx, policy.name, id);
        const updatedAt = now();
        await trx('policies').where({ id }).update({ ...sections(policy), updated_at: updatedAt });
        return { ...current, ...policy, updatedAt };
      }));
    },

    /** Makes this policy the default (the one of every unassigned user); the previous default stops being one. */
    async setDefault(id: string): Promise<Policy> {
      return changing(() => db.transaction(async (trx) => {
        const row = await lockedRow(trx, id, 'update');
        if (!row) throw notFound(id);
        const at = now();
        await trx('policies').whereNot({ id }).whereNotNull('default_marker').update({ default_marker: null, updated_at: at });
        await trx('policies').where({ id }).update({ default_marker: 1, updated_at: at });
        return fromRow({ ...row, default_marker: 1, updated_at: at });
      }));
    },

    /**
     * Deletes a policy. Not the default; and not one with users unless `reassignUsersTo` says where they go: another
     * policy's id, or null for "unassigned" (they follow the default).
     */
    async delete(id: string, options: { reassignUsersTo?: string | null } = {}): Promise<void> {
      await changing(() => db.transaction(async (trx) => {
        const row = await lockedRow(trx, id, 'update');
        if (!row) throw notFound(id);
        if (row.default_marker != null) {
          throw new AppError('policy_is_default', 422, { message: 'The default policy cannot be deleted: make another policy the default first.', params: { field: 'id' } });
        }
        const users = Number((await trx('users').where({ policy_id: id }).count({ n: '*' }).first())?.n ?? 0);
        const target = options.reassignUsersTo;
        if (users > 0) {
          if (target === undefined) {
            throw new AppError('policy_in_use', 422, {
              message: `This policy is assigned to ${users} user(s): choose the policy they move to before deleting it.`,
              params: { field: 'reassignUsersTo', users },
            });
          }
          if (target === id) {
            throw new AppError('policy_reassign_to_itself', 422, { message: 'Users cannot be moved to the policy being deleted.', params: { field: 'reassignUsersTo' } });
          }
          if (target !== null && !(await lockedRow(trx, target, 'share'))) throw notFound(target, 'reassignUsersTo');
          await trx('users').where({ policy_id: id }).update({ policy_id: target, updated_at: now() });
        }
        await trx('policies').where({ id }).delete();
      }));
    },

    /** Users explicitly assigned to the policy (unassigned users follow the default and are not counted). */
    async countUsers(id: string): Promise<number> {
      return Number((await db('users').where({ policy_id: id }).count({ n: '*' }).first())?.n ?? 0);
    },

    /** The user's policy: the assigned one, else the default. */
    async forUser(userId: string): Promise<Policy> {
      const row = await db('policies').join('users', 'users.policy_id', 'policies.id').where('users.id', userId).first('policies.*');
      return row ? fromRow(row) : getDefault();
    },

    /** Assigns a user to a policy; null unassigns (the user then follows the default). */
    async assignUser(userId: string, policyId: string | null): Promise<void> {
      await db.transaction(async (trx) => {
        if (policyId !== null && !(await lockedRow(trx, policyId, 'share'))) throw notFound(policyId, 'policyId');
        const changed = await trx('users').where({ id: userId }).update({ policy_id: policyId, updated_at: now() });
        if (changed === 0) throw new AppError('user_not_found', 404, { message: `user ${JSON.stringify(userId)} does not exist`, params: { field: 'userId' } });
      });
    },
  };
}

export type PoliciesRepo = ReturnType<typeof createPoliciesRepo>;

const SMS_FACTOR_KEY = 'sms_factor';

export interface SmsFactorRepoDeps {
  /** Whether the SMS account exists and its last verification succeeded (from the SMS accounts module). */
  isAccountVerified(accountId: string): Promise<boolean>;
}

/** A change to the SMS factor: any top-level setting; code settings merge field by field. */
export type SmsFactorPatch = Partial<{
  active: boolean;
  accountId: string | null;
  phoneField: SmsFactorSettings['phoneField'];
  defaultCountry: string | null;
  mfaCode: Partial<SmsFactorSettings['mfaCode']>;
  resetCode: Partial<SmsFactorSettings['resetCode']>;
}>;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function createSmsFactorRepo(db: Knex, deps: SmsFactorRepoDeps, now: () => number = Date.now, settings: SettingsCache = localSettingsCache()) {
  const cache = settings.recent<string, SmsFactorSettings>();
  const get = (): Promise<SmsFactorSettings> =>
    cache.get(SMS_FACTOR_KEY, async () => {
      const row = await db('settings').where({ key: SMS_FACTOR_KEY }).first();
      return smsFactorSettingsSchema.parse(jsonColumn(row?.value, {}));
    });

  return {
    /** The stored settings, or the defaults (inactive, built-in phone_number) when never saved. */
    get,

    /** Saves a change; 422 when a value is out of bounds, or when it would be active on an unverified account. */
    async save(patch: SmsFactorPatch): Promise<SmsFactorSettings> {
      const current = await get();
      const input: Record<string, unknown> = { ...current, ...patch };
      for (const key of ['mfaCode', 'resetCode'] as const) {
        if (isPlainObject(patch[key])) input[key] = { ...current[key], ...patch[key] };
      }
      const next = parseWith(smsFactorSettingsSchema, input, 'sms_factor_invalid');
      if (next.active && next.accountId && !(await deps.isAccountVerified(next.accountId))) {
        throw new AppError('sms_factor_account_unverified', 422, {
          message: 'accountId: the SMS factor can only be active with a verified SMS account: verify the account first.',
          params: { field: 'accountId' },
        });
      }
      await db('settings')
        .insert({ key: SMS_FACTOR_KEY, value: JSON.stringify(next), updated_at: now() })
        .onConflict('key')
        .merge(['value', 'updated_at']);
      await settings.changed();
      return next;
    },

    /** The user attribute that holds the phone number (`phone_number` or a custom attribute's name). */
    async phoneFieldName(): Promise<string> {
      const { phoneField: f } = await get();
      return f.source === 'phone_number' ? 'phone_number' : f.attribute;
    },

    /** Whether SMS options may be offered now; the reason is for admins only. */
    async availability(): Promise<SmsAvailability> {
      const settings = await get();
      if (!settings.active || !settings.accountId) return smsAvailability(settings, 'missing');
      return smsAvailability(settings, (await deps.isAccountVerified(settings.accountId)) ? 'verified' : 'unverified');
    },
  };
}

export type SmsFactorRepo = ReturnType<typeof createSmsFactorRepo>;
