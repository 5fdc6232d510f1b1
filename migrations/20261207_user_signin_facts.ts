// What the sign-in decision needs to know of a user's past, on the user's row: read with the user, not from the audit log.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    // The last password reset by SMS code, and the keyed hash of the phone it proved (its quarantine).
    t.bigInteger('sms_reset_at').nullable();
    t.string('sms_reset_phone_hash', 128).nullable();
    // The last phone added at sign-in (such a user cannot add another one the same way).
    t.bigInteger('phone_enrolled_at').nullable();
  });
  // From the audit log written so far: the newest SMS reset and phone enrolment of each user.
  const events = (await knex('audit_events').whereIn('action', ['password.reset', 'user.phone_enrolled']).whereNotNull('target').orderBy('at').select('target', 'action', 'at', 'details')) as Array<{
    target: string;
    action: string;
    at: number | string;
    details: unknown;
  }>;
  const facts = new Map<string, Record<string, unknown>>();
  for (const e of events) {
    const details = (typeof e.details === 'string' ? JSON.parse(e.details) : (e.details ?? {})) as Record<string, unknown>;
    const row = facts.get(e.target) ?? {};
    if (e.action === 'user.phone_enrolled') row.phone_enrolled_at = Number(e.at);
    else if (details.method === 'sms') {
      row.sms_reset_at = Number(e.at);
      row.sms_reset_phone_hash = typeof details.phoneHash === 'string' ? details.phoneHash : null;
    }
    if (Object.keys(row).length) facts.set(e.target, row);
  }
  for (const [id, row] of facts) await knex('users').where({ id }).update(row);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('phone_enrolled_at');
    t.dropColumn('sms_reset_phone_hash');
    t.dropColumn('sms_reset_at');
  });
}
