// Spend caps and budgets at their edges (clock moved, never slept): per-country caps, daily and monthly money, the MFA reserve, stops and their lifting.
import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { isAppError } from '../../src/errors.ts';
import type { SpendRequest } from '../../src/sms/spend/index.ts';
import { type SpendFixture, spendFixture } from './fixture.ts';

const GB = '+447700900123';
const FR = '+33612345678';
const SECRET = 'alert-secret-0123456789abcdef';

/** The refusal's error code, or `sent`. */
async function attempt(f: SpendFixture, to: string, more: Partial<SpendRequest> = {}): Promise<string> {
  try {
    await f.spend.limits.reserve({ to, provider: 'twilio', purpose: 'signin', segments: 1, ...more });
    return 'sent';
  } catch (err) {
    if (isAppError(err)) return err.code;
    throw err;
  }
}

const untilNextUtcDay = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - t;
};

describe('SMS spend limits', () => {
  let f: SpendFixture;
  before(async () => {
    f = await spendFixture();
  });
  after(() => f.close());
  // Every test starts on a fresh day (and hour), so no window carries over.
  beforeEach(async () => {
    f.clock.advance(3 * 86_400_000);
    await f.spend.settings.update({ ...defaults(), alertUrl: f.alertUrl, alertSecret: SECRET });
    f.alerts.length = 0;
  });
  const defaults = () => ({ countryHourly: 1000, countryDaily: 10_000, countryCaps: [], prices: [], defaultPrice: 0.05, dailyBudget: 100, monthlyBudget: 100_000, mfaReserve: 0 });

  it('stops a country at its hourly cap, to the message, and opens again when the clock hour ends', async () => {
    await f.spend.settings.update({ countryCaps: [{ country: 'GB', hourly: 3, daily: 100 }] });
    for (let i = 0; i < 3; i++) expect(await attempt(f, GB)).to.equal('sent');
    expect(await attempt(f, GB)).to.equal('sms_sending_paused');
    expect(await attempt(f, FR), 'other countries go on').to.equal('sent');
    f.clock.advance(3600_000 - 1);
    expect(await attempt(f, GB), 'one millisecond before the hour ends').to.equal('sms_sending_paused');
    f.clock.advance(1);
    expect(await attempt(f, GB)).to.equal('sent');
  });

  it('stops a country at its daily cap until the UTC day ends', async () => {
    await f.spend.settings.update({ countryDaily: 2 });
    expect(await attempt(f, FR)).to.equal('sent');
    f.clock.advance(3600_000);
    expect(await attempt(f, FR)).to.equal('sent');
    f.clock.advance(3600_000);
    expect(await attempt(f, FR)).to.equal('sms_sending_paused');
    f.clock.advance(untilNextUtcDay(f.clock.now()) - 1);
    expect(await attempt(f, FR)).to.equal('sms_sending_paused');
    f.clock.advance(1);
    expect(await attempt(f, FR)).to.equal('sent');
  });

  it('counts money as price × segments against the daily budget, the provider’s own price first', async () => {
    await f.spend.settings.update({ dailyBudget: 1, prices: [{ country: 'GB', price: 0.1 }, { country: 'GB', provider: 'alibaba', price: 0.25 }] });
    expect(await attempt(f, GB, { segments: 3 })).to.equal('sent'); // 0.30
    expect(await attempt(f, GB, { provider: 'alibaba', segments: 2 })).to.equal('sent'); // 0.50 → 0.80
    expect(await attempt(f, GB, { segments: 3 }), '0.30 more would pass 1.00').to.equal('sms_sending_paused');
    expect(await attempt(f, FR, { segments: 4 }), 'the budget is global, FR at the default 0.05').to.equal('sent'); // 0.20 → 1.00
    expect(await attempt(f, FR), 'exactly at the budget').to.equal('sms_sending_paused');
    const budget = (await f.spend.limits.status()).lines.find((l) => l.kind === 'budget_daily')!;
    expect(budget).to.include({ scope: 'all', used: 1, max: 1, state: 'stopped' });
    f.clock.advance(untilNextUtcDay(f.clock.now()));
    expect(await attempt(f, GB, { segments: 3 })).to.equal('sent');
  });

  it('keeps the monthly budget per UTC calendar month', async () => {
    const g = await spendFixture(Date.UTC(2026, 10, 30, 23, 0, 0));
    try {
      await g.spend.settings.update({ defaultPrice: 1, monthlyBudget: 2, dailyBudget: 1000, mfaReserve: 0 });
      expect(await attempt(g, FR)).to.equal('sent');
      g.clock.advance(30 * 60_000);
      expect(await attempt(g, FR)).to.equal('sent');
      expect(await attempt(g, FR)).to.equal('sms_sending_paused');
      g.clock.advance(30 * 60_000 - 1); // 23:59:59.999 on 30 November
      expect(await attempt(g, FR)).to.equal('sms_sending_paused');
      g.clock.advance(1); // 1 December
      expect(await attempt(g, FR)).to.equal('sent');
    } finally {
      await g.close();
    }
  });

  it('keeps a share of every cap for MFA after a proven password', async () => {
    await f.spend.settings.update({ countryHourly: 10, mfaReserve: 0.2 });
    for (let i = 0; i < 8; i++) expect(await attempt(f, GB, { purpose: i % 2 ? 'signup' : 'signin' })).to.equal('sent');
    expect(await attempt(f, GB, { purpose: 'signin' })).to.equal('sms_sending_paused');
    expect(await attempt(f, GB, { purpose: 'reset' })).to.equal('sms_sending_paused');
    expect(await attempt(f, GB, { purpose: 'mfa' })).to.equal('sent');
    expect(await attempt(f, GB, { purpose: 'mfa' })).to.equal('sent');
    expect(await attempt(f, GB, { purpose: 'mfa' }), 'the reserve is spent too').to.equal('sms_sending_paused');
  });

  it('counts atomically across two instances: parallel sends never pass the cap', async () => {
    await f.spend.settings.update({ countryHourly: 7 });
    const other = f.other();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? other : f.spend).limits.reserve({ to: GB, provider: 'twilio', purpose: 'signin', segments: 1 }).then(
          () => 'sent',
          () => 'refused',
        ),
      ),
    );
    expect(results.filter((r) => r === 'sent')).to.have.length(7);
  });

  it('announces a stop once (audit, signed alert) and an admin lifts it', async () => {
    await f.spend.settings.update({ countryCaps: [{ country: 'GB', hourly: 1, daily: 100 }] });
    expect(await attempt(f, GB)).to.equal('sent');
    expect(await attempt(f, GB)).to.equal('sms_sending_paused');
    expect(await attempt(f, GB)).to.equal('sms_sending_paused');
    await f.spend.alerts.idle();
    expect(f.alerts).to.have.length(1);
    const { headers, body } = f.alerts[0]!;
    const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['x-codeword-signature']));
    expect(sig, 'signed').to.not.equal(null);
    expect(Number(sig![1])).to.equal(Math.floor(f.clock.now() / 1000));
    expect(sig![2]).to.equal(createHmac('sha256', SECRET).update(`${sig![1]}.${body}`).digest('hex'));
    expect(JSON.parse(body)).to.include({ event: 'sms.spend_stopped', limit: 'country_hourly', scope: 'GB', used: 1, max: 1 });
    const stops = await f.audit.list({ action: 'sms_spend.stopped', since: f.clock.now() - 1000 });
    expect(stops).to.have.length(1);

    const line = (await f.spend.limits.status()).lines.find((l) => l.kind === 'country_hourly' && l.scope === 'GB')!;
    expect(line).to.include({ used: 1, max: 1, state: 'stopped' });
    await f.spend.limits.lift('country_hourly', 'GB', 'user:admin');
    expect(await attempt(f, GB)).to.equal('sent');
    const lifted = await f.audit.list({ action: 'sms_spend.lifted', since: f.clock.now() - 1000 });
    expect(lifted[0]).to.include({ actor: 'user:admin' });
    expect(await attempt(f, GB)).to.equal('sms_sending_paused');
    await f.spend.alerts.idle();
    expect(f.alerts, 'a new stop after a lift is announced again').to.have.length(2);
  });

  it('never posts an alert to a host outside the provider-host list', async () => {
    await f.spend.settings.update({ alertUrl: 'http://localhost:9/alerts', countryCaps: [{ country: 'GB', hourly: 1, daily: 100 }] });
    expect(await attempt(f, GB)).to.equal('sent');
    expect(await attempt(f, GB)).to.equal('sms_sending_paused');
    await f.spend.alerts.idle();
    expect(f.alerts).to.have.length(0);
  });

  it('refuses bad settings with the field named', async () => {
    for (const bad of [{ dailyBudget: -1 }, { prices: [{ country: 'XX', price: 1 }] }, { mfaReserve: 2 }, { alertSecret: 'short' }]) {
      try {
        await f.spend.settings.update(bad);
        expect.fail(`accepted ${JSON.stringify(bad)}`);
      } catch (err) {
        expect(isAppError(err) && err.code).to.equal('validation_failed');
        expect(isAppError(err) && err.status).to.be.within(400, 499);
      }
    }
  });
});
