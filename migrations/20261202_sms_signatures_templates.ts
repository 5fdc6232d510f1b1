// Alibaba-style SMS resources per account: signatures, approved provider templates, and which apps may use what.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_accounts', (t) => {
    t.boolean('general').notNullable().defaultTo(true); // any app may use it; otherwise only apps granted it
  });
  await knex.schema.alterTable('sms_messages', (t) => {
    t.string('signature_id', 36).nullable(); // template-code providers: what the message was composed with
    t.string('provider_template_id', 36).nullable();
  });
  await knex.schema.createTable('sms_signatures', (t) => {
    t.string('id', 36).primary();
    t.string('account_id', 36).notNullable().index();
    t.string('sign_name', 64).notNullable();
    t.string('region', 16).notNullable(); // domestic | international
    t.text('note').nullable();
    t.boolean('general').notNullable().defaultTo(true);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['account_id', 'sign_name', 'region']);
  });
  await knex.schema.createTable('sms_provider_templates', (t) => {
    t.string('id', 36).primary();
    t.string('account_id', 36).notNullable().index();
    t.string('code', 64).notNullable(); // the provider's template code, e.g. SMS_123456789
    t.string('purpose', 32).notNullable();
    t.string('region', 16).notNullable();
    t.string('language', 35).nullable(); // the language of its approved text; null: any
    t.text('params').notNullable(); // JSON: provider parameter → our variable
    t.text('text').nullable(); // approved text fetched from the provider
    t.string('text_status', 16).notNullable(); // approved | pending | unavailable
    t.boolean('general').notNullable().defaultTo(true);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['account_id', 'code', 'purpose', 'region']);
  });
  await knex.schema.createTable('sms_grants', (t) => {
    t.string('kind', 16).notNullable(); // account | signature | template
    t.string('resource_id', 36).notNullable();
    t.string('client_id', 255).notNullable();
    t.bigInteger('created_at').notNullable();
    t.primary(['kind', 'resource_id', 'client_id']);
    t.index(['client_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sms_grants');
  await knex.schema.dropTableIfExists('sms_provider_templates');
  await knex.schema.dropTableIfExists('sms_signatures');
  await knex.schema.alterTable('sms_messages', (t) => {
    t.dropColumn('signature_id');
    t.dropColumn('provider_template_id');
  });
  await knex.schema.alterTable('sms_accounts', (t) => {
    t.dropColumn('general');
  });
}
