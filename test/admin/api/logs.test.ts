// /messages and /audit-events: filters (status, purpose, dates; action, target, actor), newest first, stable cursors.
import { expect } from 'chai';
import { type ApiHarness, startApi } from './harness.ts';

const DAY = 24 * 3600 * 1000;
const START = Date.parse('2026-03-01T09:00:00Z');

describe('admin API: message log and audit log', () => {
  let api: ApiHarness;
  let t = START;
  const ids: Record<string, string> = {};

  before(async () => {
    api = await startApi({ smsWorker: false, now: () => t });
    const { sender, worker } = api.server.container.sms;
    // Day 1: a login code (delivered by the development inbox); day 2: an MFA code and a test message left pending.
    ids.login = (await sender.enqueue({ purpose: 'login', to: '+61491570156', code: '123456' })).id;
    await worker.runOnce();
    t = START + DAY;
    ids.mfa = (await sender.enqueue({ purpose: 'mfa', to: '+61491570157', code: '654321' })).id;
    t += 1000;
    ids.test = (await sender.enqueue({ purpose: 'test', to: '+61491570158' })).id;
  });
  after(() => api.close());

  const list = async (query: string) => (await api.call('GET', `/messages${query}`)).body.items.map((m: { id: string }) => m.id);

  it('lists messages newest first, masked, never with their text', async () => {
    const r = await api.call('GET', '/messages');
    expect(r.body.items.map((m: { id: string }) => m.id)).to.deep.equal([ids.test, ids.mfa, ids.login]);
    expect(r.body.items[2]).to.include({ purpose: 'login', status: 'delivered', delivered: true, to: '+61•••••••56' });
    expect(r.text).not.to.match(/123456|654321|\+61491570156/);
  });

  it('filters by status, purpose and date', async () => {
    expect(await list('?status=pending')).to.deep.equal([ids.test, ids.mfa]);
    expect(await list('?status=delivered')).to.deep.equal([ids.login]);
    expect(await list('?purpose=mfa')).to.deep.equal([ids.mfa]);
    expect(await list('?since=2026-03-02')).to.deep.equal([ids.test, ids.mfa]);
    expect(await list('?until=2026-03-02T00:00:00Z')).to.deep.equal([ids.login]);
    expect(await list(`?since=${START + DAY}&until=${START + DAY + 1}`)).to.deep.equal([ids.mfa]);
    const bad = await api.call('GET', '/messages?status=lost');
    expect(bad.status).to.equal(400);
    expect(bad.body.message).to.match(/^status: must be one of/);
    expect((await api.call('GET', '/messages?since=yesterday')).status).to.equal(400);
  });

  it('finds the messages to one whole number (compared by its keyed hash) and by country', async () => {
    expect(await list('?to=%2B61491570157')).to.deep.equal([ids.mfa]);
    expect(await list('?to=%2B61%20491%20570%20156')).to.deep.equal([ids.login]);
    expect(await list('?to=%2B14155552671')).to.deep.equal([]);
    expect(await list('?country=au&purpose=login')).to.deep.equal([ids.login]);
    expect(await list('?country=FR')).to.deep.equal([]);
    const bad = await api.call('GET', '/messages?to=0491570156');
    expect(bad.status).to.equal(400);
    expect(bad.body.details.issues[0]).to.include({ path: 'to' });
    expect((await api.call('GET', '/messages?country=XX')).status).to.equal(400);
  });

  it('pages with a cursor that later messages do not shift', async () => {
    const first = await api.call('GET', '/messages?limit=2');
    expect(first.body.items.map((m: { id: string }) => m.id)).to.deep.equal([ids.test, ids.mfa]);
    t += 1000;
    await api.server.container.sms.sender.enqueue({ purpose: 'login', to: '+61491570159', code: '111111' });
    const second = await api.call('GET', `/messages?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((m: { id: string }) => m.id)).to.deep.equal([ids.login]);
    expect(second.body.nextCursor).to.equal(null);
  });

  it('reads one message with its timeline and template, never its text; 404 for an unknown id', async () => {
    expect((await api.call('GET', `/messages/${ids.mfa}`)).body).to.include({ id: ids.mfa, purpose: 'mfa', status: 'pending', reasonText: null });
    const login = await api.call('GET', `/messages/${ids.login}`);
    expect(login.body.template).to.deep.equal({ purpose: 'login', language: 'en' });
    expect(login.body.timeline.map((e: { status: string }) => e.status)).to.deep.equal(['queued', 'accepted', 'delivered']);
    expect(login.text).not.to.match(/123456|\+61491570156/);
    // Its estimated price: the spend settings' price for its country and provider, times its segments.
    expect(login.body.price).to.deep.equal({ amount: 0.05 * login.body.segments, currency: 'USD', perSegment: 0.05, segments: login.body.segments, country: 'AU', estimated: true });
    await api.server.container.spend.settings.update({ currency: 'EUR', prices: [{ country: 'AU', provider: login.body.provider, price: 0.0731 }] });
    expect((await api.call('GET', `/messages/${ids.login}`)).body.price).to.include({ currency: 'EUR', perSegment: 0.0731, country: 'AU' });
    expect((await api.call('GET', '/messages/00000000-0000-7000-8000-000000000000')).status).to.equal(404);
  });

  it('filters by app (client id) and shows every attempt, with the HTTP status, the provider code and what our reason means', async () => {
    const { sender, worker } = api.server.container.sms;
    const shop = (await sender.enqueue({ purpose: 'login', to: '+61491570159', code: '246810', clientId: 'shop' })).id;
    await worker.runOnce();
    expect(await list('?clientId=shop')).to.deep.equal([shop]);
    expect(await list('?clientId=blog')).to.deep.equal([]);
    const all = await list('');
    expect(all).to.include(shop).and.include(ids.login);
    const detail = (await api.call('GET', `/messages/${shop}`)).body;
    expect(detail.clientId).to.equal('shop');
    expect(detail.attemptLog).to.have.length(1);
    expect(detail.attemptLog[0]).to.include({ attempt: 1, provider: 'dev', outcome: 'accepted', httpStatus: null, errorCode: null, reason: null });
    // The development inbox takes the message at once: no delivery report is received for it.
    expect(detail.callbacks).to.deep.equal([]);
    expect((await api.call('GET', '/messages?clientId=')).status).to.equal(400);
  });

  it('lists audit events with filters and a cursor', async () => {
    for (const name of ['A', 'B', 'C']) {
      t += 1000;
      await api.call('POST', '/policies', { body: { name } });
    }
    const all = await api.call('GET', '/audit-events?action=policy.create');
    expect(all.body.items.map((e: { details: { after: { name: string } } }) => e.details.after.name)).to.deep.equal(['C', 'B', 'A']);
    expect(all.body.items[0]).to.include({ actor: 'client:admin-api-test', action: 'policy.create' });
    const page1 = await api.call('GET', '/audit-events?action=policy.create&limit=2');
    const page2 = await api.call('GET', `/audit-events?action=policy.create&limit=2&cursor=${page1.body.nextCursor}`);
    expect([...page1.body.items, ...page2.body.items].map((e: { id: string }) => e.id)).to.deep.equal(all.body.items.map((e: { id: string }) => e.id));
    expect(page2.body.nextCursor).to.equal(null);
    const since = await api.call('GET', `/audit-events?since=${t}`);
    expect(since.body.items).to.have.length(1);
    expect((await api.call('GET', '/audit-events?actor=user:nobody')).body.items).to.have.length(0);
  });
});
