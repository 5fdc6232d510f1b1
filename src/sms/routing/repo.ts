// sms_routes access: rules in evaluation order; inserting, moving and deleting keep positions dense (1, 2, 3, …).
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { localSettingsCache, type SettingsCache } from '../../db/recent.ts';
import type { Route } from './types.ts';

type Row = Record<string, unknown>;
const TABLE = 'sms_routes';

const fromRow = (r: Row): Route => ({
  id: String(r.id),
  position: Number(r.position),
  country: (r.country as string | null) ?? null,
  prefix: (r.prefix as string | null) ?? null,
  clientId: (r.client_id as string | null) ?? null,
  accountId: String(r.account_id),
  fallbackAccountId: (r.fallback_account_id as string | null) ?? null,
  note: (r.note as string | null) ?? null,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export type RouteFields = Pick<Route, 'country' | 'prefix' | 'clientId' | 'accountId' | 'fallbackAccountId' | 'note'>;

const columns = (f: RouteFields) => ({
  country: f.country,
  prefix: f.prefix,
  client_id: f.clientId,
  account_id: f.accountId,
  fallback_account_id: f.fallbackAccountId,
  note: f.note,
});

export function createRoutesRepo(db: Knex, now: () => number, settings: SettingsCache = localSettingsCache()) {
  // Every send reads the rules: cached as the other read-mostly settings are; a change here empties the caches.
  const cache = settings.recent<1, Route[]>();
  const changed = () => settings.changed();
  /** Renumbers the rules 1..n in the order given (ids missing from the table are ignored). */
  async function renumber(trx: Knex.Transaction, ids: string[]): Promise<void> {
    for (const [i, id] of ids.entries()) await trx(TABLE).where({ id }).whereNot({ position: i + 1 }).update({ position: i + 1 });
  }
  const orderedIds = async (trx: Knex | Knex.Transaction) => (await trx(TABLE).orderBy([{ column: 'position' }, { column: 'created_at' }]).select('id')).map((r: Row) => String(r.id));
  /** Moves `id` to `position` (1-based, clamped) among the others. */
  const place = (ids: string[], id: string, position: number | undefined) => {
    const rest = ids.filter((x) => x !== id);
    const at = position === undefined ? rest.length : Math.min(Math.max(position - 1, 0), rest.length);
    rest.splice(at, 0, id);
    return rest;
  };

  return {
    list(): Promise<Route[]> {
      return cache.get(1, async () => (await db(TABLE).orderBy([{ column: 'position' }, { column: 'created_at' }])).map(fromRow));
    },
    async get(id: string): Promise<Route | undefined> {
      const r = await db(TABLE).where({ id }).first();
      return r ? fromRow(r) : undefined;
    },
    async insert(f: RouteFields, position?: number): Promise<string> {
      const id = randomUUID();
      const at = now();
      await db.transaction(async (trx) => {
        const ids = await orderedIds(trx);
        await trx(TABLE).insert({ id, position: ids.length + 1, ...columns(f), created_at: at, updated_at: at });
        await renumber(trx, place([...ids, id], id, position));
      });
      await changed();
      return id;
    },
    async update(id: string, f: RouteFields, position?: number): Promise<void> {
      await db.transaction(async (trx) => {
        await trx(TABLE).where({ id }).update({ ...columns(f), updated_at: now() });
        if (position !== undefined) await renumber(trx, place(await orderedIds(trx), id, position));
      });
      await changed();
    },
    async remove(id: string): Promise<void> {
      await db.transaction(async (trx) => {
        await trx(TABLE).where({ id }).delete();
        await renumber(trx, await orderedIds(trx));
      });
      await changed();
    },
    /** Drops the rules of a deleted account, and the fallbacks naming it. */
    async removeForAccount(accountId: string): Promise<void> {
      await db.transaction(async (trx) => {
        await trx(TABLE).where({ account_id: accountId }).delete();
        await trx(TABLE).where({ fallback_account_id: accountId }).update({ fallback_account_id: null, updated_at: now() });
        await renumber(trx, await orderedIds(trx));
      });
      await changed();
    },
  };
}

export type RoutesRepo = ReturnType<typeof createRoutesRepo>;
