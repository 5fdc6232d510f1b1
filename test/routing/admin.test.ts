// SMS routing in the admin API (OpenAPI, audit, clear errors) and the console page (add, move, delete, errors beside fields).
import { expect } from 'chai';
import { type ConsoleSession, signIn, startConsoleServer } from '../admin/console/harness.ts';
import { type ApiHarness, startApi } from '../admin/api/harness.ts';
import type { TestServer } from '../helpers/server.ts';

describe('admin API: SMS routing rules', () => {
  let api: ApiHarness;
  let a: string;
  let b: string;
  before(async () => {
    api = await startApi();
    const sms = api.server.container.sms;
    a = (await sms.accounts.create({ name: 'Mainland', provider: 'dev', settings: {} })).id;
    b = (await sms.accounts.create({ name: 'Backup', provider: 'dev', settings: {}, isDefault: true })).id;
  });
  after(() => api.close());

  it('creates, lists (with the implicit rules after them), moves and deletes rules, audited', async () => {
    const created = await api.call('POST', '/sms-routes', { body: { country: 'cn', accountId: a, fallbackAccountId: b, note: 'China' } });
    expect(created.status, created.text).to.equal(201);
    expect(created.body).to.include({ position: 1, country: 'CN', prefix: null, accountId: a, fallbackAccountId: b });
    const first = await api.call('POST', '/sms-routes', { body: { prefix: '+61', accountId: b, position: 1 } });
    expect(first.body.position).to.equal(1);
    const list = await api.call('GET', '/sms-routes');
    expect(list.status).to.equal(200);
    expect(list.body.items.map((r: { prefix: string | null; country: string | null }) => r.prefix ?? r.country)).to.deep.equal(['+61', 'CN']);
    expect(list.body.implicit.map((r: { source: string }) => r.source)).to.deep.equal(['sms_connection', 'sms_factor', 'default']);
    expect(list.body.implicit[2]).to.include({ accountId: b, accountName: 'Backup' });
    const moved = await api.call('PATCH', `/sms-routes/${first.body.id}`, { body: { position: 2 } });
    expect(moved.status).to.equal(200);
    expect(moved.body.position).to.equal(2);
    expect((await api.call('DELETE', `/sms-routes/${first.body.id}`)).status).to.equal(204);
    expect((await api.call('GET', '/sms-routes')).body.items).to.have.length(1);
    const audit = await api.call('GET', '/audit-events?action=sms_route.');
    expect(audit.body.items.map((e: { action: string }) => e.action)).to.include.members(['sms_route.create', 'sms_route.update', 'sms_route.delete']);
    const doc = (await (await fetch(`${api.server.url}/admin/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).to.include.members(['/sms-routes', '/sms-routes/{id}']);
  });

  it('answers bad rules with a 4xx naming the field, and changes nothing', async () => {
    const before = (await api.call('GET', '/sms-routes')).body.items.length;
    const unknownAccount = await api.call('POST', '/sms-routes', { body: { accountId: 'nope' } });
    expect(unknownAccount.status).to.equal(400);
    expect(unknownAccount.body.error).to.equal('sms_route_invalid');
    expect(JSON.stringify(unknownAccount.body)).to.contain('accountId');
    const badPrefix = await api.call('POST', '/sms-routes', { body: { accountId: a, prefix: '0086' } });
    expect([400, 422]).to.include(badPrefix.status);
    expect(JSON.stringify(badPrefix.body)).to.contain('prefix');
    const sameFallback = await api.call('POST', '/sms-routes', { body: { accountId: a, fallbackAccountId: a } });
    expect(sameFallback.status).to.equal(400);
    expect((await api.call('PATCH', '/sms-routes/nope', { body: {} })).status).to.equal(404);
    expect((await api.call('GET', '/sms-routes')).body.items).to.have.length(before);
  });
});

describe('admin console: SMS routing', () => {
  let server: TestServer;
  let admin: ConsoleSession;
  let a: string;
  let b: string;
  before(async () => {
    server = await startConsoleServer({ smsWorker: false });
    admin = await signIn(server);
    const sms = server.container.sms;
    a = (await sms.accounts.create({ name: 'Mainland', provider: 'dev', settings: {} })).id;
    b = (await sms.accounts.create({ name: 'Backup', provider: 'dev', settings: {} })).id;
  });
  after(() => server.close());

  it('adds a rule, shows it with its fallback, moves and deletes it; a bad field is explained beside it and kept', async () => {
    const bad = await admin.post('/admin/sms-routes', { country: 'ZZ', accountId: a, note: 'typed note' });
    expect(bad.status).to.equal(400);
    expect(bad.html).to.contain('id="error-country"').and.to.contain('ISO 3166').and.to.contain('value="typed note"');
    expect(await server.container.sms.routing.list()).to.have.length(0);
    expect((await admin.post('/admin/sms-routes', { country: 'CN', accountId: a, fallbackAccountId: b })).status).to.equal(303);
    expect((await admin.post('/admin/sms-routes', { prefix: '+61', accountId: b })).status).to.equal(303);
    const page = await admin.get('/admin/sms-routes?saved=1');
    expect(page.status).to.equal(200);
    const rows = page.html.match(/<tbody>[\s\S]*?<\/tbody>/)![0];
    expect(rows.indexOf('CN')).to.be.lessThan(rows.indexOf('+61'));
    expect(rows).to.contain('Mainland').and.to.contain('Backup').and.to.contain('Otherwise: the default account');
    const [, second] = await server.container.sms.routing.list();
    expect((await admin.post(`/admin/sms-routes/${second!.id}/move`, { position: '1' })).status).to.equal(303);
    expect((await server.container.sms.routing.list())[0]!.prefix).to.equal('+61');
    expect((await admin.post(`/admin/sms-routes/${second!.id}/delete`, {})).status).to.equal(303);
    expect((await server.container.sms.routing.list()).map((r) => r.country)).to.deep.equal(['CN']);
  });
});
