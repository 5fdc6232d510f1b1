// Audit trail of security-relevant actions (password resets first), one row per event, details as JSON.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_events', (t) => {
    t.string('id', 36).primary();
    t.bigInteger('at').notNullable().index('audit_events_at');
    // Who did it: a user id, an admin, or `system`; null when unknown.
    t.string('actor', 64).nullable();
    t.string('action', 64).notNullable().index('audit_events_action');
    // What it was done to, e.g. the user whose password changed.
    t.string('target', 64).nullable().index('audit_events_target');
    t.text('details', 'longtext').notNullable(); // JSON
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('audit_events');
}
