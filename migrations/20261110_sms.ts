// SMS tables: accounts (secrets sealed), admin template overrides, and the message log that doubles as the outbox.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sms_accounts', (t) => {
    t.string('id', 36).primary();
    t.string('name', 100).notNullable().unique('sms_accounts_name_unique');
    t.text('note').nullable();
    t.string('provider', 16).notNullable(); // twilio | http | dev
    t.text('settings', 'longtext').notNullable(); // JSON, never secret
    t.text('secrets', 'longtext').nullable(); // AES-256-GCM sealed JSON (auth token, API key secret, secret headers)
    t.boolean('is_default').notNullable().defaultTo(false);
    t.string('verify_status', 16).notNullable().defaultTo('unverified'); // unverified | valid | invalid
    t.string('verify_reason', 255).nullable();
    t.bigInteger('verified_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('sms_templates', (t) => {
    t.string('id', 36).primary();
    t.string('purpose', 40).notNullable();
    t.string('language', 35).notNullable();
    t.string('account_id', 36).notNullable().defaultTo(''); // '' = every account
    t.string('region', 16).notNullable().defaultTo(''); // '' = any, domestic, international
    t.text('body').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['purpose', 'language', 'account_id', 'region'], { indexName: 'sms_templates_scope_unique' });
  });

  await knex.schema.createTable('sms_messages', (t) => {
    t.string('id', 36).primary();
    t.string('account_id', 36).notNullable().index('sms_messages_account_id'); // no foreign key: the log outlives deleted accounts
    t.string('provider', 16).notNullable();
    t.string('purpose', 40).notNullable();
    t.string('to_masked', 40).notNullable();
    t.string('to_hash', 64).notNullable().index('sms_messages_to_hash');
    t.text('to_sealed').nullable(); // cleared once the provider has the message
    t.text('body_sealed').nullable(); // rendered text, sealed; cleared once the provider has it (kept for the dev inbox)
    t.string('language', 35).notNullable();
    t.string('encoding', 8).notNullable();
    t.integer('characters').notNullable();
    t.integer('segments').notNullable();
    t.string('status', 16).notNullable();
    t.integer('status_rank').notNullable();
    t.string('provider_message_id', 64).nullable().index('sms_messages_provider_message_id');
    t.string('error_code', 32).nullable();
    t.string('reason', 64).nullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.boolean('in_doubt').notNullable().defaultTo(false); // an attempt may have reached the provider without an answer
    t.bigInteger('next_attempt_at').nullable();
    t.string('claim_token', 36).nullable();
    t.bigInteger('claimed_until').nullable();
    t.string('flow_id', 64).nullable();
    t.bigInteger('created_at').notNullable().index('sms_messages_created_at');
    t.bigInteger('updated_at').notNullable();
    t.bigInteger('accepted_at').nullable();
    t.bigInteger('completed_at').nullable();
    t.index(['status', 'next_attempt_at'], 'sms_messages_outbox');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['sms_messages', 'sms_templates', 'sms_accounts']) {
    await knex.schema.dropTableIfExists(table);
  }
}
