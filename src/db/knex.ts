// Builds the knex instance for SQLite (embedded default) or MySQL/MariaDB, and runs migrations safely at start.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { Config } from '../config/index.ts';
import { migrationSource } from './migration-source.ts';

export type { Knex };

export function knexConfig(database: Config['database']): Knex.Config {
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
    connection: { uri: database.url, charset: 'utf8mb4', timezone: 'Z', supportBigNumbers: true, bigNumberStrings: false } as Knex.MySql2ConnectionConfig,
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

export function createKnex(database: Config['database']): Knex {
  return knexFactory({ ...knexConfig(database), log });
}

export const isMysql = (db: Knex): boolean => db.client.config.client === 'mysql2';

/** Runs pending migrations; when another instance holds the migration lock, waits for it to finish. */
export async function migrateLatest(db: Knex, { attempts = 60, delayMs = 500 } = {}): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await db.migrate.latest();
      return;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const contended = /locked|already exists|Duplicate entry|ER_DUP|ER_TABLE_EXISTS|SQLITE_BUSY|Deadlock/i.test(message);
      if (!contended || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

/** Parses a JSON column: MySQL (mysql2) returns it parsed, SQLite returns text. */
export function jsonColumn<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') return value === '' ? fallback : (JSON.parse(value) as T);
  return value as T;
}
