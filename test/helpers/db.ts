// Test databases: a fresh SQLite file, or (TEST_DATABASE=mysql) a fresh MariaDB/MySQL database created and dropped per use.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import type { Config } from '../../src/config/index.ts';

export const usingMysql = process.env.TEST_DATABASE === 'mysql';
const mysqlBase = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface TestDatabase {
  database: Config['database'];
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (usingMysql) {
    const name = `cw_test_${randomBytes(6).toString('hex')}`;
    const admin = knexFactory({ client: 'mysql2', connection: { uri: `${mysqlBase}/mysql` } as never });
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.destroy();
    return {
      database: { client: 'mysql2', url: `${mysqlBase}/${name}` },
      async drop() {
        const a = knexFactory({ client: 'mysql2', connection: { uri: `${mysqlBase}/mysql` } as never });
        await a.raw(`DROP DATABASE IF EXISTS \`${name}\``);
        await a.destroy();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'cw-test-'));
  return {
    database: { client: 'better-sqlite3', filename: join(dir, 'codeword.sqlite') },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
