// The databases of a run: a fresh MariaDB database (created, then dropped) or a fresh SQLite file, per server.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';

export type DatabaseKind = 'mariadb' | 'sqlite';

export interface BenchDatabase {
  kind: DatabaseKind;
  /** DATABASE_URL for the server. */
  url: string;
  drop(): Promise<void>;
}

export function adminConnection(baseUrl: string): Knex {
  return knexFactory({ client: 'mysql2', connection: { uri: `${baseUrl.replace(/\/$/, '')}/mysql` } as never, pool: { min: 0, max: 1 } });
}

export async function createDatabase(kind: DatabaseKind, mysqlBase: string, label: string): Promise<BenchDatabase> {
  if (kind === 'mariadb') {
    const name = `cw_bench_${label}_${randomBytes(4).toString('hex')}`;
    const admin = adminConnection(mysqlBase);
    try {
      await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    } finally {
      await admin.destroy();
    }
    return {
      kind,
      url: `${mysqlBase.replace(/\/$/, '')}/${name}`,
      async drop() {
        const a = adminConnection(mysqlBase);
        try {
          await a.raw(`DROP DATABASE IF EXISTS \`${name}\``);
        } finally {
          await a.destroy();
        }
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `cw-bench-${label}-`));
  return {
    kind,
    url: `sqlite:${join(dir, 'codeword.sqlite')}`,
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** MariaDB's count of statements received from all clients (to see whether others used the server during a window). */
export async function questions(admin: Knex | undefined): Promise<number> {
  if (!admin) return Number.NaN;
  const [rows] = (await admin.raw("SHOW GLOBAL STATUS LIKE 'Questions'")) as [Array<{ Value: string }>];
  return Number(rows[0]?.Value ?? Number.NaN);
}

export async function versions(mysqlBase: string | undefined): Promise<{ mariadb?: string; sqlite?: string }> {
  const out: { mariadb?: string; sqlite?: string } = {};
  if (mysqlBase) {
    const admin = adminConnection(mysqlBase);
    try {
      const [rows] = (await admin.raw('SELECT VERSION() AS v')) as [Array<{ v: string }>];
      out.mariadb = rows[0]?.v;
    } catch {
      // not reachable
    } finally {
      await admin.destroy();
    }
  }
  const lite = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  try {
    const rows = (await lite.raw('select sqlite_version() as v')) as Array<{ v: string }>;
    out.sqlite = rows[0]?.v;
  } finally {
    await lite.destroy();
  }
  return out;
}
