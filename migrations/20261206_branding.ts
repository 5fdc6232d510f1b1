// Branding of the hosted screens: one row for the installation (client_id '') and one per app that has its own.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('branding', (t) => {
    // '' is the installation's own branding; any other value is an app's (OIDC client's) id.
    t.string('client_id', 128).primary();
    t.string('name', 100).nullable();
    t.string('primary_color', 7).nullable();
    t.string('support_contact', 200).nullable();
    // Images are stored base64-encoded with their media type and the SHA-256 of their bytes (their URL carries it).
    t.string('logo_type', 32).nullable();
    t.text('logo_data', 'mediumtext').nullable();
    t.string('logo_hash', 64).nullable();
    t.string('favicon_type', 32).nullable();
    t.text('favicon_data', 'mediumtext').nullable();
    t.string('favicon_hash', 64).nullable();
    t.text('css', 'mediumtext').nullable();
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('branding');
}
