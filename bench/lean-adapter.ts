// The lean baseline's storage: an oidc-provider adapter on mysql2 prepared statements, one statement per call, no
// knex, no caches, no id hashing. It is what the protocol's storage costs at the least on MariaDB.
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { errors } from 'oidc-provider';
import mysql from 'mysql2/promise';

const TABLE = 'lean_payloads';

export async function createLeanAdapter(url: string): Promise<{ Adapter: new (model: string) => Adapter; close(): Promise<void> }> {
  const pool = mysql.createPool({ uri: url, connectionLimit: 10 });
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (model VARCHAR(32) NOT NULL, id VARCHAR(255) NOT NULL, payload TEXT NOT NULL, grant_id VARCHAR(255), uid VARCHAR(255), user_code VARCHAR(255), expires_at BIGINT, consumed_at BIGINT, PRIMARY KEY (model, id), KEY lean_uid (uid), KEY lean_grant (grant_id))`,
  );
  type Row = { payload: string; consumed_at: number | null };
  const parse = (rows: unknown): AdapterPayload | undefined => {
    const row = (rows as Row[])[0];
    if (!row) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
    if (row.consumed_at != null) payload.consumed = Math.floor(Number(row.consumed_at) / 1000);
    return payload;
  };
  const live = 'AND (expires_at IS NULL OR expires_at > ?)';

  class LeanAdapter implements Adapter {
    readonly model: string;
    constructor(model: string) {
      this.model = model;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      await pool.execute(
        `INSERT INTO ${TABLE} (model, id, payload, grant_id, uid, user_code, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE payload = VALUES(payload), grant_id = VALUES(grant_id), uid = VALUES(uid), user_code = VALUES(user_code), expires_at = VALUES(expires_at)`,
        [this.model, id, JSON.stringify(payload), payload.grantId ?? null, payload.uid ?? null, payload.userCode ?? null, expiresIn ? Date.now() + expiresIn * 1000 : null],
      );
    }
    async find(id: string) {
      const [rows] = await pool.execute(`SELECT payload, consumed_at FROM ${TABLE} WHERE model = ? AND id = ? ${live}`, [this.model, id, Date.now()]);
      return parse(rows);
    }
    async findByUid(uid: string) {
      const [rows] = await pool.execute(`SELECT payload, consumed_at FROM ${TABLE} WHERE model = ? AND uid = ? ${live}`, [this.model, uid, Date.now()]);
      return parse(rows);
    }
    async findByUserCode(userCode: string) {
      const [rows] = await pool.execute(`SELECT payload, consumed_at FROM ${TABLE} WHERE model = ? AND user_code = ? ${live}`, [this.model, userCode, Date.now()]);
      return parse(rows);
    }
    async consume(id: string) {
      const [res] = await pool.execute(`UPDATE ${TABLE} SET consumed_at = ? WHERE model = ? AND id = ? AND consumed_at IS NULL`, [Date.now(), this.model, id]);
      if ((res as { affectedRows: number }).affectedRows === 0) throw new errors.InvalidGrant(`${this.model} was already used or does not exist`);
    }
    async destroy(id: string) {
      await pool.execute(`DELETE FROM ${TABLE} WHERE model = ? AND id = ?`, [this.model, id]);
    }
    async revokeByGrantId(grantId: string) {
      await pool.execute(`DELETE FROM ${TABLE} WHERE grant_id = ?`, [grantId]);
    }
  }
  return { Adapter: LeanAdapter, close: () => pool.end() };
}
