// Wrong codes per number and requester: counted across codes and flows before anything is compared, with growing delays.
import { expect } from 'chai';
import { type CodeEngine, createCodeEngine } from '../../src/codes/engine.ts';
import { createSqlCounters } from '../../src/counters/index.ts';
import type { IssueParams, VerifyParams } from '../../src/codes/types.ts';
import { type Clock, type CodesFixture, codesFixture, createClock, uniqueFlow, uniquePhone } from './fixture.ts';

describe('one-time codes: wrong codes per number and requester', () => {
  let fx: CodesFixture;
  let clock: Clock;
  let engine: CodeEngine;
  let phone: string;
  const me = 'ip:198.51.100.7';

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
  const as = (p: IssueParams, code: string, requester = me): VerifyParams => ({ ...p, code, requester });
  const wrong = (code: string) => code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));

  it('a new code does not reset the count: delays of 1 s, 2 s, 4 s follow, and the right code must wait too', async () => {
    const first = params();
    const a = await engine.issue(first);
    for (let i = 0; i < 5; i++) expect(await engine.verify(as(first, wrong(a.code)))).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await engine.waitSeconds(phone, me)).to.equal(0);

    const second = params();
    const b = await engine.issue(second);
    expect(await engine.verify(as(second, wrong(b.code)))).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await engine.verify(as(second, b.code))).to.deep.equal({ ok: false, reason: 'throttled', retryAfterSeconds: 1 });
    const row = await fx.db('one_time_codes').where({ flow_id: second.flowId }).first();
    expect(Number(row.attempts)).to.equal(1); // a throttled submission is refused before it reaches the code

    clock.advance(1000);
    expect(await engine.verify(as(second, wrong(b.code)))).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await engine.waitSeconds(phone, me)).to.equal(2);
    clock.advance(2000);
    expect(await engine.verify(as(second, wrong(b.code)))).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await engine.waitSeconds(phone, me)).to.equal(4);
    clock.advance(3999);
    expect(await engine.verify(as(second, b.code))).to.deep.equal({ ok: false, reason: 'throttled', retryAfterSeconds: 1 });
    clock.advance(1);
    expect(await engine.verify(as(second, b.code))).to.deep.equal({ ok: true });
  });

  it('counts a submission before reading the delay: a parallel burst cannot slip past it', async () => {
    const p = params({ maxAttempts: 20 });
    const { code } = await engine.issue(p);
    const other = createCodeEngine({ db: fx.second(), box: fx.box, now: clock.now });
    // Twelve wrong codes at once, from two instances: five free ones and the sixth get checked, the rest wait.
    const results = await Promise.all([...Array(12)].map((_, i) => (i % 2 ? engine : other).verify(as(p, wrong(code)))));
    expect(results.filter((r) => !r.ok && r.reason === 'invalid')).to.have.length(6);
    expect(results.filter((r) => !r.ok && r.reason === 'throttled')).to.have.length(6);
    const row = await fx.db('one_time_codes').where({ flow_id: p.flowId }).first();
    expect(Number(row.attempts)).to.equal(6);
  });

  it('a success clears the count', async () => {
    const seq = sequential();
    for (let round = 0; round < 2; round++) {
      const p = params();
      const { code } = await seq.issue(p);
      for (let i = 0; i < 4; i++) {
        clock.advance((await seq.waitSeconds(phone, me)) * 1000);
        expect(await seq.verify(as(p, wrong(code)))).to.deep.equal({ ok: false, reason: 'invalid' });
      }
    }
    expect(await seq.waitSeconds(phone, me)).to.equal(4); // 8 wrong codes: 5 free, then delays of 1, 2 and 4 s
    clock.advance(4000);
    const p = params();
    const { code } = await seq.issue(p);
    expect(await seq.verify(as(p, code))).to.deep.equal({ ok: true });
    const next = params();
    const c = await seq.issue(next);
    for (let i = 0; i < 5; i++) await seq.verify(as(next, wrong(c.code)));
    expect(await seq.waitSeconds(phone, me)).to.equal(0);
  });

  it('a right code at the first try leaves nothing counted, its own verification included', async () => {
    // Were the success's own counted verification left in place, the next five wrong codes would already be delayed.
    const p = params();
    const { code } = await engine.issue(p);
    expect(await engine.verify(as(p, code))).to.deep.equal({ ok: true });
    const next = params({ maxAttempts: 10 });
    const c = await engine.issue(next);
    for (let i = 0; i < 5; i++) expect(await engine.verify(as(next, wrong(c.code)))).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await engine.waitSeconds(phone, me)).to.equal(0);
    expect(await engine.verify(as(next, wrong(c.code)))).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await engine.waitSeconds(phone, me)).to.equal(1);
  });

  it("adds a success's counts in the write that clears its wrong codes: one counter statement, none for a wrong code", async () => {
    const day = { seconds: 86_400 };
    const tally = `tally:${phone}`;
    let asked = 0;
    const countOnSuccess = async () => {
      asked += 1;
      return [{ key: tally, window: day }];
    };
    const p = params({ maxAttempts: 10 });
    const { code } = await engine.issue(p);
    for (let i = 0; i < 4; i++) expect(await engine.verify({ ...as(p, wrong(code)), countOnSuccess })).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(asked, 'not asked for wrong codes').to.equal(0);
    const statements: string[] = [];
    // (MariaDB: a store asks once whether the server answers RETURNING; not part of the verification.)
    const onQuery = (q: { sql: string }) => (/VERSION\(\)/.test(q.sql) ? undefined : statements.push(q.sql));
    fx.db.on('query', onQuery);
    try {
      expect(await engine.verify({ ...as(p, code), countOnSuccess })).to.deep.equal({ ok: true });
    } finally {
      fx.db.off('query', onQuery);
    }
    expect(asked).to.equal(1);
    // The gate's pass, the code's read, its consume, and one write: the counts added, the wrong codes forgotten.
    expect(statements, statements.join('\n')).to.have.length(4);
    expect(statements.filter((q) => /delete/i.test(q))).to.deep.equal([]);
    const counters = createSqlCounters(fx.db, clock.now);
    expect(await counters.peek([{ key: tally, window: day }])).to.deep.equal([1]);
    const next = params();
    const c = await engine.issue(next);
    for (let i = 0; i < 5; i++) await engine.verify(as(next, wrong(c.code)));
    expect(await engine.waitSeconds(phone, me)).to.equal(0);
  });

  it("counts across one requester's purposes and flows; another requester (the number's owner) is not delayed", async () => {
    for (const purpose of ['login', 'signup', 'reset_password', 'mfa', 'login', 'signup'] as const) {
      const p = params({ purpose });
      const { code } = await engine.issue(p);
      await engine.verify(as(p, wrong(code)));
    }
    expect(await engine.waitSeconds(phone, me)).to.equal(1);
    expect(await engine.waitSeconds(uniquePhone(), me)).to.equal(0);
    // The owner of the number, signing in from elsewhere, checks their own code at once.
    const owner = params({ purpose: 'mfa' });
    const { code } = await engine.issue(owner);
    expect(await engine.waitSeconds(phone, 'ip:203.0.113.9')).to.equal(0);
    expect(await engine.verify(as(owner, code, 'ip:203.0.113.9'))).to.deep.equal({ ok: true });
  });

  it('without a requester, wrong codes delay only their own flow', async () => {
    const mine = params();
    const a = await engine.issue(mine);
    for (let i = 0; i < 5; i++) await engine.verify({ ...mine, code: wrong(a.code) });
    const theirs = params();
    const b = await engine.issue(theirs);
    expect(await engine.verify({ ...theirs, code: b.code })).to.deep.equal({ ok: true });
  });

  it('caps the delay and forgets the count after a day without wrong codes', async () => {
    const p = params({ maxAttempts: 100 });
    const { code } = await engine.issue(p);
    for (let i = 0; i < 30; i++) {
      await engine.verify(as(p, wrong(code)));
      clock.advance(15 * 60 * 1000);
    }
    clock.advance(-15 * 60 * 1000);
    expect(await engine.waitSeconds(phone, me)).to.equal(15 * 60);
    clock.advance(24 * 60 * 60 * 1000 + 1);
    const q = params();
    const fresh = await engine.issue(q);
    await engine.verify(as(q, wrong(fresh.code)));
    expect(await engine.waitSeconds(phone, me)).to.equal(0);
  });

  it('is shared between instances', async () => {
    const other = createCodeEngine({ db: fx.second(), box: fx.box, now: clock.now });
    const p = params({ maxAttempts: 10 });
    const { code } = await engine.issue(p);
    for (let i = 0; i < 6; i++) await engine.verify(as(p, wrong(code)));
    expect(await other.verify(as(p, code))).to.deep.equal({ ok: false, reason: 'throttled', retryAfterSeconds: 1 });
  });
});
