// Expiry reminder job on two instances sharing one database: concurrent runs send exactly one reminder per user per period.
import { expect } from 'chai';
import { createPasswordRemindersRepo } from '../../src/db/password-reminders.ts';
import { policyInputSchema } from '../../src/policies/schema.ts';
import { usingMysql } from '../helpers/db.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import type { SmsTestEnv } from '../helpers/sms-setup.ts';
import { DAY_MS, member, mobile, reminderLog, startReminderEnv } from './fixture.ts';

describe(`password expiry reminders on two instances sharing one ${usingMysql ? 'MariaDB' : 'SQLite'} database`, () => {
  const USERS = 24;
  let env: SmsTestEnv;
  let other: TestServer;
  let userIds: string[];

  before(async () => {
    env = await startReminderEnv();
    other = await startServer({ database: env.server.database, now: env.clock.now, smsWorker: false, reminders: { start: false, batchSize: 5 } });
    const rotating = await env.server.container.policies.create(policyInputSchema.parse({ name: 'Rotating', password: { maxAgeDays: 30, reminderDays: 5 } }));
    userIds = [];
    for (let i = 0; i < USERS; i++) userIds.push((await member(env, `user${i}`, rotating.id, mobile(i))).id);
  });
  after(async () => {
    await other?.close();
    await env?.close();
  });

  /** Sends everything queued (the outbox hands over at most one batch per run). */
  const deliverAll = async () => {
    while ((await env.server.container.sms.worker.runOnce()) > 0);
  };
  const both = () => Promise.all([env.server.container.reminders.runOnce(), other.container.reminders.runOnce()]);

  it('lets exactly one of many simultaneous claims of one period win, across both instances', async () => {
    const repos = [createPasswordRemindersRepo(env.server.container.db), createPasswordRemindersRepo(other.container.db)];
    const key = { userId: 'claim-race-user', passwordChangedAt: 1 };
    const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => repos[i % 2]!.claim(key, `token-${i}`, 2)));
    expect(wins.filter(Boolean)).to.have.length(1);
    await env.server.container.db('password_reminders').where({ user_id: key.userId }).delete();
  });

  it('queues each due user exactly once when both instances run at the same moment', async () => {
    env.clock.advance(26 * DAY_MS);
    const [a, b] = await both();
    expect(a.queued + b.queued).to.equal(USERS);
    expect(a.failed + b.failed).to.equal(0);
    await deliverAll();
    for (let i = 0; i < USERS; i++) expect(env.fake.messagesTo(mobile(i)), mobile(i)).to.have.length(1);
    const rows = await env.server.container.db('password_reminders').select('user_id', 'status');
    expect(rows.map((r) => r.user_id).sort()).to.deep.equal([...userIds].sort());
    expect(new Set(rows.map((r) => r.status))).to.deep.equal(new Set(['queued']));
  });

  it('sends nothing more when both run again, now and later in the period', async () => {
    for (const days of [0, 2]) {
      env.clock.advance(days * DAY_MS);
      const [a, b] = await both();
      expect(a.queued + b.queued).to.equal(0);
    }
    expect(await reminderLog(env)).to.have.length(USERS);
  });

  it('sends one reminder per user in the next period, again with both instances running', async () => {
    const c = env.server.container;
    for (const id of userIds) await c.users.setPassword(id, 'next-period-hash');
    env.clock.advance(26 * DAY_MS);
    const results = await Promise.all([both(), both()]);
    expect(results.flat().reduce((n, r) => n + r.queued, 0)).to.equal(USERS);
    await deliverAll();
    for (let i = 0; i < USERS; i++) expect(env.fake.messagesTo(mobile(i)), mobile(i)).to.have.length(2);
    expect(await reminderLog(env)).to.have.length(2 * USERS);
  });
});
