// Daily counts of verified codes per purpose, kept after the codes themselves are purged (for the admin dashboard).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('code_stats_daily', (t) => {
    t.string('day', 10).notNullable(); // YYYY-MM-DD, UTC
    t.string('purpose', 32).notNullable();
    t.integer('verified').notNullable().defaultTo(0);
    t.primary(['day', 'purpose']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('code_stats_daily');
}
