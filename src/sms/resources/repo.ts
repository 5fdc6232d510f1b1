// sms_signatures, sms_provider_templates and sms_grants access: rows in and out, grants read alongside.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { jsonColumn } from '../../db/knex.ts';
import { copyJson, localSettingsCache, type SettingsCache } from '../../db/recent.ts';
import type { Purpose, Region } from '../purposes.ts';
import type { GrantKind, ProviderTemplate, Signature, TextStatus } from './types.ts';

type Row = Record<string, unknown>;

export function createResourcesRepo(db: Knex, now: () => number, settings: SettingsCache = localSettingsCache()) {
  // Every send reads an account's signatures and templates and the account grants: cached with the other settings.
  const signatureLists = settings.recent<string, Signature[]>();
  const templateLists = settings.recent<string, ProviderTemplate[]>();
  const accountGrants = settings.recent<1, Map<string, string[]>>();
  async function grantsOf(kind: GrantKind, ids: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (ids.length === 0) return out;
    for (const r of await db('sms_grants').where({ kind }).whereIn('resource_id', ids).orderBy('client_id')) {
      const list = out.get(String(r.resource_id)) ?? [];
      list.push(String(r.client_id));
      out.set(String(r.resource_id), list);
    }
    return out;
  }

  const signature = (r: Row, grants: Map<string, string[]>): Signature => ({
    id: String(r.id),
    accountId: String(r.account_id),
    signName: String(r.sign_name),
    region: r.region as Region,
    note: (r.note as string | null) ?? null,
    general: Boolean(r.general),
    clientIds: grants.get(String(r.id)) ?? [],
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  });

  const template = (r: Row, grants: Map<string, string[]>): ProviderTemplate => ({
    id: String(r.id),
    accountId: String(r.account_id),
    code: String(r.code),
    purpose: r.purpose as Purpose,
    region: r.region as Region,
    language: (r.language as string | null) ?? null,
    params: jsonColumn<Record<string, string>>(r.params, {}),
    text: (r.text as string | null) ?? null,
    textStatus: r.text_status as TextStatus,
    general: Boolean(r.general),
    clientIds: grants.get(String(r.id)) ?? [],
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  });

  async function setGrants(trx: Knex | Knex.Transaction, kind: GrantKind, id: string, clientIds: readonly string[]) {
    await trx('sms_grants').where({ kind, resource_id: id }).delete();
    const at = now();
    if (clientIds.length) await trx('sms_grants').insert([...new Set(clientIds)].map((c) => ({ kind, resource_id: id, client_id: c, created_at: at })));
  }

  async function loadSignatures(filter: { accountId?: string }): Promise<Signature[]> {
    const q = db('sms_signatures').orderBy([{ column: 'account_id' }, { column: 'region' }, { column: 'sign_name' }]);
    if (filter.accountId) q.where({ account_id: filter.accountId });
    const rows = await q;
    const g = await grantsOf('signature', rows.map((r) => String(r.id)));
    return rows.map((r) => signature(r, g));
  }

  async function loadTemplates(filter: { accountId?: string }): Promise<ProviderTemplate[]> {
    const q = db('sms_provider_templates').orderBy([{ column: 'account_id' }, { column: 'purpose' }, { column: 'region' }, { column: 'code' }]);
    if (filter.accountId) q.where({ account_id: filter.accountId });
    const rows = await q;
    const g = await grantsOf('template', rows.map((r) => String(r.id)));
    return rows.map((r) => template(r, g));
  }

  async function loadAccountGrants(): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const r of await db('sms_grants').where({ kind: 'account' })) out.set(String(r.resource_id), [...(out.get(String(r.resource_id)) ?? []), String(r.client_id)]);
    return out;
  }

  return {
    async signatures(filter: { accountId?: string } = {}): Promise<Signature[]> {
      return copyJson(await signatureLists.get(filter.accountId ?? '', () => loadSignatures(filter)));
    },
    async templates(filter: { accountId?: string } = {}): Promise<ProviderTemplate[]> {
      return copyJson(await templateLists.get(filter.accountId ?? '', () => loadTemplates(filter)));
    },
    async signature(id: string): Promise<Signature | undefined> {
      const r = await db('sms_signatures').where({ id }).first();
      return r ? signature(r, await grantsOf('signature', [id])) : undefined;
    },
    async findSignature(accountId: string, signName: string, region: Region): Promise<Signature | undefined> {
      const r = await db('sms_signatures').where({ account_id: accountId, sign_name: signName, region }).first();
      return r ? signature(r, await grantsOf('signature', [String(r.id)])) : undefined;
    },
    async saveSignature(s: Omit<Signature, 'id' | 'createdAt' | 'updatedAt'> & { id?: string }): Promise<string> {
      const id = s.id ?? randomUUID();
      const at = now();
      await db.transaction(async (trx) => {
        const row = { account_id: s.accountId, sign_name: s.signName, region: s.region, note: s.note, general: s.general, updated_at: at };
        if (s.id) await trx('sms_signatures').where({ id }).update(row);
        else await trx('sms_signatures').insert({ id, ...row, created_at: at });
        await setGrants(trx, 'signature', id, s.clientIds);
      });
      await settings.changed();
      return id;
    },
    async template(id: string): Promise<ProviderTemplate | undefined> {
      const r = await db('sms_provider_templates').where({ id }).first();
      return r ? template(r, await grantsOf('template', [id])) : undefined;
    },
    async findTemplate(accountId: string, code: string, purpose: Purpose, region: Region): Promise<ProviderTemplate | undefined> {
      const r = await db('sms_provider_templates').where({ account_id: accountId, code, purpose, region }).first();
      return r ? template(r, await grantsOf('template', [String(r.id)])) : undefined;
    },
    async saveTemplate(t: Omit<ProviderTemplate, 'id' | 'createdAt' | 'updatedAt'> & { id?: string }): Promise<string> {
      const id = t.id ?? randomUUID();
      const at = now();
      await db.transaction(async (trx) => {
        const row = {
          account_id: t.accountId,
          code: t.code,
          purpose: t.purpose,
          region: t.region,
          language: t.language,
          params: JSON.stringify(t.params),
          text: t.text,
          text_status: t.textStatus,
          general: t.general,
          updated_at: at,
        };
        if (t.id) await trx('sms_provider_templates').where({ id }).update(row);
        else await trx('sms_provider_templates').insert({ id, ...row, created_at: at });
        await setGrants(trx, 'template', id, t.clientIds);
      });
      await settings.changed();
      return id;
    },
    /** Deletes a signature or template and its grants. */
    async remove(kind: 'signature' | 'template', id: string): Promise<boolean> {
      const removed = await db.transaction(async (trx) => {
        const n = await trx(kind === 'signature' ? 'sms_signatures' : 'sms_provider_templates').where({ id }).delete();
        await trx('sms_grants').where({ kind, resource_id: id }).delete();
        return n > 0;
      });
      await settings.changed();
      return removed;
    },
    /** Drops everything of a deleted account (its signatures, templates and every grant on them). */
    async removeForAccount(accountId: string): Promise<void> {
      await db.transaction(async (trx) => {
        const sigs = (await trx('sms_signatures').where({ account_id: accountId }).select('id')).map((r) => String(r.id));
        const tpls = (await trx('sms_provider_templates').where({ account_id: accountId }).select('id')).map((r) => String(r.id));
        if (sigs.length) await trx('sms_grants').where({ kind: 'signature' }).whereIn('resource_id', sigs).delete();
        if (tpls.length) await trx('sms_grants').where({ kind: 'template' }).whereIn('resource_id', tpls).delete();
        await trx('sms_grants').where({ kind: 'account', resource_id: accountId }).delete();
        await trx('sms_signatures').where({ account_id: accountId }).delete();
        await trx('sms_provider_templates').where({ account_id: accountId }).delete();
      });
      await settings.changed();
    },
    async accountGrants(accountId: string): Promise<string[]> {
      return (await grantsOf('account', [accountId])).get(accountId) ?? [];
    },
    /** Every account grant, as account id → client ids. */
    async allAccountGrants(): Promise<Map<string, string[]>> {
      return accountGrants.get(1, () => loadAccountGrants());
    },
    async setAccountAccess(accountId: string, general: boolean, clientIds: readonly string[]): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('sms_accounts').where({ id: accountId }).update({ general, updated_at: now() });
        await setGrants(trx, 'account', accountId, clientIds);
      });
      await settings.changed();
    },
  };
}

export type ResourcesRepo = ReturnType<typeof createResourcesRepo>;
