// Builds the knex instance for SQLite (embedded default) or MySQL/MariaDB, and runs migrations safely at start.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { DatabaseConfig } from '../config/database.ts';
import { migrationSource } from './migration-source.ts';

export type { Knex };

/** Prepared statements a MySQL/MariaDB connection keeps (the hot statements are fewer; see prepared.ts). */
export const MAX_PREPARED_PER_CONNECTION = 100;

export function knexConfig(database: DatabaseConfig): Knex.Config {
  if (database.client === 'better-sqlite3') {
    if (database.filename !== ':memory:') mkdirSync(dirname(database.filename), { recursive: true });
    return {
      client: 'better-sqlite3',
      connection: { filename: database.filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
          conn.pragma('journal_mode = WAL');
          conn.pragma('busy_timeout = 5000');
          conn.pragma('foreign_keys = ON');
          done(null, conn);
        },
      },
      migrations: { migrationSource, tableName: 'knex_migrations' },
    };
  }
  return {
    client: 'mysql2',
    // Each connection keeps the statements it prepared (src/db/prepared.ts), the least used closed past this many.
    connection: { uri: database.url, charset: 'utf8mb4', timezone: 'Z', supportBigNumbers: true, bigNumberStrings: false, maxPreparedStatements: MAX_PREPARED_PER_CONNECTION } as Knex.MySql2ConnectionConfig,
    pool: { min: 0, max: 10 },
    migrations: { migrationSource, tableName: 'knex_migrations' },
  };
}

// knex warns on every contended migration lock; migrateLatest waits for it, so that warning is noise.
const log = {
  warn(message: unknown) {
    if (!/Can't take lock to run migrations|migrate:unlock/.test(String(message))) console.warn(message);
  },
};

export function createKnex(database: DatabaseConfig): Knex {
  return knexFactory({ ...knexConfig(database), log });
}

export const isMysql = (db: Knex): boolean => db.client.config.client === 'mysql2';

/**
 * Runs pending migrations; safe when several instances start together. On MySQL/MariaDB the instances queue
 * on a named server lock (knex's own lock table can get two rows when created concurrently, after which no
 * one could take it); on SQLite the file lock serialises them and contention is retried.
 */
export async function migrateLatest(db: Knex, { attempts = 60, delayMs = 500 } = {}): Promise<void> {
  if (isMysql(db)) return withServerLock(db, 'codeword:migrations', 120, async () => {
    await repairMigrationLock(db);
    await db.migrate.latest();
  });
  for (let i = 1; ; i++) {
    try {
      await db.migrate.latest();
      return;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const contended = /locked|already exists|SQLITE_BUSY/i.test(message);
      if (!contended || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

/** Holds a MySQL named lock (GET_LOCK) on one connection while `fn` runs on others. */
async function withServerLock<T>(db: Knex, name: string, timeoutSeconds: number, fn: () => Promise<T>): Promise<T> {
  const conn = await db.client.acquireConnection();
  try {
    const [rows] = await db.raw('SELECT GET_LOCK(?, ?) AS got', [name, timeoutSeconds]).connection(conn);
    if (Number((rows as Array<{ got: number }>)[0]?.got) !== 1) throw new Error(`could not take the ${name} lock within ${timeoutSeconds} s`);
    try {
      return await fn();
    } finally {
      await db.raw('SELECT RELEASE_LOCK(?)', [name]).connection(conn);
    }
  } finally {
    await db.client.releaseConnection(conn);
  }
}

/** Under the server lock nobody else migrates: a lock table left with several rows (or locked by a crash) is reset. */
async function repairMigrationLock(db: Knex): Promise<void> {
  const table = 'knex_migrations_lock';
  if (!(await db.schema.hasTable(table))) return;
  const rows = await db(table).select('is_locked');
  if (rows.length === 1 && !Number(rows[0].is_locked)) return;
  await db(table).delete();
  await db(table).insert({ is_locked: 0 });
}

/** Parses a JSON column: MySQL (mysql2) returns it parsed, SQLite returns text. */
export function jsonColumn<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') return value === '' ? fallback : (JSON.parse(value) as T);
  return value as T;
}
