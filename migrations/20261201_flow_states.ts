// Short-lived state of flows without a browser (native-app APIs), kept server-side under an opaque id so any instance can serve it.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('flow_states', (t) => {
    t.string('id', 255).primary(); // the flow id codes bind to, e.g. api:<client_id>:<opaque id>
    t.text('data').notNullable(); // JSON: one entry per state key
    t.bigInteger('expires_at').notNullable().index('flow_states_expires_at');
    t.bigInteger('created_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('flow_states');
}
