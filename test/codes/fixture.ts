// Storage and clocks for the code suites: a migrated test database (SQLite or MariaDB), a movable clock, unique numbers.
import type { Knex } from 'knex';
import { createKnex, migrateLatest } from '../../src/db/knex.ts';
import { createSecretBox, type SecretBox } from '../../src/security/secrets.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

export const SECRET = 'codes-test-secret-key-that-is-long-enough-0123';

export interface Clock {
  now: () => number;
  advance(ms: number): void;
}

export function createClock(start = Date.UTC(2026, 10, 11, 9, 0, 0)): Clock {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

export interface CodesFixture {
  database: TestDatabase;
  db: Knex;
  box: SecretBox;
  /** Another knex on the same database: a second instance of the app. */
  second(): Knex;
  close(): Promise<void>;
}

export async function codesFixture(): Promise<CodesFixture> {
  const database = await createTestDatabase();
  const db = createKnex(database.database);
  await migrateLatest(db);
  const others: Knex[] = [];
  return {
    database,
    db,
    box: createSecretBox(SECRET),
    second() {
      const k = createKnex(database.database);
      others.push(k);
      return k;
    },
    async close() {
      await Promise.all([db, ...others].map((k) => k.destroy()));
      await database.drop();
    },
  };
}

let counter = 0;
/** A phone number no other test in this process uses. */
export function uniquePhone(): string {
  counter += 1;
  return `+6149157${String(process.pid % 1000).padStart(3, '0')}${String(counter).padStart(4, '0')}`;
}

export function uniqueFlow(): string {
  counter += 1;
  return `flow-${process.pid}-${counter}`;
}
