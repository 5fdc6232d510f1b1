// Loads the migrations in migrations/ (TypeScript modules, or their compiled .js in dist/) in name order, for SQLite and MySQL alike.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

const dir = fileURLToPath(new URL('../../migrations/', import.meta.url));

interface Migration {
  up(knex: Knex): Promise<void>;
  down?(knex: Knex): Promise<void>;
}

export const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return readdirSync(dir)
      .filter((f) => /^\d{8}_[a-z0-9_]+\.(ts|js)$/.test(f))
      .sort();
  },
  getMigrationName(name) {
    return name.replace(/\.(ts|js)$/, '');
  },
  async getMigration(name) {
    return (await import(pathToFileURL(`${dir}${name}`).href)) as Migration;
  },
};
