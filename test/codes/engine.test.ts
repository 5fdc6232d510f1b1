// The one-time-code engine's security properties: single use, expiry, attempt limit, newest only, binding, no plaintext.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { type CodeEngine, createCodeEngine } from '../../src/codes/engine.ts';
import type { IssueParams } from '../../src/codes/types.ts';
import { createSecretBox } from '../../src/security/secrets.ts';
import { type Clock, type CodesFixture, codesFixture, createClock, uniqueFlow, uniquePhone } from './fixture.ts';

describe('one-time codes: engine', () => {
  let fx: CodesFixture;
  let clock: Clock;
  let engine: CodeEngine;
  // Never throttled here: the per-number delays have their own suite.
  const noDelays = { freeFailures: 1_000_000, maxDelaySeconds: 1, windowSeconds: 1 };

  before(async () => {
    fx = await codesFixture();
  });
  after(() => fx.close());
  beforeEach(() => {
    clock = createClock();
    engine = createCodeEngine({ db: fx.db, box: fx.box, now: clock.now, failures: noDelays });
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
  const wrong = (code: string) => code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
  const row = (flowId: string, purpose = 'login') => fx.db('one_time_codes').where({ flow_id: flowId, purpose }).first();

  it('issues codes of the configured length (4 to 10 digits) and refuses other lengths', async () => {
    for (const length of [4, 6, 8, 10]) {
      const { code } = await engine.issue(params({ length }));
      expect(code).to.match(new RegExp(`^\\d{${length}}$`));
    }
    for (const length of [3, 11]) {
      const err = await engine.issue(params({ length })).catch((e: unknown) => e);
      expect(err).to.have.property('code', 'code_request_invalid');
    }
  });

  it('refuses an unknown purpose or an empty flow id', async () => {
    for (const bad of [{ purpose: 'other' }, { flowId: '' }, { lifetimeSeconds: 0 }, { maxAttempts: 0 }]) {
      const err = await engine.issue({ ...params(), ...bad } as IssueParams).catch((e: unknown) => e);
      expect(err, JSON.stringify(bad)).to.have.property('code', 'code_request_invalid');
    }
  });

  it('keeps leading zeros, and the code without them does not verify', async () => {
    const zeros = createCodeEngine({ db: fx.db, box: fx.box, now: clock.now, failures: noDelays, random: () => 42 });
    const a = params();
    expect((await zeros.issue(a)).code).to.equal('000042');
    expect(await zeros.verify({ ...a, code: '42' })).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await zeros.verify({ ...a, code: '000042' })).to.deep.equal({ ok: true });
  });

  it('verifies the right code once: a second submission fails', async () => {
    const p = params();
    const { code } = await engine.issue(p);
    expect(await engine.verify({ ...p, code })).to.deep.equal({ ok: true });
    expect(await engine.verify({ ...p, code })).to.deep.equal({ ok: false, reason: 'used' });
  });

  it('accepts the code typed with spaces or a dash', async () => {
    const p = params();
    const { code } = await engine.issue(p);
    expect(await engine.verify({ ...p, code: ` ${code.slice(0, 3)} ${code.slice(3)} ` })).to.deep.equal({ ok: true });
  });

  it('expires after the lifetime (clock moved, no sleeping)', async () => {
    const early = params();
    const late = params();
    const a = await engine.issue(early);
    const b = await engine.issue(late);
    expect(a.expiresAt).to.equal(clock.now() + 300_000);
    clock.advance(299_999);
    expect(await engine.verify({ ...early, code: a.code })).to.deep.equal({ ok: true });
    clock.advance(1);
    expect(await engine.verify({ ...late, code: b.code })).to.deep.equal({ ok: false, reason: 'expired' });
  });

  it('after the allowed wrong attempts even the right code fails', async () => {
    const p = params({ maxAttempts: 5 });
    const { code } = await engine.issue(p);
    for (let i = 0; i < 5; i++) expect(await engine.verify({ ...p, code: wrong(code) })).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await engine.verify({ ...p, code })).to.deep.equal({ ok: false, reason: 'too_many_attempts' });
    expect(Number((await row(p.flowId)).used_at ?? 0)).to.equal(0);
  });

  it('accepts the right code on the last allowed attempt', async () => {
    const p = params({ maxAttempts: 3 });
    const { code } = await engine.issue(p);
    for (let i = 0; i < 2; i++) await engine.verify({ ...p, code: wrong(code) });
    expect(await engine.verify({ ...p, code })).to.deep.equal({ ok: true });
  });

  it('counts every submission in the database before comparing', async () => {
    const p = params();
    const { code } = await engine.issue(p);
    await engine.verify({ ...p, code: wrong(code) });
    await engine.verify({ ...p, code: 'not digits' });
    await engine.verify({ ...p, code });
    expect(Number((await row(p.flowId)).attempts)).to.equal(3);
  });

  it('only the newest code of a flow verifies', async () => {
    let n = 111111;
    const seq = createCodeEngine({ db: fx.db, box: fx.box, now: clock.now, failures: noDelays, random: () => n++ });
    const p = params();
    const first = await seq.issue(p);
    const second = await seq.issue(p);
    expect(first.code).not.to.equal(second.code);
    expect(await seq.verify({ ...p, code: first.code })).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await seq.verify({ ...p, code: second.code })).to.deep.equal({ ok: true });
  });

  it('a new code starts with fresh per-code attempts and replaces an exhausted one', async () => {
    const p = params({ maxAttempts: 1 });
    const a = await engine.issue(p);
    await engine.verify({ ...p, code: wrong(a.code) });
    expect(await engine.verify({ ...p, code: a.code })).to.deep.equal({ ok: false, reason: 'too_many_attempts' });
    const b = await engine.issue(p);
    expect(await engine.verify({ ...p, code: b.code })).to.deep.equal({ ok: true });
  });

  it('a code issued for one purpose never verifies for another', async () => {
    const p = params({ purpose: 'login' });
    const { code } = await engine.issue(p);
    for (const purpose of ['signup', 'reset_password', 'mfa'] as const) {
      expect(await engine.verify({ ...p, purpose, code })).to.deep.equal({ ok: false, reason: 'invalid' });
    }
    const mfa = await engine.issue({ ...p, purpose: 'mfa' });
    if (mfa.code !== code) expect(await engine.verify({ ...p, purpose: 'mfa', code })).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await engine.verify({ ...p, code })).to.deep.equal({ ok: true });
    expect(await engine.verify({ ...p, purpose: 'mfa', code: mfa.code })).to.deep.equal({ ok: true });
  });

  it('a code issued for one flow never verifies in another, even with a code of its own', async () => {
    let n = 500000;
    const seq = createCodeEngine({ db: fx.db, box: fx.box, now: clock.now, failures: noDelays, random: () => n++ });
    const phone = uniquePhone();
    const one = params({ phone });
    const two = params({ phone });
    const a = await seq.issue(one);
    await seq.issue(two);
    expect(await seq.verify({ ...two, code: a.code })).to.deep.equal({ ok: false, reason: 'invalid' });
  });

  it('a code is bound to its phone number', async () => {
    const p = params();
    const { code } = await engine.issue(p);
    expect(await engine.verify({ ...p, phone: uniquePhone(), code })).to.deep.equal({ ok: false, reason: 'invalid' });
  });

  it('the stored HMAC itself binds purpose, flow and phone: a row moved in storage does not verify', async () => {
    for (const change of [{ purpose: 'mfa' }, { flow_id: uniqueFlow() }, { phone: uniquePhone() }]) {
      const p = params();
      const { code } = await engine.issue(p);
      await fx.db('one_time_codes').where({ flow_id: p.flowId, purpose: p.purpose }).update(change);
      const moved = {
        ...p,
        purpose: (change.purpose ?? p.purpose) as IssueParams['purpose'],
        flowId: change.flow_id ?? p.flowId,
        phone: change.phone ?? p.phone,
      };
      expect(await engine.verify({ ...moved, code }), JSON.stringify(Object.keys(change))).to.deep.equal({ ok: false, reason: 'invalid' });
    }
  });

  it('is keyed by the server secret: another SECRET_KEY cannot verify the code', async () => {
    const p = params();
    const { code } = await engine.issue(p);
    const other = createCodeEngine({ db: fx.db, box: createSecretBox('another-secret-key-that-is-long-enough-9876'), now: clock.now, failures: noDelays });
    expect(await other.verify({ ...p, code })).to.deep.equal({ ok: false, reason: 'invalid' });
  });

  it('never stores the plaintext code, nor a bare hash of it', async () => {
    const p = params({ length: 10 });
    const { code } = await engine.issue(p);
    await engine.verify({ ...p, code: wrong(code) });
    const tables = ['one_time_codes', 'counters'];
    const dump = JSON.stringify(await Promise.all(tables.map((t) => fx.db(t).select())));
    const sha = createHash('sha256').update(code);
    const digests = [sha.copy().digest('hex'), sha.copy().digest('base64'), sha.digest('base64url')];
    for (const secret of [code, ...digests]) expect(dump).not.to.contain(secret);
    expect((await row(p.flowId)).code_hmac).to.have.length(43);
  });

  it('rejects a submission when no code was issued, counting it like a wrong code', async () => {
    const p = params();
    expect(await engine.verify({ ...p, code: '123456' })).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(await row(p.flowId)).to.equal(undefined);
  });
});
