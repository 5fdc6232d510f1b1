// Index the provider's rows by account, so a password reset can end every session, grant and token of a user.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oidc_payloads', (t) => {
    t.string('account_id', 64).nullable().index('oidc_payloads_account_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oidc_payloads', (t) => {
    t.dropIndex(['account_id'], 'oidc_payloads_account_id');
    t.dropColumn('account_id');
  });
}
