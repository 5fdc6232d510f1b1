// knex CLI configuration (e.g. `npx knex migrate:status --knexfile knexfile.ts`); the app itself uses src/db/knex.ts.
import { loadConfig } from './src/config/index.ts';
import { knexConfig } from './src/db/knex.ts';

export default knexConfig(loadConfig().database);
