// Wrong codes per number are counted across codes, flows and instances, with growing delays, cleared by a success.
import { expect } from 'chai';
import { type CodeEngine, createCodeEngine } from '../../src/codes/engine.ts';
import type { IssueParams } from '../../src/codes/types.ts';
import { type Clock, type CodesFixture, codesFixture, createClock, uniqueFlow, uniquePhone } from './fixture.ts';

describe('one-time codes: wrong codes per number', () => {
  let fx: CodesFixture;
  let clock: Clock;
  let engine: CodeEngine;
  let phone: string;

  before(async () => {
    fx = await codesFixture();
  });
  after(() => fx.close());
  beforeEach(() => {
    clock = createClock();
    engine = createCodeEngine({ db: fx.db, box: fx.box, now: clock.now });
    phone = uniquePhone();
  });

  let n = 100000;
  const sequential = () => createCodeEngine({ db: fx.db, box: fx.box, now: clock.now, random: () => n++ });
  const params = (over: Partial<IssueParams> = {}): IssueParams => ({
    purpose: 'login',
    flowId: uniqueFlow(),
    phone,
    length: 6,
    lifetimeSeconds: 300,
    maxAttempts: 5,
    ...over,
  });
  const wrong = (code: string) => code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));

  it('a new code does not reset the count: delays of 1 s, 2 s, 4 s follow, and the right code must wait too', async () => {
    const first = params();
    const a = await engine.issue(first);
    for (let i = 0; i < 5; i++) expect(await engine.verify({ ...first, code: wrong(a.code) })).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await engine.waitSeconds(phone)).to.equal(0);

    const second = params();
    const b = await engine.issue(second);
    expect(await engine.verify({ ...second, code: wrong(b.code) })).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await engine.verify({ ...second, code: b.code })).to.deep.equal({ ok: false, reason: 'throttled', retryAfterSeconds: 1 });
    const row = await fx.db('one_time_codes').where({ flow_id: second.flowId }).first();
    expect(Number(row.attempts)).to.equal(1); // a throttled submission is refused before it reaches the code

    clock.advance(1000);
    expect(await engine.verify({ ...second, code: wrong(b.code) })).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await engine.waitSeconds(phone)).to.equal(2);
    clock.advance(2000);
    expect(await engine.verify({ ...second, code: wrong(b.code) })).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await engine.waitSeconds(phone)).to.equal(4);
    clock.advance(3999);
    expect(await engine.verify({ ...second, code: b.code })).to.deep.equal({ ok: false, reason: 'throttled', retryAfterSeconds: 1 });
    clock.advance(1);
    expect(await engine.verify({ ...second, code: b.code })).to.deep.equal({ ok: true });
  });

  it('a success clears the count', async () => {
    const seq = sequential();
    for (let round = 0; round < 2; round++) {
      const p = params();
      const { code } = await seq.issue(p);
      for (let i = 0; i < 4; i++) {
        clock.advance((await seq.waitSeconds(phone)) * 1000);
        expect(await seq.verify({ ...p, code: wrong(code) })).to.deep.equal({ ok: false, reason: 'invalid' });
      }
    }
    expect(await seq.waitSeconds(phone)).to.equal(4); // 8 wrong codes: 5 free, then delays of 1, 2 and 4 s
    clock.advance(4000);
    const p = params();
    const { code } = await seq.issue(p);
    expect(await seq.verify({ ...p, code })).to.deep.equal({ ok: true });
    const next = params();
    const c = await seq.issue(next);
    for (let i = 0; i < 5; i++) await seq.verify({ ...next, code: wrong(c.code) });
    expect(await seq.waitSeconds(phone)).to.equal(0);
  });

  it('counts across purposes and flows, not across numbers', async () => {
    for (const purpose of ['login', 'signup', 'reset_password', 'mfa', 'login', 'signup'] as const) {
      const p = params({ purpose });
      const { code } = await engine.issue(p);
      await engine.verify({ ...p, code: wrong(code) });
    }
    expect(await engine.waitSeconds(phone)).to.equal(1);
    expect(await engine.waitSeconds(uniquePhone())).to.equal(0);
  });

  it('caps the delay and forgets the count after a day without wrong codes', async () => {
    const p = params({ maxAttempts: 100 });
    const { code } = await engine.issue(p);
    for (let i = 0; i < 30; i++) {
      await engine.verify({ ...p, code: wrong(code) });
      clock.advance(15 * 60 * 1000);
    }
    clock.advance(-15 * 60 * 1000);
    expect(await engine.waitSeconds(phone)).to.equal(15 * 60);
    clock.advance(24 * 60 * 60 * 1000 + 1);
    const q = params();
    const fresh = await engine.issue(q);
    await engine.verify({ ...q, code: wrong(fresh.code) });
    expect(await engine.waitSeconds(phone)).to.equal(0);
  });

  it('is shared between instances', async () => {
    const other = createCodeEngine({ db: fx.second(), box: fx.box, now: clock.now });
    const p = params({ maxAttempts: 10 });
    const { code } = await engine.issue(p);
    for (let i = 0; i < 6; i++) await engine.verify({ ...p, code: wrong(code) });
    expect(await other.verify({ ...p, code })).to.deep.equal({ ok: false, reason: 'throttled', retryAfterSeconds: 1 });
  });
});
