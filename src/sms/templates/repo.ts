// sms_templates table access: admin overrides keyed by purpose, language, and optionally account and region.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { localSettingsCache, type SettingsCache } from '../../db/recent.ts';
import type { Purpose, Region } from '../types.ts';

export interface StoredTemplate {
  id: string;
  purpose: Purpose;
  language: string;
  accountId: string | null;
  region: Region | null;
  body: string;
  createdAt: number;
  updatedAt: number;
}

type Row = Record<string, unknown>;
const TABLE = 'sms_templates';

const fromRow = (r: Row): StoredTemplate => ({
  id: String(r.id),
  purpose: r.purpose as Purpose,
  language: String(r.language),
  accountId: r.account_id ? String(r.account_id) : null,
  region: r.region ? (r.region as Region) : null,
  body: String(r.body),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export function createTemplatesRepo(db: Knex, now: () => number, settings: SettingsCache = localSettingsCache()) {
  // Every send looks up its candidates: cached with the other settings.
  const candidates = settings.recent<string, StoredTemplate[]>();
  return {
    async list(filter: { purpose?: Purpose; language?: string; accountId?: string } = {}): Promise<StoredTemplate[]> {
      const q = db(TABLE).orderBy([{ column: 'purpose' }, { column: 'language' }, { column: 'account_id' }, { column: 'region' }]);
      if (filter.purpose) q.where({ purpose: filter.purpose });
      if (filter.language) q.where({ language: filter.language });
      if (filter.accountId) q.where({ account_id: filter.accountId });
      return (await q).map(fromRow);
    },
    async find(id: string): Promise<StoredTemplate | undefined> {
      const row = await db(TABLE).where({ id }).first();
      return row ? fromRow(row) : undefined;
    },
    /** Templates that may apply to a message: generic ones plus those narrowed to this account and/or region. */
    async candidates(purpose: Purpose, accountId: string, region: Region | undefined): Promise<StoredTemplate[]> {
      const found = await candidates.get(`${purpose}\n${accountId}\n${region ?? ''}`, async () => {
        const rows = await db(TABLE)
          .where({ purpose })
          .whereIn('account_id', ['', accountId])
          .whereIn('region', region ? ['', region] : ['']);
        return rows.map(fromRow);
      });
      return found.map((t) => ({ ...t }));
    },
    /** Creates or replaces the template of one scope (purpose, language, account, region). */
    async upsert(t: { purpose: Purpose; language: string; accountId: string | null; region: Region | null; body: string }): Promise<string> {
      const at = now();
      const scope = { purpose: t.purpose, language: t.language, account_id: t.accountId ?? '', region: t.region ?? '' };
      await db(TABLE)
        .insert({ id: randomUUID(), ...scope, body: t.body, created_at: at, updated_at: at })
        .onConflict(['purpose', 'language', 'account_id', 'region'])
        .merge(['body', 'updated_at']);
      const row = await db(TABLE).where(scope).first('id');
      await settings.changed();
      return String(row.id);
    },
    async remove(id: string): Promise<boolean> {
      const removed = (await db(TABLE).where({ id }).delete()) > 0;
      await settings.changed();
      return removed;
    },
    async removeForAccount(accountId: string): Promise<void> {
      await db(TABLE).where({ account_id: accountId }).delete();
      await settings.changed();
    },
  };
}

export type TemplatesRepo = ReturnType<typeof createTemplatesRepo>;
