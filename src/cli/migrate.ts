// `npm run migrate`: applies pending migrations to the configured database and exits.
import { loadConfig } from '../config/index.ts';
import { createKnex, migrateLatest } from '../db/knex.ts';

const config = loadConfig();
const db = createKnex(config.database);
try {
  await migrateLatest(db);
  const [done] = (await db.migrate.list()) as [Array<{ name: string }>, unknown[]];
  console.log(`Database is up to date (${done.length} migrations applied).`);
} finally {
  await db.destroy();
}
