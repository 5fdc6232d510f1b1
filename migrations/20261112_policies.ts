// Policies (MFA, password, password update sections as JSON) with one default row, users.policy_id, installation settings.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { defaultPolicyName } from '../src/policies/defaults.ts';
import { defaultPolicyContent } from '../src/policies/schema.ts';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('policies', (t) => {
    t.string('id', 36).primary();
    t.string('name', 100).notNullable().unique('policies_name_unique');
    // 1 on the default policy, NULL elsewhere: the unique index allows many NULLs but only one default.
    t.tinyint('default_marker').nullable().unique('policies_default_marker_unique');
    t.text('mfa', 'longtext').notNullable(); // JSON
    t.text('password', 'longtext').notNullable(); // JSON
    t.text('password_update', 'longtext').notNullable(); // JSON
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  const content = defaultPolicyContent(defaultPolicyName);
  const at = Date.now();
  await knex('policies').insert({
    id: randomUUID(),
    name: content.name,
    default_marker: 1,
    mfa: JSON.stringify(content.mfa),
    password: JSON.stringify(content.password),
    password_update: JSON.stringify(content.passwordUpdate),
    created_at: at,
    updated_at: at,
  });

  // NULL: the user follows whichever policy is the default.
  await knex.schema.alterTable('users', (t) => {
    t.string('policy_id', 36).nullable().index('users_policy_id');
  });

  // Installation-wide settings, one JSON document per key (e.g. `sms_factor`).
  await knex.schema.createTable('settings', (t) => {
    t.string('key', 64).primary();
    t.text('value', 'longtext').notNullable(); // JSON
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('settings');
  await knex.schema.alterTable('users', (t) => {
    t.dropIndex(['policy_id'], 'users_policy_id');
    t.dropColumn('policy_id');
  });
  await knex.schema.dropTableIfExists('policies');
}
