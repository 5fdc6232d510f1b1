// The SMS connection (passwordless sign-in by text message): one settings row per installation.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sms_connection', (t) => {
    t.integer('id').primary();
    t.text('settings', 'longtext').notNullable(); // JSON, validated by src/settings/sms-connection.ts
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sms_connection');
}
