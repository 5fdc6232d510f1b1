// Fixed SQL for the statements every sign-in runs, as prepared statements on a connection of knex's own pool:
// nothing is built or escaped per call. On MySQL/MariaDB through mysql2's execute (binary protocol; each connection
// prepares a statement once and keeps it), on SQLite through better-sqlite3's prepared statements (kept per
// connection). knex's 'query' event is emitted as for its own queries, so what counts statements counts these.
import type { Knex } from 'knex';
import { isMysql } from './knex.ts';

export interface Prepared {
  /** MySQL/MariaDB (true) or SQLite: for the few statements whose syntax differs (an upsert). */
  readonly mysql: boolean;
  /** The rows a SELECT returns. */
  rows<T = Record<string, unknown>>(sql: string, bindings: readonly unknown[]): Promise<T[]>;
  /** Rows an INSERT, UPDATE or DELETE changed. */
  run(sql: string, bindings: readonly unknown[]): Promise<number>;
  /**
   * The clause that makes an INSERT an upsert: on a duplicate of the unique key `conflict` (SQLite names it; MySQL
   * finds it), the columns `merged` take the inserted values.
   */
  onConflictMerge(conflict: readonly string[], merged: readonly string[]): string;
  /** What an INSERT or UPDATE reports: rows changed, and the id MySQL's LAST_INSERT_ID carries back (0 on SQLite). */
  result(sql: string, bindings: readonly unknown[]): Promise<{ affectedRows: number; insertId: number }>;
  /** Inserts one row (its keys are the columns); the text is made once per table and set of columns. */
  insert(table: string, row: Record<string, unknown>): Promise<number>;
}

interface MysqlConnection {
  execute(options: { sql: string; values: unknown[] }, cb: (err: Error | null, result: unknown) => void): void;
  query(options: { sql: string; values: unknown[] }, cb: (err: Error | null, result: unknown) => void): void;
}

/**
 * The server's cap on prepared statements (max_prepared_stmt_count, shared by all its connections) is reached: the
 * statement is sent as text instead, with the same bindings, and still answers.
 */
const isPrepareCapError = (err: unknown) => (err as { code?: unknown } | null)?.code === 'ER_MAX_PREPARED_STMT_COUNT_REACHED';

function mysqlExec(conn: MysqlConnection, sql: string, values: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) =>
    conn.execute({ sql, values }, (err, result) => {
      if (!err) return resolve(result);
      if (!isPrepareCapError(err)) return reject(err);
      conn.query({ sql, values }, (again, text) => (again ? reject(again) : resolve(text)));
    }),
  );
}
interface SqliteStatement {
  reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

interface KnexClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(conn: unknown): Promise<unknown>;
  emit(event: 'query', data: { sql: string; bindings: unknown[]; method: string }): void;
}

const verbOf = (sql: string) => sql.slice(0, sql.indexOf(' ')).toLowerCase();

/** mysql2 refuses undefined, better-sqlite3 booleans and dates: each gets what the column stores. */
const bind = (bindings: readonly unknown[], sqlite: boolean): unknown[] =>
  bindings.map((b) => (b === undefined ? null : !sqlite ? b : typeof b === 'boolean' ? (b ? 1 : 0) : b instanceof Date ? b.getTime() : b));

/** SQLite's compiled statements, per connection and text (shared by every user of the connection). */
const sqliteStatements = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();
const sqliteStatement = (conn: SqliteConnection, sql: string): SqliteStatement =>
  kept(
    kept(sqliteStatements, conn, () => new Map<string, SqliteStatement>()),
    sql,
    () => conn.prepare(sql),
  );

export function prepared(db: Knex): Prepared {
  const client = db.client as unknown as KnexClient;
  const mysql = isMysql(db);

  async function exec(sql: string, bindings: readonly unknown[]): Promise<unknown> {
    const values = bind(bindings, !mysql);
    const conn = await client.acquireConnection();
    try {
      client.emit('query', { sql, bindings: values, method: verbOf(sql) });
      if (mysql) return await mysqlExec(conn as MysqlConnection, sql, values);
      const stmt = sqliteStatement(conn as SqliteConnection, sql);
      return stmt.reader ? stmt.all(...values) : stmt.run(...values);
    } finally {
      await client.releaseConnection(conn);
    }
  }

  async function result(sql: string, bindings: readonly unknown[]): Promise<{ affectedRows: number; insertId: number }> {
    const r = (await exec(sql, bindings)) as { affectedRows?: number; changes?: number; insertId?: number };
    return { affectedRows: Number(r.affectedRows ?? r.changes ?? 0), insertId: Number(r.insertId ?? 0) };
  }
  const run = async (sql: string, bindings: readonly unknown[]): Promise<number> => (await result(sql, bindings)).affectedRows;

  const inserts = new Map<string, string>();
  return {
    mysql,
    rows: async <T>(sql: string, bindings: readonly unknown[]) => (await exec(sql, bindings)) as T[],
    run,
    result,
    onConflictMerge: (conflict, merged) =>
      mysql
        ? `ON DUPLICATE KEY UPDATE ${merged.map((c) => `${c} = VALUES(${c})`).join(', ')}`
        : `ON CONFLICT (${conflict.join(', ')}) DO UPDATE SET ${merged.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    insert(table, row) {
      // An undefined value is left to the column's default, as knex does.
      const columns = Object.keys(row).filter((c) => row[c] !== undefined);
      const key = `${table}(${columns.join(',')})`;
      const sql = kept(inserts, key, () => `INSERT INTO ${table} (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES (${placeholders(columns.length)})`);
      return run(sql, columns.map((c) => row[c]));
    },
  };
}

/**
 * A statement written with named bindings (`:name`) as positional text and the order of its names, for statements
 * that use one value in several places.
 */
export function positional(named: string): { sql: string; names: string[] } {
  const names: string[] = [];
  const sql = named.replace(/(?<![:\w]):([a-z]\w*)/gi, (_m, name: string) => {
    names.push(name);
    return '?';
  });
  return { sql, names };
}

/** The value kept under a key, made and kept on first use. */
export function kept<K, V>(map: { get(key: K): V | undefined; set(key: K, value: V): unknown }, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** `?, ?, …` for a list of `n` values (n is small and bounded, so each length is one prepared statement). */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
