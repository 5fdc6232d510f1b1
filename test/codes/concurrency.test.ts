// Parallel submissions from two app instances on one database: one success for the right code, every attempt counted.
import { expect } from 'chai';
import { type CodeEngine, createCodeEngine } from '../../src/codes/engine.ts';
import type { IssueParams, VerifyResult } from '../../src/codes/types.ts';
import { type CodesFixture, codesFixture, createClock, uniqueFlow, uniquePhone } from './fixture.ts';

describe('one-time codes: parallel submissions on two instances', () => {
  let fx: CodesFixture;
  let a: CodeEngine;
  let b: CodeEngine;
  const noDelays = { freeFailures: 1_000_000, maxDelaySeconds: 1, windowSeconds: 1 };

  before(async () => {
    fx = await codesFixture();
    const clock = createClock();
    a = createCodeEngine({ db: fx.db, box: fx.box, now: clock.now, failures: noDelays });
    b = createCodeEngine({ db: fx.second(), box: fx.box, now: clock.now, failures: noDelays });
  });
  after(() => fx.close());

  const params = (maxAttempts = 5): IssueParams => ({ purpose: 'login', flowId: uniqueFlow(), phone: uniquePhone(), length: 6, lifetimeSeconds: 300, maxAttempts });
  const tally = (results: VerifyResult[]) => results.map((r) => (r.ok ? 'ok' : r.reason)).sort();

  it('the right code submitted twice in parallel (one per instance) succeeds exactly once', async () => {
    for (let round = 0; round < 20; round++) {
      const p = params();
      const { code } = await a.issue(p);
      const results = await Promise.all([a.verify({ ...p, code }), b.verify({ ...p, code })]);
      expect(tally(results)).to.deep.equal(['ok', 'used']);
    }
  });

  it('five parallel submissions of the right code give one success and four "used"', async () => {
    for (let round = 0; round < 5; round++) {
      const p = params(5);
      const { code } = await a.issue(p);
      const results = await Promise.all([...Array(5)].map((_, i) => (i % 2 ? a : b).verify({ ...p, code })));
      expect(tally(results)).to.deep.equal(['ok', 'used', 'used', 'used', 'used']);
    }
  });

  it('more parallel submissions than allowed attempts never give more than one success', async () => {
    for (let round = 0; round < 5; round++) {
      const p = params(3);
      const { code } = await a.issue(p);
      const results = await Promise.all([...Array(12)].map((_, i) => (i % 2 ? a : b).verify({ ...p, code })));
      expect(results.filter((r) => r.ok)).to.have.length.at.most(1);
    }
  });

  it('a burst of parallel guesses cannot slip the right code past the attempt limit', async () => {
    for (let round = 0; round < 3; round++) {
      const p = params(3);
      const { code } = await a.issue(p);
      const bad = code === '000000' ? '000001' : '000000';
      const guesses = [...Array(29)].map(() => a.verify({ ...p, code: bad }));
      const results = await Promise.all([...guesses, a.verify({ ...p, code })]);
      expect(results.filter((r) => r.ok)).to.have.length(0);
    }
  });

  it('parallel wrong guesses are all counted, and then the right code fails', async () => {
    const p = params(5);
    const { code } = await a.issue(p);
    const bad = code === '000000' ? '000001' : '000000';
    const results = await Promise.all([...Array(20)].map((_, i) => (i % 2 ? a : b).verify({ ...p, code: bad })));
    expect(results.every((r) => !r.ok && (r.reason === 'invalid' || r.reason === 'too_many_attempts'))).to.equal(true);
    const row = await fx.db('one_time_codes').where({ flow_id: p.flowId }).first();
    expect(Number(row.attempts)).to.equal(20);
    expect(await b.verify({ ...p, code })).to.deep.equal({ ok: false, reason: 'too_many_attempts' });
  });

  it('a code replaced while being submitted is not consumed', async () => {
    const p = params();
    const first = await a.issue(p);
    const [, result] = await Promise.all([b.issue(p), a.verify({ ...p, code: first.code })]);
    const row = await fx.db('one_time_codes').where({ flow_id: p.flowId }).first();
    // Either the old code was consumed before the new one replaced it, or it failed; never both live.
    if (result.ok) expect(row.used_at).to.equal(null);
    else expect(result).to.deep.equal({ ok: false, reason: 'invalid' });
  });
});
