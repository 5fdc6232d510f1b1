// Console page "SMS spend": caps and budgets with Lift, the per-hour chart and table of one country, pumping blocks with Unblock.
import { expect } from 'chai';
import type { TestServer } from '../helpers/server.ts';
import { type ConsoleSession, signIn, startConsoleServer } from '../admin/console/harness.ts';

describe('admin console: SMS spend', () => {
  let server: TestServer;
  let admin: ConsoleSession;

  before(async () => {
    server = await startConsoleServer({ smsWorker: false });
    admin = await signIn(server);
  });
  after(() => server.close());

  it('shows a stopped cap and lifts it', async () => {
    const { spend } = server.container;
    await spend.settings.update({ countryCaps: [{ country: 'FR', hourly: 1, daily: 50 }], mfaReserve: 0 });
    await spend.limits.reserve({ to: '+33612345678', provider: 'twilio', purpose: 'login', segments: 1 });
    const page = await admin.get('/admin/spend');
    expect(page.status).to.equal(200);
    const row = page.html.match(/<tr data-limit="country_hourly" data-scope="FR">[\s\S]*?<\/tr>/)?.[0] ?? '';
    expect(row).to.contain('Stopped').and.to.contain('Lift');
    expect(page.html).to.contain('<svg class="chart"').and.to.contain('id="spend-hours"');
    const lifted = await admin.post('/admin/spend/lift', { limit: 'country_hourly', scope: 'FR' });
    expect(lifted.status).to.equal(303);
    const after = await admin.get('/admin/spend?lifted=1');
    expect(after.html.match(/<tr data-limit="country_hourly" data-scope="FR">[\s\S]*?<\/tr>/)?.[0]).to.contain('Open');
    expect((await admin.post('/admin/spend/lift', { limit: 'everything', scope: 'FR' })).status).to.equal(400);
  });

  it('lists a blocked prefix with an Unblock button that works', async () => {
    const { spend } = server.container;
    await spend.settings.update({ conversion: { windowSeconds: 3600, minSendsPrefix: 2, minSendsIp: 1000, minSendsCountry: 1000, threshold: 0.5 } });
    for (const n of ['+33698760001', '+33698760002']) await spend.conversion.recordSend(n, '198.51.100.9');
    await spend.conversion.check('+33698760003', '198.51.100.9').catch(() => undefined);
    const page = await admin.get('/admin/spend');
    const [block] = await spend.conversion.blocks();
    expect(page.html).to.contain(`<tr data-block="${block!.id}">`).and.to.contain('<code>+3369876</code>').and.to.contain('Unblock');
    expect((await admin.post(`/admin/spend/blocks/${block!.id}/unblock`, {})).status).to.equal(303);
    expect((await spend.conversion.blocks())[0]!.unblockedAt).to.be.a('number');
    expect((await admin.get('/admin/spend')).html).to.contain('Unblocked by user:');
  });
});
