// One-time codes for every purpose (only their HMAC), wrong-code counts per phone number, and SMS resend cooldowns.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One live code per flow and purpose: issuing again replaces the row (the unique key makes that atomic).
  await knex.schema.createTable('one_time_codes', (t) => {
    t.increments('id').primary();
    t.string('purpose', 32).notNullable();
    t.string('flow_id', 255).notNullable();
    t.string('phone', 32).notNullable();
    t.string('code_hmac', 64).notNullable(); // HMAC of purpose + flow id + phone + code; never the code
    t.bigInteger('expires_at').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('max_attempts').notNullable();
    t.bigInteger('used_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.unique(['flow_id', 'purpose'], { indexName: 'one_time_codes_flow_purpose' });
    t.index(['phone'], 'one_time_codes_phone');
    t.index(['expires_at'], 'one_time_codes_expires_at');
  });

  // Consecutive wrong codes per phone number, across codes and flows, until a success clears them.
  await knex.schema.createTable('code_failures', (t) => {
    t.string('phone', 32).primary();
    t.integer('failures').notNullable().defaultTo(0);
    t.bigInteger('last_failure_at').notNullable().index('code_failures_last_failure_at');
  });

  // When the last SMS code went to a number (the resend cooldown; hourly caps live in rate_limits).
  await knex.schema.createTable('sms_send_cooldowns', (t) => {
    t.string('phone', 32).primary();
    t.bigInteger('last_sent_at').notNullable().index('sms_send_cooldowns_last_sent_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['sms_send_cooldowns', 'code_failures', 'one_time_codes']) {
    await knex.schema.dropTableIfExists(table);
  }
}
