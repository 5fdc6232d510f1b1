// What support reads of a message: the app it was sent for, each attempt at the provider, and each delivery report received.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_messages', (t) => {
    t.string('client_id', 255).nullable().index('sms_messages_client_id'); // null: sent for no app (a test send, the console)
  });
  await knex.schema.createTable('sms_message_attempts', (t) => {
    t.increments('id').primary();
    t.string('message_id', 36).notNullable().index('sms_message_attempts_message_id');
    t.integer('attempt').notNullable();
    t.string('account_id', 36).notNullable();
    t.string('provider', 16).notNullable();
    t.bigInteger('started_at').notNullable();
    t.bigInteger('finished_at').notNullable();
    t.string('outcome', 16).notNullable(); // accepted | found | retry | failed
    t.integer('http_status').nullable(); // the provider's HTTP answer, when there was one
    t.string('error_code', 64).nullable(); // the provider's error code (never its response body)
    t.string('reason', 64).nullable(); // our reason (sms.reason.*)
  });
  await knex.schema.createTable('sms_message_events', (t) => {
    t.increments('id').primary();
    t.string('message_id', 36).notNullable().index('sms_message_events_message_id');
    t.string('source', 16).notNullable(); // callback (pushed by the provider) | poll (looked up)
    t.string('status', 16).notNullable();
    t.string('error_code', 64).nullable();
    t.string('reason', 64).nullable();
    t.boolean('applied').notNullable(); // false: a repeat or an out-of-order report that did not move the status
    t.bigInteger('received_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sms_message_events');
  await knex.schema.dropTableIfExists('sms_message_attempts');
  await knex.schema.alterTable('sms_messages', (t) => {
    t.dropIndex(['client_id'], 'sms_messages_client_id');
    t.dropColumn('client_id');
  });
}
