// One table for every counter (send limits, throttles, wrong-code counts), replacing the per-feature tables.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A row is a windowed count (key ends with its window bucket) or a gate (cooldown / growing delay).
  await knex.schema.createTable('counters', (t) => {
    t.string('id', 100).primary(); // the key, bounded: longer keys are hashed (src/counters/keys.ts)
    t.bigInteger('n').notNullable().defaultTo(0); // count in the window, or passes through the gate
    t.bigInteger('at').notNullable().defaultTo(0); // gate: last pass, epoch ms
    t.bigInteger('until').notNullable().defaultTo(0); // gate: closed until, epoch ms
    t.bigInteger('r').notNullable().defaultTo(0); // gate: the answer of the last pass (0, or `until` when refused)
    t.bigInteger('expires_at').notNullable().index('counters_expires_at');
  });
  for (const table of ['rate_limits', 'code_failures', 'sms_send_cooldowns']) await knex.schema.dropTableIfExists(table);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('counters');
  await knex.schema.createTable('rate_limits', (t) => {
    t.string('key', 255).primary();
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire').nullable();
  });
  await knex.schema.createTable('code_failures', (t) => {
    t.string('phone', 32).primary();
    t.integer('failures').notNullable().defaultTo(0);
    t.bigInteger('last_failure_at').notNullable().index('code_failures_last_failure_at');
  });
  await knex.schema.createTable('sms_send_cooldowns', (t) => {
    t.string('phone', 32).primary();
    t.bigInteger('last_sent_at').notNullable().index('sms_send_cooldowns_last_sent_at');
  });
}
