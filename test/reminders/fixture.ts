// Shared setup of the reminder suites: an SMS test server whose job runs only when called, the factor mapped to `mobile`.
import type { Knex } from 'knex';
import { DAY_MS } from '../../src/policies/expiry.ts';
import { createUser } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import type { StartOptions } from '../helpers/server.ts';

export { DAY_MS };

/** Test mobile numbers (the Australian range set aside for fiction), one per index. */
export const mobile = (i: number) => `+614915701${String(i).padStart(2, '0')}`;

/** An SMS environment with the SMS factor active, reading numbers from the `mobile` custom attribute. */
export async function startReminderEnv(opts: StartOptions = {}): Promise<SmsTestEnv> {
  const env = await startSmsEnv({ ...opts, reminders: { start: false, ...opts.reminders } });
  await env.server.container.smsFactor.save({ active: true, accountId: env.accountId, phoneField: { source: 'custom_attribute', attribute: 'mobile' } });
  return env;
}

/** A user with a password set now (by the env's clock), in `policyId` (null: the default), texted at `phone` if given. */
export async function member(env: SmsTestEnv, username: string, policyId: string | null, phone: string | null, extra: Record<string, unknown> = {}) {
  const user = await createUser(env.server, username, `${username} has a long password`, { phoneNumber: null, customAttributes: phone ? { mobile: phone } : {}, ...extra });
  if (policyId) await env.server.container.policies.assignUser(user.id, policyId);
  return user;
}

/** Sets a user's `mobile` attribute (no repository method changes custom attributes). */
export async function setMobile(db: Knex, userId: string, phone: string): Promise<void> {
  await db('users').where({ id: userId }).update({ custom_attributes: JSON.stringify({ mobile: phone }) });
}

/** Reminder messages in the outbox log, any status. */
export async function reminderLog(env: SmsTestEnv) {
  return env.server.container.sms.sender.log({ purpose: 'password_expiry_reminder', limit: 500 });
}
