// A number that gets no SMS (unknown, sign-ups off) answers exactly like a known one at every step, and never verifies.
import { expect } from 'chai';
import { createCodeEngine } from '../../src/codes/engine.ts';
import type { IssueParams, VerifyResult } from '../../src/codes/types.ts';
import { type Clock, type CodesFixture, codesFixture, createClock, uniqueFlow, uniquePhone } from './fixture.ts';

describe('one-time codes: unknown numbers', () => {
  let fx: CodesFixture;
  let clock: Clock;

  before(async () => {
    fx = await codesFixture();
  });
  after(() => fx.close());
  beforeEach(() => {
    clock = createClock();
  });

  const params = (over: Partial<IssueParams> = {}): IssueParams => ({
    purpose: 'login',
    flowId: uniqueFlow(),
    phone: uniquePhone(),
    length: 6,
    lifetimeSeconds: 300,
    maxAttempts: 5,
    ...over,
  });

  it('a decoy gives the same answers as a real code to the same guesses, including delays', async () => {
    // Both draw 424242; the known number's code is only guessed after it ran out of attempts.
    const engine = createCodeEngine({ db: fx.db, box: fx.box, now: clock.now, random: () => 424242 });
    const known = params();
    const unknown = params();
    await engine.issue(known);
    await engine.issueDecoy(unknown);
    const guesses = ['111111', '222222', '333333', '444444', '555555', '666666', '777777', '424242'];
    const answers = async (p: IssueParams, code: string): Promise<VerifyResult> => engine.verify({ ...p, code, requester: 'ip:192.0.2.1' });
    const seen: string[] = [];
    for (const guess of [...guesses, ...guesses]) {
      const u = await answers(unknown, guess);
      expect(u).to.deep.equal(await answers(known, guess));
      seen.push(u.ok ? 'ok' : u.reason);
      const wait = await engine.waitSeconds(unknown.phone, 'ip:192.0.2.1');
      expect(wait).to.equal(await engine.waitSeconds(known.phone, 'ip:192.0.2.1'));
      if (guess === '666666') clock.advance(wait * 1000);
    }
    // Every kind of answer was compared: wrong code, exhausted code, and delays.
    expect(seen).to.include.members(['invalid', 'too_many_attempts', 'throttled']);
    expect(seen).not.to.include('ok');
  });

  it('a decoy never verifies, not even with the digits that were drawn for it', async () => {
    const engine = createCodeEngine({ db: fx.db, box: fx.box, now: clock.now, random: () => 123456 });
    const p = params();
    const { expiresAt } = await engine.issueDecoy(p);
    expect(expiresAt).to.equal(clock.now() + 300_000);
    expect(await engine.verify({ ...p, code: '123456' })).to.deep.equal({ ok: false, reason: 'invalid' });
  });

  it('expires like a real code', async () => {
    const engine = createCodeEngine({ db: fx.db, box: fx.box, now: clock.now });
    const known = params();
    const unknown = params();
    await engine.issue(known);
    await engine.issueDecoy(unknown);
    clock.advance(300_000);
    expect(await engine.verify({ ...unknown, code: '000000' })).to.deep.equal({ ok: false, reason: 'expired' });
    expect(await engine.verify({ ...known, code: '000000' })).to.deep.equal({ ok: false, reason: 'expired' });
  });

  it('stores a row of the same shape as a real code', async () => {
    const engine = createCodeEngine({ db: fx.db, box: fx.box, now: clock.now });
    const known = params();
    const unknown = params();
    await engine.issue(known);
    await engine.issueDecoy(unknown);
    const shape = async (p: IssueParams) => {
      const row = await fx.db('one_time_codes').where({ flow_id: p.flowId }).first();
      return { ...row, id: typeof row.id, flow_id: typeof row.flow_id, phone: typeof row.phone, code_hmac: String(row.code_hmac).length };
    };
    expect(await shape(unknown)).to.deep.equal(await shape(known));
  });

  it('without any code issued, a submission is answered "invalid" and counted for the number', async () => {
    const engine = createCodeEngine({ db: fx.db, box: fx.box, now: clock.now });
    const p = params();
    for (let i = 0; i < 6; i++) expect(await engine.verify({ ...p, code: '123456' })).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await engine.verify({ ...p, code: '123456' })).to.deep.equal({ ok: false, reason: 'throttled', retryAfterSeconds: 1 });
  });
});
