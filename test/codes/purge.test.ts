// Maintenance deletes only what can no longer matter: old expired codes (counters purge themselves: test/counters).
import { expect } from 'chai';
import { createCodeEngine } from '../../src/codes/engine.ts';
import { type CodesFixture, codesFixture, createClock, uniqueFlow, uniquePhone } from './fixture.ts';

describe('one-time codes: maintenance', () => {
  let fx: CodesFixture;

  before(async () => {
    fx = await codesFixture();
  });
  after(() => fx.close());

  it('keeps expired codes for an hour (a late submission still hears "expired"), then deletes them', async () => {
    const clock = createClock();
    const engine = createCodeEngine({ db: fx.db, box: fx.box, now: clock.now });
    const p = { purpose: 'login' as const, flowId: uniqueFlow(), phone: uniquePhone(), length: 6, lifetimeSeconds: 60, maxAttempts: 5 };
    await engine.issue(p);
    await engine.verify({ ...p, code: 'x' });
    clock.advance(60_000 + 30 * 60_000);
    await engine.purgeExpired();
    expect(await engine.verify({ ...p, code: 'x' })).to.deep.equal({ ok: false, reason: 'expired' });
    clock.advance(24 * 60 * 60_000 + 1);
    await engine.purgeExpired();
    expect(await fx.db('one_time_codes').where({ flow_id: p.flowId }).first()).to.equal(undefined);
  });
});
