// The reminder claim's failure paths: a failed enqueue releases it; an abandoned claim is taken over after its lease, without resending.
import { expect } from 'chai';
import { createPasswordRemindersRepo } from '../../src/db/password-reminders.ts';
import { createPasswordReminderJob, type PasswordReminderJob, reminderFlowId } from '../../src/jobs/password-reminders.ts';
import { policyInputSchema } from '../../src/policies/schema.ts';
import type { SmsSender } from '../../src/sms/sender.ts';
import type { SmsTestEnv } from '../helpers/sms-setup.ts';
import { DAY_MS, member, mobile, reminderLog, startReminderEnv } from './fixture.ts';

const LEASE = 15 * 60_000;
const silent = { info() {}, warn() {}, error() {} };

describe('password expiry reminders: claims that fail or are abandoned', () => {
  let env: SmsTestEnv;
  let rotating: string;

  before(async () => {
    env = await startReminderEnv();
    rotating = (await env.server.container.policies.create(policyInputSchema.parse({ name: 'Rotating', password: { maxAgeDays: 30, reminderDays: 5 } }))).id;
  });
  after(() => env?.close());

  /** A job on the test container's storage, with the given sender. */
  function job(sender: Pick<SmsSender, 'enqueue'>): PasswordReminderJob {
    const c = env.server.container;
    return createPasswordReminderJob({
      repo: createPasswordRemindersRepo(c.db, env.clock.now),
      users: c.users,
      policies: c.policies,
      smsFactor: c.smsFactor,
      sender,
      logger: silent,
      now: env.clock.now,
      options: { leaseMs: LEASE },
    });
  }

  /** A user whose reminder is due now, and the key of their current period. */
  async function dueUser(name: string, i: number) {
    const user = await member(env, name, rotating, mobile(i));
    env.clock.advance(26 * DAY_MS);
    return { user, key: { user_id: user.id, password_changed_at: user.passwordChangedAt! } };
  }

  const claimRow = (token: string, key: { user_id: string; password_changed_at: number }, claimedAt: number) => ({
    ...key,
    status: 'claimed',
    claim_token: token,
    claimed_at: claimedAt,
    message_id: null,
    expires_at: key.password_changed_at + 30 * DAY_MS,
    created_at: claimedAt,
    updated_at: claimedAt,
  });

  it('releases the claim when the SMS cannot be queued, so the next run sends it', async () => {
    const { user } = await dueUser('ivy', 1);
    const broken = job({ enqueue: () => Promise.reject(new Error('outbox unavailable')) });
    expect(await broken.runOnce()).to.include({ queued: 0, failed: 1 });
    expect(await env.server.container.db('password_reminders').where({ user_id: user.id })).to.have.length(0);
    expect(await env.server.container.reminders.runOnce()).to.include({ queued: 1 });
    await env.deliver();
    expect(env.fake.messagesTo(mobile(1))).to.have.length(1);
  });

  it('leaves a live claim of another instance alone', async () => {
    const { key } = await dueUser('jon', 2);
    const db = env.server.container.db;
    await db('password_reminders').insert(claimRow('11111111-1111-4111-8111-111111111111', key, env.clock.now() - LEASE + 60_000));
    expect(await job(env.server.container.sms.sender).runOnce()).to.include({ queued: 0 });
    expect(await db('password_reminders').where({ user_id: key.user_id }).first()).to.include({ status: 'claimed' });
  });

  it('takes over that claim once its lease has passed and sends the reminder then', async () => {
    env.clock.advance(60_001);
    expect(await job(env.server.container.sms.sender).runOnce()).to.include({ queued: 1, recovered: 0 });
    const row = await env.server.container.db('password_reminders').where({ status: 'queued' }).orderBy('updated_at', 'desc').first();
    expect(row.claim_token).to.not.equal('11111111-1111-4111-8111-111111111111');
    await env.deliver();
    expect(env.fake.messagesTo(mobile(2))).to.have.length(1);
  });

  it('does not resend when the abandoned claim had already queued its message', async () => {
    const { user, key } = await dueUser('kim', 3);
    const c = env.server.container;
    const token = '22222222-2222-4222-8222-222222222222';
    // A run queued the message, then died before marking its claim as queued.
    const earlier = await c.sms.sender.enqueue({ purpose: 'password_expiry_reminder', to: mobile(3), flowId: reminderFlowId(token), user: { name: user.name } });
    await c.db('password_reminders').insert(claimRow(token, key, env.clock.now() - LEASE - 1));
    const before = (await reminderLog(env)).length;
    expect(await job(c.sms.sender).runOnce()).to.include({ queued: 0, recovered: 1 });
    expect(await c.db('password_reminders').where({ user_id: user.id }).first()).to.include({ status: 'queued', message_id: earlier.id });
    expect(await reminderLog(env)).to.have.length(before);
    await env.deliver();
    expect(env.fake.messagesTo(mobile(3))).to.have.length(1);
  });
});
