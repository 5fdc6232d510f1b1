// The admin API of spend and pumping: settings (secret write-only), spend so far, lifting a stop, blocks and unblocking; bad input is a 4xx.
import { expect } from 'chai';
import { type ApiHarness, startApi } from '../admin/api/harness.ts';

describe('admin API: SMS spend and pumping', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi();
  });
  after(() => api.close());

  it('shows and changes the settings, never returning the alert secret', async () => {
    const got = await api.call('GET', '/sms/spend/settings');
    expect(got.status).to.equal(200);
    expect(got.body).to.include({ currency: 'USD', defaultPrice: 0.05, dailyBudget: 100, monthlyBudget: 2000, mfaReserve: 0.2, alertSecretSet: false });
    expect(got.body.conversion).to.deep.equal({ windowSeconds: 3600, minSendsPrefix: 20, minSendsIp: 20, minSendsCountry: 200, threshold: 0.2 });
    const changed = await api.call('PATCH', '/sms/spend/settings', { body: { dailyBudget: 5, prices: [{ country: 'gb', price: 0.04 }], alertSecret: 'a-long-enough-alert-secret' } });
    expect(changed.status).to.equal(200);
    expect(changed.body).to.include({ dailyBudget: 5, alertSecretSet: true });
    expect(changed.body.prices).to.deep.equal([{ country: 'GB', provider: null, price: 0.04 }]);
    expect(changed.text).to.not.contain('a-long-enough-alert-secret');
    const bad = await api.call('PATCH', '/sms/spend/settings', { body: { dailyBudget: 'lots' } });
    expect(bad.status).to.equal(422);
    expect(bad.body.details.issues[0].path).to.equal('dailyBudget');
  });

  it('reports spend so far, lifts a stop (audited) and refuses what cannot be lifted', async () => {
    const spend = api.server.container.spend;
    await spend.settings.update({ countryCaps: [{ country: 'GB', hourly: 1, daily: 10 }], mfaReserve: 0 });
    await spend.limits.reserve({ to: '+447700900123', provider: 'twilio', purpose: 'login', segments: 1 });
    const status = await api.call('GET', '/sms/spend?countries=fr');
    expect(status.status).to.equal(200);
    expect(status.body.lines.find((l: { kind: string; scope: string }) => l.kind === 'country_hourly' && l.scope === 'GB')).to.include({ used: 1, max: 1, state: 'stopped' });
    expect(status.body.lines.some((l: { scope: string }) => l.scope === 'FR')).to.equal(true);
    const lifted = await api.call('POST', '/sms/spend/lift', { body: { limit: 'country_hourly', scope: 'GB' } });
    expect(lifted.status).to.equal(204);
    const after = await api.call('GET', '/sms/spend');
    expect(after.body.lines.find((l: { kind: string; scope: string }) => l.kind === 'country_hourly' && l.scope === 'GB')).to.include({ used: 0, state: 'open' });
    const audit = await api.call('GET', '/audit-events?action=sms_spend.lifted');
    expect(audit.body.items[0].actor).to.match(/^client:/);
    expect((await api.call('POST', '/sms/spend/lift', { body: { limit: 'budget_daily', scope: 'GB' } })).status).to.equal(400);
    expect((await api.call('POST', '/sms/spend/lift', { body: { limit: 'nope', scope: 'all' } })).status).to.equal(400);
    expect((await api.call('GET', '/sms/spend?countries=1;drop')).status).to.equal(400);
    expect((await api.call('POST', '/sms/spend/lift', { body: { limit: 'budget_daily', scope: 'all' }, token: await api.token('admin:read') })).status).to.equal(403);
  });

  it('lists pumping blocks and unblocks one; an unknown id is a 404', async () => {
    const spend = api.server.container.spend;
    await spend.settings.update({ conversion: { windowSeconds: 3600, minSendsPrefix: 2, minSendsIp: 1000, minSendsCountry: 1000, threshold: 0.5 } });
    for (const n of ['+33612340001', '+33612340002']) await spend.conversion.recordSend(n, '198.51.100.1');
    await spend.conversion.check('+33612340003', '198.51.100.1').catch(() => undefined);
    const list = await api.call('GET', '/sms/pumping/blocks');
    expect(list.status).to.equal(200);
    const block = list.body.items[0];
    expect(block).to.include({ scope: 'prefix', key: '+3361234', sends: 2, verified: 0, unblockedAt: null });
    expect((await api.call('POST', `/sms/pumping/blocks/${block.id}/unblock`)).status).to.equal(204);
    expect((await api.call('GET', '/sms/pumping/blocks')).body.items[0].unblockedAt).to.be.a('number');
    expect((await api.call('POST', '/sms/pumping/blocks/999999/unblock')).status).to.equal(404);
    expect((await api.call('POST', '/sms/pumping/blocks/abc/unblock')).status).to.equal(400);
  });
});
