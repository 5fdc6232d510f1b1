// The settings cache: read-mostly settings are read once per process, a change made here is seen at once, one made
// by another instance within SETTINGS_CHECK_MS (one stamp read per interval, however many settings are cached), and
// nothing is kept while the stamp cannot be read.
import { expect } from 'chai';
import { type CounterStore, createRedisCounters, createSqlCounters, type RedisCounterStore } from '../../src/counters/index.ts';
import { createSettingsCache, SETTINGS_CHECK_MS, type SettingsCache } from '../../src/db/recent.ts';
import { type CodesFixture, codesFixture } from '../codes/fixture.ts';
import { dropPrefix, freshPrefix, requireRedis, TEST_REDIS_URL } from '../helpers/redis.ts';

/** A wall clock the test moves. */
const wall = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

/** A setting "in the database": a value and how many times it was read. */
const setting = (initial: string) => {
  const s = {
    value: initial,
    reads: 0,
    load: async () => {
      s.reads++;
      return s.value;
    },
  };
  return s;
};

/** Counts the stamp reads (peeks) and bumps (adds) a store answers; `fail` makes it unreachable. */
const counted = (store: CounterStore) => {
  const c = { peeks: 0, adds: 0, fail: false };
  const stamps: Pick<CounterStore, 'add' | 'peek'> = {
    add: (...a) => {
      c.adds++;
      return c.fail ? Promise.reject(new Error('unreachable')) : store.add(...a);
    },
    peek: (...a) => {
      c.peeks++;
      return c.fail ? Promise.reject(new Error('unreachable')) : store.peek(...a);
    },
  };
  return { c, stamps };
};

for (const kind of ['SQL', 'Redis'] as const) {
  describe(`settings cache, stamp in ${kind === 'SQL' ? 'the database' : 'Redis'}`, () => {
    let fx: CodesFixture | undefined;
    let redis: RedisCounterStore[] = [];
    let prefix = '';
    let storeA: CounterStore;
    let storeB: CounterStore;

    before(async function () {
      if (kind === 'SQL') {
        fx = await codesFixture();
        storeA = createSqlCounters(fx.db);
        storeB = createSqlCounters(fx.second());
      } else {
        await requireRedis(this);
        prefix = freshPrefix();
        redis = [0, 1].map(() => createRedisCounters({ url: TEST_REDIS_URL, keyPrefix: prefix }));
        await Promise.all(redis.map((r) => r.ready(2000)));
        storeA = redis[0]!;
        storeB = redis[1]!;
      }
    });
    after(async () => {
      await fx?.close();
      await Promise.all(redis.map((r) => r.close()));
      if (prefix) await dropPrefix(prefix);
    });

    it('reads a setting once, sees its own change at once and another instance’s within SETTINGS_CHECK_MS', async () => {
      const clock = wall();
      const a = counted(storeA);
      const b = counted(storeB);
      const cacheA = createSettingsCache(a.stamps, { clock: clock.now });
      const cacheB = createSettingsCache(b.stamps, { clock: clock.now });
      const db = setting('blue');
      const onA = cacheA.recent<1, string>();
      const onB = cacheB.recent<1, string>();
      const other = cacheB.recent<string, string>();

      expect(await onA.get(1, db.load)).to.equal('blue');
      expect(await onB.get(1, db.load)).to.equal('blue');
      expect(await other.get('x', async () => 'x1')).to.equal('x1');
      for (let i = 0; i < 20; i++) expect(await onB.get(1, db.load)).to.equal('blue');
      expect(db.reads, 'one read per instance').to.equal(2);
      const peeks = b.c.peeks;

      // A changes the setting: A sees it at once; B keeps its value until its next stamp read.
      db.value = 'green';
      await cacheA.changed();
      expect(await onA.get(1, db.load)).to.equal('green');
      clock.advance(SETTINGS_CHECK_MS - 1);
      expect(await onB.get(1, db.load), 'within the interval B may still answer from its cache').to.equal('blue');
      expect(b.c.peeks, 'no stamp read within the interval').to.equal(peeks);
      clock.advance(1);
      expect(await onB.get(1, db.load), 'after SETTINGS_CHECK_MS B has read the stamp and the new value').to.equal('green');
      expect(await other.get('x', async () => 'x2'), 'every cache of B was emptied').to.equal('x2');
      expect(b.c.peeks, 'one stamp read for all of B’s caches').to.equal(peeks + 1);

      // An unchanged stamp keeps everything cached.
      const reads = db.reads;
      clock.advance(SETTINGS_CHECK_MS);
      expect(await onB.get(1, db.load)).to.equal('green');
      expect(db.reads).to.equal(reads);
    });

    it('keeps nothing while the stamp cannot be read, and caches again once it can', async () => {
      const clock = wall();
      const b = counted(storeB);
      const cache: SettingsCache = createSettingsCache(b.stamps, { clock: clock.now });
      const db = setting('v1');
      const onB = cache.recent<1, string>();
      expect(await onB.get(1, db.load)).to.equal('v1');
      b.c.fail = true;
      clock.advance(SETTINGS_CHECK_MS);
      db.value = 'v2';
      // A change made while the stamp store was away is not missed: every read goes to the database.
      expect(await onB.get(1, db.load)).to.equal('v2');
      expect(await onB.get(1, db.load)).to.equal('v2');
      expect(db.reads).to.equal(3);
      b.c.fail = false;
      clock.advance(SETTINGS_CHECK_MS);
      expect(await onB.get(1, db.load)).to.equal('v2');
      expect(await onB.get(1, db.load)).to.equal('v2');
      expect(db.reads, 'cached again').to.equal(4);
    });

    it('a change whose stamp cannot be written is still seen here at once', async () => {
      const clock = wall();
      const a = counted(storeA);
      const cache = createSettingsCache(a.stamps, { clock: clock.now });
      const db = setting('old');
      const onA = cache.recent<1, string>();
      expect(await onA.get(1, db.load)).to.equal('old');
      a.c.fail = true;
      db.value = 'new';
      await cache.changed();
      expect(await onA.get(1, db.load)).to.equal('new');
    });
  });
}
