// oidc-provider storage adapter on knex: one table for all models, ids stored as a keyed hash; clients come from the clients table.
import type { Knex } from 'knex';
import { type Adapter, type AdapterPayload, errors } from 'oidc-provider';
import type { ClientsRepo } from '../db/clients.ts';
import { placeholders, prepared } from '../db/prepared.ts';
import { isConnectionError, once, retryIdempotent } from '../db/retry.ts';
import type { SecretBox } from '../security/secrets.ts';
import type { InteractionMemory } from './interaction-memory.ts';
import { providerUnavailable } from './unavailable.ts';

export interface AdapterDeps {
  db: Knex;
  clients: Pick<ClientsRepo, 'find'>;
  /**
   * Keyed hash of a stored id. Token, code, session and grant ids are bearer secrets: the table holds only their
   * hash, so a backup or a replica of it yields no live token.
   */
  hashId: IdHasher;
  now?: () => number;
  /** Interactions as this instance last stored or read them (see interaction-memory.ts). */
  interactions?: InteractionMemory;
}

/** The hash written for an id; `all` also gives its hashes under previous SECRET_KEYs (current first), for lookups. */
export type IdHasher = ((id: string) => string) & { all?: (id: string) => string[] };

export type AdapterClass = new (model: string) => Adapter;

/** The keyed hash stored in place of an id (HMAC-SHA-256 under a key derived from SECRET_KEY for this purpose). */
export const payloadIdHash = (box: Pick<SecretBox, 'hmac'> & Partial<Pick<SecretBox, 'hmacs'>>): IdHasher =>
  Object.assign((id: string): string => box.hmac('oidc-payload-id', id), {
    all: (id: string): string[] => (box.hmacs ? box.hmacs('oidc-payload-id', id) : [box.hmac('oidc-payload-id', id)]),
  });

/** A connection error (or the 503 it became) as oidc-provider answers it: 503 temporarily_unavailable. */
const asProviderError = (err: unknown): unknown => (isConnectionError(err) || (err as { code?: unknown })?.code === 'temporarily_unavailable' ? providerUnavailable() : err);
/** Reads and the idempotent upsert are retried briefly; consume, destroy and revoke run once. */
const retried = <T>(fn: () => Promise<T>): Promise<T> => retryIdempotent(fn).catch((err) => Promise.reject(asProviderError(err)));
const single = <T>(fn: () => Promise<T>): Promise<T> => once(fn).catch((err) => Promise.reject(asProviderError(err)));

