// One definition of "sent": the dashboard's days and the spend page's hours count a message once the provider has it
// and not when it is still pending or failed; both read the same message log. One count of verified codes: both read
// the conversion counts (the dashboard adds the days counted before them).
import { expect } from 'chai';
import { pino } from 'pino';
import { createDashboard } from '../../src/admin/console/dashboard.ts';
import { createCodeStats } from '../../src/codes/index.ts';
import { type CounterStore, counterKey, createRedisCounters, createSqlCounters, type RedisCounterStore } from '../../src/counters/index.ts';
import { maskPhone } from '../../src/phone.ts';
import { sentPerHour } from '../../src/sms/outbox/figures.ts';
import { createMessagesRepo } from '../../src/sms/outbox/repo.ts';
import { createEgress } from '../../src/sms/providers/egress.ts';
import { VERIFIED_DAYS_KEPT } from '../../src/sms/spend/conversion.ts';
import { createSpend } from '../../src/sms/spend/index.ts';
import { type CodesFixture, codesFixture, createClock } from '../codes/fixture.ts';
import { dropPrefix, freshPrefix, requireRedis, TEST_REDIS_URL, ttlOf } from '../helpers/redis.ts';

describe('SMS figures: one definition of sent', () => {
  let fx: CodesFixture;
  const now = Date.UTC(2026, 11, 3, 10, 30);

  before(async () => {
    fx = await codesFixture();
    const repo = createMessagesRepo(fx.db, () => now);
    const add = async (to: string, status: string) => {
      const id = await repo.insert({
        accountId: 'acc',
        provider: 'twilio',
        purpose: 'login',
        toMasked: maskPhone(to),
        toHash: `h-${to}-${status}`,
        toSealed: 'x',
        bodySealed: 'x',
        varsSealed: 'x',
        language: 'en',
        encoding: 'GSM-7',
        characters: 30,
        segments: 1,
        flowId: null,
      });
      await fx.db('sms_messages').where({ id }).update({ status });
    };
    await add('+61491570156', 'pending');
    await add('+61491570157', 'failed');
    await add('+61491570158', 'delivered');
    await add('+61491570159', 'queued');
    await add('+12015550123', 'sent');
  });
  after(() => fx.close());

  it('counts the same messages as sent on the dashboard and on the spend page', async () => {
    const au = await sentPerHour(fx.db, 'AU', 24, now);
    expect(au).to.have.length(24);
    expect(au.at(-1), 'delivered and queued to +61; not pending, not failed').to.equal(2);
    expect(au.slice(0, -1).every((n) => n === 0)).to.equal(true);
    expect((await sentPerHour(fx.db, 'US', 24, now)).at(-1)).to.equal(1);
    const dashboard = await createDashboard(fx.db, { verifiedPerDay: async (_first, days) => Array(days).fill(0), earlier: createCodeStats(fx.db) }, () => now)();
    const today = dashboard.days.at(-1)!;
    expect(today.sent, 'the dashboard: the same three').to.equal(3);
    expect(today.delivered).to.equal(1);
  });
});

/** Each counter store the server may run on: the database, and Redis when one answers here. */
const stores = [
  { name: 'SQL', open: (fx: CodesFixture, now: () => number): CounterStore => createSqlCounters(fx.db, now) },
  { name: 'Redis', open: (_fx: CodesFixture, now: () => number): CounterStore => createRedisCounters({ url: TEST_REDIS_URL, keyPrefix: redisPrefix, now }) },
];
const redisPrefix = freshPrefix();

for (const store of stores) {
  describe(`SMS figures: one count of verified codes (${store.name} counters)`, () => {
    let fx: CodesFixture;
    let counters: CounterStore;
    const clock = createClock(Date.UTC(2026, 11, 3, 10, 30));
    const DAY = 86_400_000;

    before(async function () {
      if (store.name === 'Redis') await requireRedis(this);
      fx = await codesFixture();
      counters = store.open(fx, clock.now);
      if (store.name === 'Redis') await (counters as RedisCounterStore).ready(2000);
    });
    after(async () => {
      if (store.name === 'Redis') {
        await (counters as RedisCounterStore | undefined)?.close();
        await dropPrefix(redisPrefix);
      }
      await fx?.close();
    });

    it('shows on the dashboard the verifications the spend page counts, with the days counted before in code_stats_daily', async () => {
      const spend = createSpend({ db: fx.db, box: fx.box, counters, egress: createEgress(['127.0.0.1']), logger: pino({ level: 'silent' }), audit: { record: async () => undefined }, now: clock.now });
      const dashboard = createDashboard(fx.db, { verifiedPerDay: spend.conversion.verifiedPerDay, earlier: createCodeStats(fx.db) }, clock.now);
      const today = Math.floor(clock.now() / DAY);
      const day = (d: number) => new Date(d * DAY).toISOString().slice(0, 10);
      // Counted before the conversion counts kept days: earlier today, three days ago, and beyond the chart.
      await fx.db('code_stats_daily').insert([
        { day: day(today), purpose: 'login', verified: 2 },
        { day: day(today - 3), purpose: 'login', verified: 4 },
        { day: day(today - 3), purpose: 'mfa', verified: 1 },
        { day: day(today - 20), purpose: 'login', verified: 9 },
      ]);
      // Since then: one code 14 days ago (off the chart), one 13 days ago (the chart's first day), three days ago, and today.
      const verifyAt = async (ms: number, phone: string) => {
        const back = clock.now();
        clock.advance(ms - back);
        await spend.conversion.recordVerified(phone, '203.0.113.9');
        clock.advance(back - ms);
      };
      await verifyAt((today - 14) * DAY + 3600_000, '+61491570156');
      await verifyAt((today - 13) * DAY + 60_000, '+61491570156');
      await verifyAt((today - 3) * DAY + 20 * 3600_000, '+12015550123');
      await verifyAt(today * DAY + 1000, '+61491570157');
      await verifyAt(clock.now() - 3600_000, '+61491570158');
      await verifyAt(clock.now(), '+12015550123');

      const { days } = await dashboard();
      expect(days).to.have.length(14);
      expect(days[0]).to.include({ day: day(today - 13), verified: 1 });
      expect(days.at(-4)).to.include({ day: day(today - 3), verified: 6 });
      expect(days.at(-1)).to.include({ day: day(today), verified: 5 });
      expect(days.reduce((n, d) => n + d.verified, 0)).to.equal(12);
      // The spend page's hours of today, per country, add up to the dashboard's today without the earlier table.
      const hoursToday = clock.now() / 3600_000 - today * 24 + 1;
      const au = (await spend.conversion.hourly('AU', 24)).verified.slice(-Math.floor(hoursToday));
      const us = (await spend.conversion.hourly('US', 24)).verified.slice(-Math.floor(hoursToday));
      expect(au.reduce((a, b) => a + b, 0) + us.reduce((a, b) => a + b, 0)).to.equal(5 - 2);
    });

    if (store.name === 'Redis') {
      it('keeps the days in Redis for longer than the chart shows (a month)', async () => {
        const key = `${redisPrefix}c:${counterKey('conv_day', 'verified', 'w86400', Math.floor(clock.now() / DAY))}`;
        expect(await ttlOf(key)).to.be.greaterThan((VERIFIED_DAYS_KEPT - 1) * DAY).and.greaterThan(14 * DAY);
      });
    }
  });
}
