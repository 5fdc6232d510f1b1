// SMS accounts get a home country; outbox rows keep their template variables (sealed) for template-id providers.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_accounts', (t) => {
    t.string('home_country', 2).nullable();
  });
  await knex.schema.alterTable('sms_messages', (t) => {
    t.text('vars_sealed').nullable(); // template variables, sealed; cleared with the body
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_messages', (t) => {
    t.dropColumn('vars_sealed');
  });
  await knex.schema.alterTable('sms_accounts', (t) => {
    t.dropColumn('home_country');
  });
}
