// Storage of one-time codes: one live row per flow and purpose; attempts counted and codes consumed by atomic updates.
import type { Knex } from 'knex';
import { prepared } from '../db/prepared.ts';
import type { CodePurpose } from './types.ts';

const TABLE = 'one_time_codes';

export interface CodeRow {
  id: number;
  code_hmac: string;
  expires_at: number;
  attempts: number;
  max_attempts: number;
  used_at: number | null;
}

export interface NewCode {
  purpose: CodePurpose;
  flowId: string;
  phone: string;
  codeHmac: string;
  expiresAt: number;
  maxAttempts: number;
  createdAt: number;
}

export interface CodeStore {
  /** Stores a code, replacing (and so invalidating) any earlier one for the same flow and purpose. */
  replace(code: NewCode): Promise<void>;
  find(purpose: CodePurpose, flowId: string): Promise<CodeRow | undefined>;
  /** Counts one attempt on exactly this code (same id and HMAC); false when it was replaced meanwhile. */
  countAttempt(row: CodeRow): Promise<boolean>;
  /**
   * Counts one attempt and marks the code used in one `UPDATE … WHERE used_at IS NULL` that also re-checks expiry
   * and that this attempt is within the count as stored, so of parallel submissions at most one succeeds and none
   * after the attempts ran out. False when it did not apply (the attempt is then not counted: count it).
   */
  countAndConsume(row: CodeRow, at: number): Promise<boolean>;
  /** Deletes codes that expired before `before`. */
  purgeExpired(before: number): Promise<number>;
}

const COLUMNS = ['id', 'code_hmac', 'expires_at', 'attempts', 'max_attempts', 'used_at'];
const num = (v: unknown): number => Number(v);

function toRow(r: Record<string, unknown>): CodeRow {
  return {
    id: num(r.id),
    code_hmac: String(r.code_hmac),
    expires_at: num(r.expires_at),
    attempts: num(r.attempts),
    max_attempts: num(r.max_attempts),
    used_at: r.used_at === null || r.used_at === undefined ? null : num(r.used_at),
  };
}

export function createCodeStore(db: Knex): CodeStore {
  // The statements of every code: fixed text, prepared once per connection.
  const sql = prepared(db);
  const kept = ['phone', 'code_hmac', 'expires_at', 'attempts', 'max_attempts', 'used_at', 'created_at'];
  const REPLACE = `INSERT INTO ${TABLE} (purpose, flow_id, ${kept.join(', ')}) VALUES (?, ?, ?, ?, ?, 0, ?, NULL, ?) ${sql.onConflictMerge(['flow_id', 'purpose'], kept)}`;
  const FIND = `SELECT ${COLUMNS.join(', ')} FROM ${TABLE} WHERE flow_id = ? AND purpose = ? LIMIT 1`;
  const CONSUME = `UPDATE ${TABLE} SET used_at = ?, attempts = attempts + 1 WHERE id = ? AND code_hmac = ? AND used_at IS NULL AND expires_at > ? AND attempts < max_attempts`;
  return {
    async replace(c) {
      await sql.run(REPLACE, [c.purpose, c.flowId, c.phone, c.codeHmac, c.expiresAt, c.maxAttempts, c.createdAt]);
    },

    async find(purpose, flowId) {
      const [found] = await sql.rows(FIND, [flowId, purpose]);
      return found ? toRow(found) : undefined;
    },

    async countAttempt(row) {
      return (await db(TABLE).where({ id: row.id, code_hmac: row.code_hmac }).increment('attempts', 1)) === 1;
    },

    async countAndConsume(row, at) {
      return (await sql.run(CONSUME, [at, row.id, row.code_hmac, at])) === 1;
    },

    purgeExpired(before) {
      return db(TABLE).where('expires_at', '<', before).delete();
    },
  };
}
