// Re-encryption of secrets at rest under the current SECRET_KEY, so a former key can leave PREVIOUS_SECRET_KEYS: run by
// `npm run cli -- keys:reencrypt` and, while previous keys are configured, by every instance's maintenance job.
import type { Knex } from 'knex';
import type { Logger } from '../logger.ts';
import { type SecretBox, UnknownSecretKeyError } from '../security/secrets.ts';

/** A table with sealed columns; every `box.encrypt` result that is stored is listed here. */
export interface SealedTable {
  table: string;
  key: string;
  columns: string[];
  /** What a value is, for messages: `client abc's secret`. */
  what: (id: string, column: string) => string;
}

export const SEALED_TABLES: SealedTable[] = [
  { table: 'keystore', key: 'name', columns: ['sealed'], what: (id) => `keystore entry "${id}"` },
  { table: 'clients', key: 'client_id', columns: ['client_secret'], what: (id) => `client ${id}'s secret` },
  { table: 'sms_accounts', key: 'id', columns: ['secrets'], what: (id) => `SMS account ${id}'s secrets` },
  { table: 'sms_messages', key: 'id', columns: ['to_sealed', 'body_sealed', 'vars_sealed'], what: (id, c) => `SMS message ${id}'s ${c === 'to_sealed' ? 'recipient' : c === 'body_sealed' ? 'text' : 'template variables'}` },
];

export interface ReencryptResult {
  reencrypted: number;
  /** Values under a key that is neither SECRET_KEY nor in PREVIOUS_SECRET_KEYS (or damaged): left as they are. */
  failed: { what: string; keyId?: string; reason: string }[];
}

const BATCH = 200;

/** Rewrites every sealed value not under the current key; a value changed meanwhile by someone else is left to them. */
export async function reencryptSecrets(db: Knex, box: SecretBox, tables: SealedTable[] = SEALED_TABLES): Promise<ReencryptResult> {
  const result: ReencryptResult = { reencrypted: 0, failed: [] };
  const fresh = `enc1.${box.currentKeyId}.%`;
  for (const t of tables) {
    if (!(await db.schema.hasTable(t.table))) continue;
    for (const column of t.columns) {
      let after: string | undefined;
      for (;;) {
        const q = db(t.table).whereNotNull(column).whereNot(column, 'like', fresh).orderBy(t.key).limit(BATCH).select(t.key, column);
        if (after !== undefined) q.where(t.key, '>', after);
        const rows: Record<string, unknown>[] = await q;
        for (const row of rows) {
          const id = String(row[t.key]);
          const sealed = String(row[column]);
          const what = t.what(id, column);
          try {
            const next = box.encrypt(box.decrypt(sealed, what));
            result.reencrypted += await db(t.table).where({ [t.key]: row[t.key], [column]: sealed }).update({ [column]: next });
          } catch (err) {
            const keyId = err instanceof UnknownSecretKeyError ? err.keyId : box.keyIdOf(sealed);
            result.failed.push({ what, keyId, reason: err instanceof Error ? err.message : String(err) });
          }
        }
        if (rows.length < BATCH) break;
        after = String(rows[rows.length - 1]?.[t.key]);
      }
    }
  }
  return result;
}

/** The maintenance task: does nothing unless previous keys are configured; reports what could not be opened. */
export function createReencryptTask(deps: { db: Knex; box: SecretBox; logger: Logger }) {
  return async (): Promise<number> => {
    if (deps.box.keyIds.length < 2) return 0;
    const { reencrypted, failed } = await reencryptSecrets(deps.db, deps.box);
    if (reencrypted) deps.logger.info({ reencrypted }, 'secrets re-encrypted under the current SECRET_KEY');
    if (failed.length) deps.logger.warn({ failed: failed.map((f) => ({ what: f.what, keyId: f.keyId })) }, 'secrets that cannot be decrypted with any configured key');
    return reencrypted;
  };
}
