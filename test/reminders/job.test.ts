// Expiry reminder job on one instance: with the clock moved, exactly one reminder per user per password period, and only where due.
import { expect } from 'chai';
import { policyInputSchema } from '../../src/policies/schema.ts';
import type { SmsTestEnv } from '../helpers/sms-setup.ts';
import { DAY_MS, member, mobile, reminderLog, setMobile, startReminderEnv } from './fixture.ts';

describe('password expiry reminders: one per user per period', () => {
  let env: SmsTestEnv;
  let t0: number;
  const ids: Record<string, string> = {};
  const goTo = (day: number) => env.clock.advance(t0 + day * DAY_MS - env.clock.now());
  const run = () => env.server.container.reminders.runOnce();
  const texts = async (i: number) => {
    await env.deliver();
    return env.fake.messagesTo(mobile(i)).map((m) => m.body);
  };

  before(async () => {
    env = await startReminderEnv();
    const c = env.server.container;
    const rotating = await c.policies.create(policyInputSchema.parse({ name: 'Rotating', password: { maxAgeDays: 90, reminderDays: 7 } }));
    const forever = await c.policies.create(policyInputSchema.parse({ name: 'Forever' }));
    const silent = await c.policies.create(policyInputSchema.parse({ name: 'Silent', password: { maxAgeDays: 90, reminderDays: null } }));
    await c.policies.update((await c.policies.getDefault()).id, { password: { maxAgeDays: 120, reminderDays: 7 } });
    t0 = env.clock.now();
    ids.ann = (await member(env, 'ann', rotating.id, mobile(1), { locale: 'fr' })).id; // due on day 83
    ids.bob = (await member(env, 'bob', rotating.id, null)).id; // no phone (until day 85)
    ids.cid = (await member(env, 'cid', rotating.id, mobile(3))).id;
    await c.users.setDisabled(ids.cid, true);
    ids.dee = (await member(env, 'dee', forever.id, mobile(4))).id; // policy without a maximum age
    ids.gus = (await member(env, 'gus', silent.id, mobile(5))).id; // maximum age, but no reminder
    ids.eve = (await member(env, 'eve', null, mobile(6))).id; // default policy: due on day 113
    await c.users.create({ username: 'hal', customAttributes: { mobile: mobile(7) } }); // no password at all
    env.clock.advance(30 * DAY_MS);
    ids.fay = (await member(env, 'fay', rotating.id, mobile(8))).id; // password set on day 30: due on day 113
  });
  after(() => env?.close());

  it('sends nothing before the reminder date', async () => {
    goTo(82);
    expect(await run()).to.include({ queued: 0 });
    expect(await reminderLog(env)).to.have.length(0);
  });

  it('sends one reminder once the clock passes it, in the user language and to the mapped phone', async () => {
    goTo(84);
    expect(await run()).to.include({ queued: 1, noPhone: 1, failed: 0 }); // ann sent; bob has no phone
    const sent = await texts(1);
    expect(sent).to.have.length(1);
    expect(sent[0]).to.contain('Votre mot de passe Codeword va bientôt expirer');
    const [row] = await env.server.container.db('password_reminders').where({ user_id: ids.ann });
    expect(row).to.include({ status: 'queued' });
  });

  it('sends nothing more in the same period, at once or days later', async () => {
    expect(await run()).to.include({ queued: 0 });
    goTo(86);
    expect(await run()).to.include({ queued: 0 });
    expect(await texts(1)).to.have.length(1);
  });

  it('claims nothing for a user without a phone, so a number added inside the window still gets its reminder', async () => {
    expect(await env.server.container.db('password_reminders').where({ user_id: ids.bob })).to.have.length(0);
    await setMobile(env.server.container.db, ids.bob!, mobile(2));
    expect(await run()).to.include({ queued: 1 });
    const [text] = await texts(2);
    expect(text).to.contain('Your Codeword password will expire soon');
    expect(await run()).to.include({ queued: 0 });
  });

  it('starts a new period on a password change: nothing now, one more reminder before the new expiry', async () => {
    goTo(88);
    await env.server.container.users.setPassword(ids.ann!, 'new-hash-for-the-test');
    expect(await run()).to.include({ queued: 0 });
    // The finished period's row is purged; the new one has none yet.
    expect(await env.server.container.db('password_reminders').where({ user_id: ids.ann })).to.have.length(0);
    goTo(88 + 82);
    expect(await run()).to.include({ queued: 0 });
    goTo(88 + 84);
    expect(await run()).to.include({ queued: 1 });
    expect(await texts(1)).to.have.length(2);
    goTo(88 + 89);
    expect(await run()).to.include({ queued: 0 });
    expect(await texts(1)).to.have.length(2);
  });

  it('reminds the default policy users and later starters in their own windows only; never after expiry', async () => {
    // Day 177: eve (default, 120 days) and fay (day 30 + 90) expired on day 120 without a run inside their window.
    expect(await texts(6)).to.have.length(0);
    expect(await texts(8)).to.have.length(0);
  });

  it('never texts disabled users, policies without a maximum age or reminder, or users without a password', async () => {
    for (const i of [3, 4, 5, 7]) expect(await texts(i), mobile(i)).to.have.length(0);
    expect(await reminderLog(env)).to.have.length(3); // ann twice, bob once
  });
});

describe('password expiry reminders: default policy and the SMS factor', () => {
  let env: SmsTestEnv;

  before(async () => {
    env = await startReminderEnv();
    const c = env.server.container;
    await c.policies.update((await c.policies.getDefault()).id, { password: { maxAgeDays: 120, reminderDays: 7 } });
    const rotating = await c.policies.create(policyInputSchema.parse({ name: 'Rotating', password: { maxAgeDays: 90, reminderDays: 7 } }));
    await member(env, 'eve', null, mobile(6));
    env.clock.advance(30 * DAY_MS);
    await member(env, 'fay', rotating.id, mobile(8));
    env.clock.advance(84 * DAY_MS); // day 114: both inside their windows (from day 113, before day 120)
  });
  after(() => env?.close());

  it('sends nothing and claims nothing while the SMS factor is unavailable', async () => {
    const c = env.server.container;
    await c.smsFactor.save({ active: false });
    expect(await c.reminders.runOnce()).to.include({ queued: 0, skipped: 'sms_factor_inactive' });
    expect(await c.db('password_reminders')).to.have.length(0);
    await c.smsFactor.save({ active: true });
  });

  it('then reminds unassigned users by the default policy and each user in their own window', async () => {
    expect(await env.server.container.reminders.runOnce()).to.include({ queued: 2 });
    await env.deliver();
    expect(env.fake.messagesTo(mobile(6))).to.have.length(1);
    expect(env.fake.messagesTo(mobile(8))).to.have.length(1);
    expect(await env.server.container.reminders.runOnce()).to.include({ queued: 0 });
  });
});
