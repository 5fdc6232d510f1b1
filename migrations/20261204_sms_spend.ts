// Spend limits and the pumping defence: their admin settings, and the blocks raised (counts live in `counters`).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sms_spend_settings', (t) => {
    t.integer('id').primary(); // always 1
    t.text('settings').notNullable();
    t.text('alert_secret_sealed').nullable();
    t.bigInteger('updated_at').notNullable();
  });
  await knex.schema.createTable('sms_pumping_blocks', (t) => {
    t.increments('id').primary();
    t.string('scope', 16).notNullable(); // prefix, ip or country
    t.string('key', 100).notNullable();
    t.integer('sends').notNullable();
    t.integer('verified').notNullable();
    t.bigInteger('blocked_at').notNullable().index('sms_pumping_blocks_blocked_at');
    t.bigInteger('unblocked_at').nullable();
    t.string('unblocked_by', 255).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sms_pumping_blocks');
  await knex.schema.dropTableIfExists('sms_spend_settings');
}
