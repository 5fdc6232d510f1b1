// Support follow-up: when a delivered sign-in or reset code is still unused, one message pointing to support.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_messages', (t) => {
    // When to check whether this code message's code was used (null: no follow-up due); the recipient is kept until then.
    t.bigInteger('followup_at').nullable().index('sms_messages_followup_at');
    // A follow-up names the code message it follows; unique, so there is at most one per code message.
    t.string('followup_of', 36).nullable().unique('sms_messages_followup_of');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_messages', (t) => {
    t.dropUnique(['followup_of'], 'sms_messages_followup_of');
    t.dropIndex(['followup_at'], 'sms_messages_followup_at');
    t.dropColumn('followup_of');
    t.dropColumn('followup_at');
  });
}
