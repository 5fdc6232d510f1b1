// Password expiry reminders: one row per user and password period claims the reminder SMS, so it is sent once across instances.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('password_reminders', (t) => {
    t.string('user_id', 36).notNullable(); // no foreign key: rows of deleted users are purged by the job
    // The password period: users.password_changed_at when the reminder was claimed. A new password is a new period.
    t.bigInteger('password_changed_at').notNullable();
    // claimed: an instance is queuing the SMS (or crashed doing it; see claimed_at); queued: the SMS is in the outbox.
    t.string('status', 16).notNullable();
    t.string('claim_token', 36).notNullable();
    t.bigInteger('claimed_at').notNullable();
    t.string('message_id', 36).nullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    // The claim itself: the second insert for the same period fails, whichever instance makes it.
    t.primary(['user_id', 'password_changed_at']);
  });
  // The job selects users by policy and password age.
  await knex.schema.alterTable('users', (t) => {
    t.index(['password_changed_at'], 'users_password_changed_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropIndex(['password_changed_at'], 'users_password_changed_at');
  });
  await knex.schema.dropTableIfExists('password_reminders');
}
