// The counter store on SQLite and MariaDB: windows from the injected clock, atomic adds and passes across instances, bounded keys.
import { expect } from 'chai';
import { backoffGate, type CounterStore, cooldownGate, counterKey, createSqlCounters, MAX_KEY_LENGTH } from '../../src/counters/index.ts';
import { type Clock, type CodesFixture, codesFixture, createClock } from '../codes/fixture.ts';

describe('counter store (SQL)', () => {
  let fx: CodesFixture;
  let clock: Clock;
  let store: CounterStore;
  let other: CounterStore;
  let n = 0;
  const key = () => `test:${process.pid}:${++n}`;
  const hour = { seconds: 3600 };

  before(async () => {
    fx = await codesFixture();
  });
  after(() => fx.close());
  beforeEach(() => {
    clock = createClock(); // 09:00:00 UTC: an hour window starts now
    store = createSqlCounters(fx.db, clock.now);
    other = createSqlCounters(fx.second(), clock.now);
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
});
