// Foundation tables: OpenID provider state, clients, users, key material, shared rate-limit counters.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oidc_payloads', (t) => {
    t.string('model', 40).notNullable();
    t.string('id', 255).notNullable();
    t.text('payload', 'longtext').notNullable();
    t.string('grant_id', 255).nullable().index('oidc_payloads_grant_id');
    t.string('uid', 255).nullable().index('oidc_payloads_uid');
    t.string('user_code', 255).nullable().index('oidc_payloads_user_code');
    t.bigInteger('expires_at').nullable().index('oidc_payloads_expires_at');
    t.bigInteger('consumed_at').nullable();
    t.primary(['model', 'id']);
  });

  await knex.schema.createTable('clients', (t) => {
    t.string('client_id', 128).primary();
    t.text('client_secret').nullable(); // encrypted at rest
    t.string('client_name', 255).notNullable();
    t.text('metadata', 'longtext').notNullable(); // RFC 7591 client metadata (JSON)
    t.boolean('first_party').notNullable().defaultTo(false);
    t.boolean('disabled').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('users', (t) => {
    t.string('id', 36).primary();
    t.string('username', 191).nullable().unique('users_username_unique');
    t.string('email', 191).nullable().unique('users_email_unique');
    t.boolean('email_verified').notNullable().defaultTo(false);
    t.text('password_hash').nullable();
    t.bigInteger('password_changed_at').nullable();
    t.string('name', 255).nullable();
    t.string('given_name', 255).nullable();
    t.string('family_name', 255).nullable();
    t.string('locale', 35).nullable();
    t.string('phone_number', 32).nullable().index('users_phone_number');
    t.boolean('phone_number_verified').notNullable().defaultTo(false);
    t.text('custom_attributes', 'longtext').nullable(); // JSON
    t.text('roles').nullable(); // JSON array
    t.boolean('disabled').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('keystore', (t) => {
    t.string('name', 64).primary();
    t.text('sealed', 'longtext').notNullable(); // encrypted JSON
    t.bigInteger('created_at').notNullable();
  });

  // Counters of rate-limiter-flexible (RateLimiterMySQL / RateLimiterSQLite layout).
  await knex.schema.createTable('rate_limits', (t) => {
    t.string('key', 255).primary();
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['rate_limits', 'keystore', 'users', 'clients', 'oidc_payloads']) {
    await knex.schema.dropTableIfExists(table);
  }
}
