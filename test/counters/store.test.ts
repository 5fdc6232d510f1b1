// The counter store's contract, run on each implementation: SQL (SQLite or MariaDB) and Redis. Windows from the
// injected clock, atomic adds and passes across instances, growing delays, refunds, bounded keys.
import { expect } from 'chai';
import {
  backoffGate,
  type CounterStore,
  cooldownGate,
  counterKey,
  createRedisCounters,
  createSqlCounters,
  MAX_KEY_LENGTH,
  MONTH,
  type RedisCounterStore,
} from '../../src/counters/index.ts';
import { type Clock, type CodesFixture, codesFixture, createClock } from '../codes/fixture.ts';
import { dropPrefix, freshPrefix, requireRedis, TEST_REDIS_URL, ttlOf } from '../helpers/redis.ts';

/** One implementation: `open` makes a store on the clock (each call a separate instance, as another server). */
interface Implementation {
  name: string;
  setUp(ctx: Mocha.Context): Promise<void>;
  open(clock: Clock): CounterStore;
  tearDown(): Promise<void>;
}

let fx: CodesFixture;
const sql: Implementation = {
  name: 'SQL',
  async setUp() {
    fx = await codesFixture();
  },
  open: (() => {
    let first = true;
    return (clock: Clock) => {
      // Alternate between the fixture's connection and a second one: two instances on one database.
      first = !first;
      return createSqlCounters(first ? fx.db : fx.second(), clock.now);
    };
  })(),
  tearDown: () => fx.close(),
};

let prefix = '';
const opened: RedisCounterStore[] = [];
const redis: Implementation = {
  name: 'Redis',
  async setUp(ctx) {
    await requireRedis(ctx);
    prefix = freshPrefix();
  },
  open(clock) {
    const store = createRedisCounters({ url: TEST_REDIS_URL, keyPrefix: prefix, now: clock.now });
    opened.push(store);
    return store;
  },
  async tearDown() {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await dropPrefix(prefix);
  },
};