export function createAdapter({ db, clients, hashId, now = Date.now, interactions }: AdapterDeps): AdapterClass {
  const table = 'oidc_payloads';
  const hashes = (id: string) => hashId.all?.(id) ?? [hashId(id)];
  // Every call is one fixed statement, prepared once per connection (one text per number of SECRET_KEYs).
  const sql = prepared(db);
  const live = 'AND (expires_at IS NULL OR expires_at > ?)';
  const columns = ['payload', 'grant_id', 'uid', 'user_code', 'account_id', 'expires_at'];
  const UPSERT = `INSERT INTO ${table} (model, id, ${columns.join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ${sql.onConflictMerge(['model', 'id'], columns)}`;
  const byId = (n: number) => `model = ? AND id IN (${placeholders(n)})`;
  type Row = { id?: string; payload: unknown; consumed_at: unknown; expires_at?: unknown };

  /** A row stored under a previous key's hash is moved to the current hash, so dropping that key later loses nothing in use. */
  async function rehash(model: string, id: string, grantId?: unknown, all: string[] = hashes(id)): Promise<void> {
    const [current, ...old] = all as [string, ...string[]];
    if (!old.length) return;
    try {
      await db(table).where({ model }).whereIn('id', old).update({ id: current, ...(typeof grantId === 'string' ? { grant_id: hashId(grantId) } : {}) });
    } catch {
      // A row under the current hash exists as well: it is the newer one.
      await db(table).where({ model }).whereIn('id', old).delete();
    }
  }

  function parse(row: Row | undefined): AdapterPayload | undefined {
    if (!row) return undefined;
    const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as AdapterPayload;
    if (row.consumed_at != null) payload.consumed = Math.floor(Number(row.consumed_at) / 1000);
    return payload;
  }

  return class KnexAdapter implements Adapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      return retried(() => this.write(id, payload, expiresIn));
    }

    private async write(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const all = hashes(id);
      await rehash(this.model, id, undefined, all);
      const json = JSON.stringify(payload);
      const expiresAt = expiresIn ? now() + expiresIn * 1000 : null;
      await sql.run(UPSERT, [
        this.model,
        all[0]!,
        json,
        payload.grantId ? hashId(payload.grantId) : null,
        payload.uid ?? null,
        payload.userCode ?? null,
        typeof payload.accountId === 'string' ? payload.accountId : null,
        expiresAt,
      ]);
      if (this.memory) this.memory.remember(id, json, expiresAt ?? Number.MAX_SAFE_INTEGER);
    }

    /** Interactions only: the screens of one sign-in find theirs in memory (see interaction-memory.ts). */
    private get memory(): InteractionMemory | undefined {
      return this.model === 'Interaction' ? interactions : undefined;
    }

    find(id: string): Promise<AdapterPayload | undefined> {
      return retried(() => this.read(id));
    }

    private async read(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') {
        const client = await clients.find(id);
        if (!client || client.disabled) return undefined;
        return { ...client.metadata, first_party: client.firstParty } as AdapterPayload;
      }
      const memory = this.memory;
      const kept = memory?.recall(id);
      if (kept !== undefined) return parse({ payload: kept, consumed_at: null });
      const all = hashes(id);
      const [row] = await sql.rows<Row>(`SELECT id, payload, consumed_at, expires_at FROM ${table} WHERE ${byId(all.length)} ${live} LIMIT 1`, [this.model, ...all, now()]);
      const payload = parse(row);
      if (row && row.id !== all[0]) await rehash(this.model, id, payload?.grantId, all);
      if (memory && row) memory.remember(id, typeof row.payload === 'string' ? row.payload : JSON.stringify(row.payload), row.expires_at == null ? Number.MAX_SAFE_INTEGER : Number(row.expires_at));
      return payload;
    }

    findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return retried(async () => parse((await sql.rows<Row>(`SELECT payload, consumed_at FROM ${table} WHERE model = ? AND uid = ? ${live} LIMIT 1`, [this.model, uid, now()]))[0]));
    }

    findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return retried(async () => parse((await sql.rows<Row>(`SELECT payload, consumed_at FROM ${table} WHERE model = ? AND user_code = ? ${live} LIMIT 1`, [this.model, userCode, now()]))[0]));
    }

    /** One statement decides: of two parallel redemptions exactly one changes the row; the other fails. */
    async consume(id: string): Promise<void> {
      const all = hashes(id);
      const changed = await single(() => sql.run(`UPDATE ${table} SET consumed_at = ? WHERE ${byId(all.length)} AND consumed_at IS NULL`, [now(), this.model, ...all]));
      if (changed === 0) throw new errors.InvalidGrant(`${this.model} was already used or does not exist`);
    }

    async destroy(id: string): Promise<void> {
      this.memory?.forget(id);
      const all = hashes(id);
      await single(() => sql.run(`DELETE FROM ${table} WHERE ${byId(all.length)}`, [this.model, ...all]));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      interactions?.forgetAll();
      const all = hashes(grantId);
      await single(() => sql.run(`DELETE FROM ${table} WHERE grant_id IN (${placeholders(all.length)})`, all));
    }
  };
}

/** Ends every session of an account (see revokeAccount); the one function flows and services are handed. */
export type RevokeAccount = (accountId: string) => Promise<number>;
export const accountRevoker =
  (db: Knex, interactions?: Pick<InteractionMemory, 'forgetAll'>): RevokeAccount =>
  (accountId) => {
    // Interactions of the account's grants go too: none is answered from memory any more.
    interactions?.forgetAll();
    return revokeAccount(db, accountId);
  };

/**
 * Ends everything held for an account: provider sessions, grants and the tokens and codes of those grants, and
 * admin console sessions (stored here too). Used after a password reset. Returns the number of rows removed.
 */
export async function revokeAccount(db: Knex, accountId: string): Promise<number> {
  const grantIds = (await db('oidc_payloads').where({ account_id: accountId }).whereNotNull('grant_id').distinct('grant_id')).map((r) => r.grant_id as string);
  const grants = (await db('oidc_payloads').where({ model: 'Grant', account_id: accountId }).select('id')).map((r) => r.id as string);
  const all = [...new Set([...grantIds, ...grants])];
  let removed = await db('oidc_payloads').where({ account_id: accountId }).delete();
  if (all.length) removed += await db('oidc_payloads').whereIn('grant_id', all).orWhere((q) => q.where('model', 'Grant').whereIn('id', all)).delete();
  return removed;
}

/** Deletes expired provider rows; safe to run from every instance. Returns the number removed. */
export async function purgeExpired(db: Knex, now: number = Date.now()): Promise<number> {
  return db('oidc_payloads').where('expires_at', '<=', now).delete();
}
