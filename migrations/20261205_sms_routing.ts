// SMS routing rules (destination → account, with a fallback account), and the message columns failover needs (the
// message's app, `client_id`, comes with the message history migration).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sms_routes', (t) => {
    t.string('id', 36).primary();
    // Rules are evaluated by ascending position; the admin API keeps positions dense (1, 2, 3, …).
    t.integer('position').notNullable().index('sms_routes_position');
    t.string('country', 2).nullable(); // ISO 3166-1 alpha-2 of the destination
    t.string('prefix', 16).nullable(); // E.164 prefix of the destination, e.g. +8613
    t.string('client_id', 255).nullable(); // only for this app
    t.string('account_id', 36).notNullable();
    t.string('fallback_account_id', 36).nullable();
    t.string('note', 500).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
  await knex.schema.alterTable('sms_messages', (t) => {
    // The route's fallback account, if any: the message's failover goes out through it.
    t.string('fallback_account_id', 36).nullable();
    // A fallback message names the message it replaces; unique, so a message is failed over at most once.
    t.string('failover_of', 36).nullable().unique('sms_messages_failover_of');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_messages', (t) => {
    t.dropUnique(['failover_of'], 'sms_messages_failover_of');
    t.dropColumn('failover_of');
    t.dropColumn('fallback_account_id');
  });
  await knex.schema.dropTableIfExists('sms_routes');
}