for (const impl of [sql, redis]) {
  describe(`counter store (${impl.name})`, () => {
    let clock: Clock;
    let store: CounterStore;
    let other: CounterStore;
    let n = 0;
    const key = () => `test:${process.pid}:${++n}`;
    const hour = { seconds: 3600 };

    before(async function () {
      await impl.setUp(this);
    });
    after(() => impl.tearDown());
    beforeEach(async () => {
      clock = createClock(); // 09:00:00 UTC: an hour window starts now
      store = impl.open(clock);
      other = impl.open(clock);
      if (impl === redis) await Promise.all([store, other].map((s) => (s as RedisCounterStore).ready(2000)));
    });

    it('counts in windows whose buckets follow the injected clock', async () => {
      const k = key();
      expect(await store.add(k, hour)).to.equal(1);
      expect(await store.add(k, hour)).to.equal(2);
      expect(await store.peek([{ key: k, window: hour }])).to.deep.equal([2]);
      clock.advance(3599_000);
      expect(store.windowLeft(hour)).to.equal(1);
      expect(await store.add(k, hour)).to.equal(3);
      clock.advance(1000);
      expect(await store.peek([{ key: k, window: hour }])).to.deep.equal([0]);
      expect(await store.add(k, hour)).to.equal(1);
      expect(await store.add(k, hour, -1)).to.equal(0);
    });

    it('adds to several counters at once, in order, a key given twice counting both; parallel batches stay exact', async () => {
      const [a, b] = [key(), key()];
      const day = { seconds: 86_400 };
      expect(await store.addAll([])).to.deep.equal([]);
      expect(await store.addAll([{ key: a, window: hour }, { key: b, window: hour, by: 5 }, { key: a, window: day }])).to.deep.equal([1, 5, 1]);
      expect(await store.addAll([{ key: b, window: hour, by: -2 }, { key: a, window: hour, by: 2 }, { key: a, window: hour }])).to.deep.equal([3, 4, 4]);
      // 0 reads the count (a free message against a budget).
      expect(await store.addAll([{ key: b, window: hour, by: 0 }])).to.deep.equal([3]);
      expect(await store.peek([{ key: a, window: hour }, { key: b, window: hour }, { key: a, window: day }])).to.deep.equal([4, 3, 1]);
      const c = key();
      const batches = await Promise.all([...Array(10)].map((_, i) => (i % 2 ? store : other).addAll([{ key: c, window: hour }])));
      expect(await store.peek([{ key: c, window: hour }])).to.deep.equal([10]);
      // Each batch sees at least its own add, never more than all of them.
      for (const [n] of batches) expect(n).to.be.within(1, 10);
      clock.advance(3600_000);
      expect(await store.addAll([{ key: a, window: hour }, { key: a, window: day }])).to.deep.equal([1, 2]);
    });

    if (impl === sql) {
      it('adds several counters the MySQL way too (upsert, then read), where the server has no RETURNING', async () => {
        const mysqlWay = createSqlCounters(fx.db, clock.now, { returning: false });
        const [a, b] = [key(), key()];
        expect(await mysqlWay.addAll([{ key: a, window: hour }, { key: b, window: hour, by: 3 }, { key: a, window: hour }])).to.deep.equal([2, 3, 2]);
        expect(await mysqlWay.addAll([{ key: b, window: hour, by: -1 }])).to.deep.equal([2]);
        expect(await store.peek([{ key: a, window: hour }, { key: b, window: hour }])).to.deep.equal([2, 2]);
      });
    }

    it('forgets gates in the same write as adds: the gate then counts as never passed, fresh or not', async () => {
      const gate = backoffGate({ free: 2, maxSeconds: 8, forgetSeconds: 600 });
      const [w, g, untouched, unseen] = [key(), key(), key(), key()];
      for (let i = 0; i < 3; i++) expect(await store.pass(g, gate)).to.deep.equal({ passed: true }); // two free, then 1 s
      await store.pass(untouched, gate);
      expect(await store.peek([{ key: g, gate: true }])).to.deep.equal([1]);
      clock.advance(1000);
      expect(await store.pass(g, gate)).to.deep.equal({ passed: true });
      expect(await store.peek([{ key: g, gate: true }])).to.deep.equal([2]);
      // Adds count as ever; the gates named are forgotten, one that never existed stays forgotten, others keep their count.
      expect(await other.addAll([{ key: w, window: hour }, { key: w, window: hour, by: 2 }], { reset: [g, unseen] })).to.deep.equal([3, 3]);
      expect(await store.peek([{ key: w, window: hour }, { key: g, gate: true }, { key: unseen, gate: true }])).to.deep.equal([3, 0, 0]);
      // As fresh gates: two free passes, then 1 s, exactly as a gate never passed.
      for (const k of [g, unseen]) {
        expect(await store.pass(k, gate)).to.deep.equal({ passed: true });
        expect(await store.pass(k, gate)).to.deep.equal({ passed: true });
        expect(await store.peek([{ key: k, gate: true }])).to.deep.equal([0]);
        expect(await store.pass(k, gate)).to.deep.equal({ passed: true });
        expect(await store.pass(k, gate)).to.deep.equal({ passed: false, waitSeconds: 1 });
      }
      expect(await store.pass(untouched, gate)).to.deep.equal({ passed: true });
      expect(await store.pass(untouched, gate)).to.deep.equal({ passed: true });
      expect(await store.pass(untouched, gate)).to.deep.equal({ passed: false, waitSeconds: 1 });
      // Only gates to forget: still one write.
      expect(await store.addAll([], { reset: [g] })).to.deep.equal([]);
      expect(await store.peek([{ key: g, gate: true }])).to.deep.equal([0]);
      expect(await store.pass(g, gate)).to.deep.equal({ passed: true });
      // A forgotten gate leaves nothing the purge must keep.
      clock.advance(1000);
      await store.addAll([{ key: w, window: hour }], { reset: [g, unseen] });
      clock.advance(1);
      if (impl === sql) {
        await store.purgeExpired();
        expect(await fx.db('counters').whereIn('id', [counterKey(g), counterKey(unseen)]).count({ n: '*' }).first()).to.deep.include({ n: 0 });
      }
    });

    if (impl === sql) {
      it('forgets gates with the adds the MySQL way too, where the server has no RETURNING', async () => {
        const mysqlWay = createSqlCounters(fx.db, clock.now, { returning: false });
        const gate = backoffGate({ free: 0, maxSeconds: 4, forgetSeconds: 600 });
        const [w, g] = [key(), key()];
        expect(await mysqlWay.pass(g, gate)).to.deep.equal({ passed: true });
        expect(await mysqlWay.peek([{ key: g, gate: true }])).to.deep.equal([1]);
        expect(await mysqlWay.addAll([{ key: w, window: hour, by: 2 }], { reset: [g] })).to.deep.equal([2]);
        expect(await mysqlWay.addAll([], { reset: [g] })).to.deep.equal([]);
        expect(await mysqlWay.peek([{ key: w, window: hour }, { key: g, gate: true }])).to.deep.equal([2, 0]);
        expect(await mysqlWay.pass(g, gate)).to.deep.equal({ passed: true });
        expect(await mysqlWay.pass(g, gate)).to.deep.equal({ passed: false, waitSeconds: 1 });
      });
    }

    it('adds atomically: parallel adds on two instances each get their own count', async () => {
      const k = key();
      const counts = await Promise.all([...Array(20)].map((_, i) => (i % 2 ? store : other).add(k, hour)));
      expect([...counts].sort((a, b) => a - b)).to.deep.equal([...Array(20)].map((_, i) => i + 1));
    });

    it('a cooldown gate lets exactly one of many parallel passes through, and says how long the others wait', async () => {
      const gate = cooldownGate(30);
      for (let round = 0; round < 3; round++) {
        const k = key();
        const results = await Promise.all([...Array(12)].map((_, i) => (i % 2 ? store : other).pass(k, gate)));
        expect(results.filter((r) => r.passed)).to.have.length(1);
        expect(results.filter((r) => !r.passed && r.waitSeconds === 30)).to.have.length(11);
      }
      const k = key();
      expect(await store.pass(k, gate)).to.deep.equal({ passed: true });
      clock.advance(29_500);
      expect(await store.pass(k, gate)).to.deep.equal({ passed: false, waitSeconds: 1 });
      expect(await store.peek([{ key: k, gate: true }])).to.deep.equal([1]);
      clock.advance(500);
      expect(await store.pass(k, gate)).to.deep.equal({ passed: true });
    });

    it('a backoff gate counts each pass before anyone reads it: free passes, then 1 s, 2 s, 4 s …, forgotten later', async () => {
      const gate = backoffGate({ free: 2, maxSeconds: 4, forgetSeconds: 60 });
      expect(gate.steps).to.deep.equal([1, 2, 4]);
      const k = key();
      const burst = await Promise.all([...Array(6)].map((_, i) => (i % 2 ? store : other).pass(k, gate)));
      // Two free passes and the third (which closes the gate for 1 s) get through; the rest of the burst waits.
      expect(burst.filter((r) => r.passed)).to.have.length(3);
      clock.advance(1000);
      expect(await store.pass(k, gate)).to.deep.equal({ passed: true });
      expect(await store.pass(k, gate)).to.deep.equal({ passed: false, waitSeconds: 2 });
      clock.advance(2000);
      expect(await store.pass(k, gate)).to.deep.equal({ passed: true });
      expect(await store.peek([{ key: k, gate: true }])).to.deep.equal([4]);
      clock.advance(4000);
      expect(await store.pass(k, gate)).to.deep.equal({ passed: true });
      expect(await store.peek([{ key: k, gate: true }])).to.deep.equal([4]); // capped
      clock.advance(61_000);
      expect(await store.pass(k, gate)).to.deep.equal({ passed: true }); // forgotten: a free pass again
      expect(await store.peek([{ key: k, gate: true }])).to.deep.equal([0]);
      await store.pass(k, gate);
      await store.pass(k, gate); // the third pass closes the gate for 1 s
      expect(await store.pass(k, gate)).to.deep.equal({ passed: false, waitSeconds: 1 });
      await store.reset(k);
      expect(await store.pass(k, gate)).to.deep.equal({ passed: true });
    });

    it('bounds every key: a 256-character (or longer, non-ASCII) key is hashed into the column', async () => {
      const long = `login:${'é'.repeat(250)}x`;
      const longer = `login:${'é'.repeat(250)}y`;
      expect(counterKey(long)).to.have.length(MAX_KEY_LENGTH);
      expect(counterKey(long)).not.to.equal(counterKey(longer));
      expect(counterKey('short', 'key')).to.equal('short:key');
      expect(await store.add(long, hour)).to.equal(1);
      expect(await store.add(longer, hour)).to.equal(1);
      expect(await store.pass(long, cooldownGate(10))).to.deep.equal({ passed: true });
      expect(await store.peek([{ key: long, window: hour }, { key: longer, window: hour }, { key: long, gate: true }])).to.deep.equal([1, 1, 10]);
    });

    it('calendar month windows start again on the 1st (UTC), and windowLeft counts to the end of the month', async () => {
      const k = key();
      expect(await store.add(k, MONTH, 5)).to.equal(5);
      // 11 November 09:00 UTC to 1 December 00:00 UTC.
      expect(store.windowLeft(MONTH)).to.equal((19 * 86_400) + 15 * 3600);
      clock.advance((19 * 86_400 + 15 * 3600 - 1) * 1000);
      expect(await other.add(k, MONTH, 2)).to.equal(7);
      expect(store.windowLeft(MONTH)).to.equal(1);
      clock.advance(1000);
      expect(await store.peek([{ key: k, window: MONTH }])).to.deep.equal([0]);
      expect(await store.add(k, MONTH)).to.equal(1);
      expect(store.windowLeft(MONTH)).to.equal(31 * 86_400);
    });

    it('a past window is read with `at` while it is kept (keepSeconds), next to the current one', async () => {
      const k = key();
      const kept = { seconds: 3600, keepSeconds: 7 * 86_400 };
      const start = clock.now();
      await store.add(k, kept, 3);
      clock.advance(3600_000);
      await other.add(k, kept, 4);
      expect(await store.peek([{ key: k, window: kept, at: start }, { key: k, window: kept }, { key: k, window: kept, at: start - 3600_000 }])).to.deep.equal([3, 4, 0]);
    });

    it('a refund takes back one pass and reopens the gate as far as the count allows; a reset forgets it all', async () => {
      const gate = backoffGate({ free: 1, maxSeconds: 8, forgetSeconds: 600 });
      expect(gate.steps).to.deep.equal([1, 2, 4, 8]);
      const k = key();
      await store.refund(k, gate); // nothing to take back: no counter appears
      expect(await store.peek([{ key: k, gate: true }])).to.deep.equal([0]);
      expect(await store.pass(k, gate)).to.deep.equal({ passed: true });
      expect(await store.pass(k, gate)).to.deep.equal({ passed: true }); // the second closes it for 1 s
      expect(await other.pass(k, gate)).to.deep.equal({ passed: false, waitSeconds: 1 });
      await other.refund(k, gate); // back to one pass: free again
      expect(await store.peek([{ key: k, gate: true }])).to.deep.equal([0]);
      expect(await store.pass(k, gate)).to.deep.equal({ passed: true });
      clock.advance(1000);
      expect(await store.pass(k, gate)).to.deep.equal({ passed: true }); // third pass: closed for 2 s
      expect(await store.peek([{ key: k, gate: true }])).to.deep.equal([2]);
      await store.refund(k, gate); // back to two passes: 1 s from the last pass
      expect(await store.peek([{ key: k, gate: true }])).to.deep.equal([1]);
      clock.advance(1000);
      expect(await store.pass(k, gate)).to.deep.equal({ passed: true });
      expect(await store.peek([{ key: k, gate: true }])).to.deep.equal([2]);
      await store.reset(k);
      expect(await store.peek([{ key: k, gate: true }])).to.deep.equal([0]);
      expect(await store.pass(k, gate)).to.deep.equal({ passed: true });
      expect(await store.pass(k, gate)).to.deep.equal({ passed: true });
    });


    if (impl === redis) {
      it('leaves expiry to Redis: each key lives until its window (and keepSeconds) or gate can no longer matter', async () => {
        const w = key();
        const g = key();
        await store.add(w, { seconds: 60, keepSeconds: 120 });
        await store.pass(g, cooldownGate(300));
        expect(await store.purgeExpired()).to.equal(0);
        // 09:00:00 on the clock: the minute ends in 60 s, kept 120 s more, plus a minute's grace.
        const windowTtl = await ttlOf(`${prefix}c:${counterKey(w, 'w60', Math.floor(clock.now() / 60_000))}`);
        expect(windowTtl).to.be.within(235_000, 240_000);
        const gateTtl = await ttlOf(`${prefix}g:${counterKey(g)}`);
        expect(gateTtl).to.be.within(355_000, 360_000);
      });

      it('keeps installations apart by key prefix', async () => {
        const k = key();
        const apart = freshPrefix();
        const elsewhere = createRedisCounters({ url: TEST_REDIS_URL, keyPrefix: apart, now: clock.now });
        try {
          await elsewhere.ready(2000);
          await store.add(k, hour, 3);
          expect(await elsewhere.peek([{ key: k, window: hour }])).to.deep.equal([0]);
          expect(await elsewhere.add(k, hour)).to.equal(1);
        } finally {
          await elsewhere.close();
          await dropPrefix(apart);
        }
      });
    } else {
      it('purges what can no longer matter: past windows, open gates whose count is forgotten', async () => {
        const w = key();
        const g = key();
        await store.add(w, { seconds: 60 });
        await store.pass(g, cooldownGate(120));
        clock.advance(60_001);
        await store.purgeExpired();
        expect(await fx.db('counters').where('id', 'like', `${w}%`).first()).to.equal(undefined);
        expect(await store.peek([{ key: g, gate: true }])).to.deep.equal([60]);
        clock.advance(60_000);
        await store.purgeExpired();
        expect(await fx.db('counters').where({ id: g }).first()).to.equal(undefined);
      });
    }
  });
}
