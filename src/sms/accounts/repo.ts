// sms_accounts table access: rows in and out, secrets sealed with the SecretBox on the way in and opened on the way out.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { jsonColumn } from '../../db/knex.ts';
import { copyJson, localSettingsCache, type SettingsCache } from '../../db/recent.ts';
import { type SecretBox, UnknownSecretKeyError } from '../../security/secrets.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { joinSecrets, splitSecrets } from './settings.ts';
import type { SmsAccount, Verification } from './types.ts';

type Row = Record<string, unknown>;
const TABLE = 'sms_accounts';

export function createAccountsRepo(db: Knex, box: SecretBox, registry: ProviderRegistry, now: () => number, settings: SettingsCache = localSettingsCache()) {
  // Secrets under a key no longer configured read as not entered (they must be entered again); the others still work.
  const openSecrets = (id: string, sealed: string): Record<string, unknown> => {
    try {
      return JSON.parse(box.decrypt(sealed, `SMS account ${id}'s secrets`)) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof UnknownSecretKeyError) return {};
      throw err;
    }
  };
  const fromRow = (r: Row): SmsAccount => {
    const provider = String(r.provider);
    const d = registry.find(provider);
    const secrets = r.secrets ? openSecrets(String(r.id), String(r.secrets)) : {};
    return {
      id: String(r.id),
      name: String(r.name),
      note: (r.note as string | null) ?? null,
      provider,
      isDefault: Boolean(r.is_default),
      general: r.general === undefined || r.general === null ? true : Boolean(r.general),
      homeCountry: (r.home_country as string | null) ?? null,
      // A kind no longer registered keeps its stored settings; sending through it is refused by the registry.
      settings: d ? joinSecrets(d, jsonColumn(r.settings, {}), secrets) : jsonColumn(r.settings, {}),
      verification: {
        status: r.verify_status as Verification['status'],
        reason: (r.verify_reason as string | null) ?? null,
        checkedAt: r.verified_at == null ? null : Number(r.verified_at),
      },
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    };
  };

  const sealed = (provider: string, full: Record<string, unknown>) => {
    const { settings, secrets } = splitSecrets(registry.get(provider), full);
    return { settings: JSON.stringify(settings), secrets: Object.keys(secrets).length ? box.encrypt(JSON.stringify(secrets)) : null };
  };

  // Sends and screens read the account (and decrypt its secrets) several times per sign-in: keep it a moment.
  const cache = settings.recent<string, SmsAccount | undefined>();
  const lists = settings.recent<'all' | 'default', SmsAccount[]>();

  return {
    /** A copy each time, so callers cannot change the cached account. */
    async find(id: string): Promise<SmsAccount | undefined> {
      const found = await cache.get(id, async () => {
        const row = await db(TABLE).where({ id }).first();
        return row ? fromRow(row) : undefined;
      });
      return found && copyJson(found);
    },
    async findByName(name: string): Promise<SmsAccount | undefined> {
      const row = await db(TABLE).where({ name }).first();
      return row ? fromRow(row) : undefined;
    },
    /** Every account, by name (copies, as for find). */
    async list(): Promise<SmsAccount[]> {
      return copyJson(await lists.get('all', async () => (await db(TABLE).orderBy('name')).map(fromRow)));
    },
    async insert(a: { name: string; note: string | null; provider: string; homeCountry: string | null; settings: Record<string, unknown>; verification: Verification }): Promise<string> {
      const id = randomUUID();
      const at = now();
      await db(TABLE).insert({
        id,
        name: a.name,
        note: a.note,
        provider: a.provider,
        home_country: a.homeCountry,
        ...sealed(a.provider, a.settings),
        is_default: false,
        verify_status: a.verification.status,
        verify_reason: a.verification.reason,
        verified_at: a.verification.checkedAt,
        created_at: at,
        updated_at: at,
      });
      await settings.changed();
      return id;
    },
    async update(a: SmsAccount): Promise<void> {
      await db(TABLE)
        .where({ id: a.id })
        .update({
          name: a.name,
          note: a.note,
          home_country: a.homeCountry,
          ...sealed(a.provider, a.settings),
          verify_status: a.verification.status,
          verify_reason: a.verification.reason,
          verified_at: a.verification.checkedAt,
          updated_at: now(),
        });
      await settings.changed();
    },
    async setVerification(id: string, v: Verification): Promise<void> {
      await db(TABLE).where({ id }).update({ verify_status: v.status, verify_reason: v.reason?.slice(0, 255) ?? null, verified_at: v.checkedAt, updated_at: now() });
      await settings.changed();
    },
    /** Makes one account the default (and no other), in one transaction. */
    async setDefault(id: string | null): Promise<void> {
      await db.transaction(async (trx) => {
        await trx(TABLE).where({ is_default: true }).update({ is_default: false });
        if (id) await trx(TABLE).where({ id }).update({ is_default: true, updated_at: now() });
      });
      await settings.changed();
    },
    async remove(id: string): Promise<boolean> {
      const removed = await db(TABLE).where({ id }).delete();
      await settings.changed();
      return removed > 0;
    },

    async count(): Promise<number> {
      const row = (await db(TABLE).count({ n: '*' }).first()) as { n: number | string } | undefined;
      return Number(row?.n ?? 0);
    },
    async findDefault(): Promise<SmsAccount | undefined> {
      const [found] = await lists.get('default', async () => (await db(TABLE).where({ is_default: true }).limit(1)).map(fromRow));
      return found && copyJson(found);
    },
  };
}

export type AccountsRepo = ReturnType<typeof createAccountsRepo>;
