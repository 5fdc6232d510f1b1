// Admin API access: no token (401), a bad token (401), a token without the admin scopes (403), read-only tokens (read, not write).
import { expect } from 'chai';
import { ADMIN_CLIENT_ID, type ApiHarness, startApi, tokenFor } from './harness.ts';

describe('admin API: access', () => {
  let api: ApiHarness;
  let readOnly: string;
  let noScope: string;
  let readerId: string;

  before(async () => {
    api = await startApi();
    const reader = await api.call('POST', '/clients', {
      body: { client_name: 'Reporting', grant_types: ['client_credentials'], scope: 'admin:read' },
    });
    expect(reader.status).to.equal(201);
    readerId = reader.body.client_id;
    readOnly = await api.token('admin:read', { id: readerId, secret: reader.body.client_secret });
    const plain = await api.call('POST', '/clients', { body: { client_name: 'Unrelated machine', grant_types: ['client_credentials'] } });
    noScope = await api.token('', { id: plain.body.client_id, secret: plain.body.client_secret });
  });
  after(() => api.close());

  it('answers 401 with a JSON body and a Bearer challenge without a token', async () => {
    const r = await api.call('GET', '/users', { token: null });
    expect(r.status).to.equal(401);
    expect(r.body).to.include({ error: 'unauthorized' });
    expect(r.body.message).to.be.a('string').and.not.empty;
    expect(r.headers.get('www-authenticate')).to.equal('Bearer realm="codeword-admin"');
    expect(r.text).not.to.match(/at \w+ \(|node_modules/); // no stack trace
  });

  it('answers 401 invalid_token to a token it did not issue, and to other schemes', async () => {
    for (const headers of [{ authorization: 'Bearer not-a-real-token' }, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }]) {
      const r = await api.call('GET', '/users', { token: null, headers });
      expect(r.status).to.equal(401);
      expect(r.body.error).to.equal('invalid_token');
      expect(r.headers.get('www-authenticate')).to.match(/^Bearer realm="codeword-admin", error="invalid_token"/);
    }
  });

  it('answers 403 insufficient_scope to a client-credentials token without the admin scopes', async () => {
    const r = await api.call('GET', '/users', { token: noScope });
    expect(r.status).to.equal(403);
    expect(r.body).to.include({ error: 'insufficient_scope' });
    expect(r.headers.get('www-authenticate')).to.match(/error="insufficient_scope".*scope="admin:read"/);
  });

  it('lets an admin:read token read every resource and preview a template', async () => {
    for (const path of ['/clients', '/users', '/sms-accounts', '/templates', '/templates/builtins', '/connections/sms', '/factors/sms', '/policies', '/messages', '/audit-events']) {
      const r = await api.call('GET', path, { token: readOnly });
      expect(r.status, path).to.equal(200);
    }
    const preview = await api.call('POST', '/templates/preview', { token: readOnly, body: { purpose: 'login', body: 'Code {{ code }}' } });
    expect(preview.status).to.equal(200);
  });

  it('refuses every change to an admin:read token (403) and changes nothing', async () => {
    const writes: [string, string, unknown][] = [
      ['POST', '/users', { username: 'mallory' }],
      ['PATCH', '/connections/sms', { enabled: true }],
      ['POST', '/policies', { name: 'Sneaky' }],
      ['DELETE', `/clients/${readerId}`, undefined],
    ];
    for (const [method, path, body] of writes) {
      const r = await api.call(method, path, { token: readOnly, body });
      expect(r.status, `${method} ${path}`).to.equal(403);
      expect(r.body.error).to.equal('insufficient_scope');
      expect(r.headers.get('www-authenticate')).to.include('scope="admin"');
    }
    expect((await api.call('GET', '/users?q=mallory')).body.items).to.have.length(0);
    expect((await api.call('GET', '/connections/sms')).body.enabled).to.equal(false);
    expect((await api.call('GET', `/clients/${readerId}`)).status).to.equal(200);
  });

  it('stops accepting the tokens of a client once it is disabled', async () => {
    const c = await api.call('POST', '/clients', { body: { client_name: 'Soon disabled', grant_types: ['client_credentials'], scope: 'admin' } });
    const t = await api.token('admin', { id: c.body.client_id, secret: c.body.client_secret });
    expect((await api.call('GET', '/policies', { token: t })).status).to.equal(200);
    expect((await api.call('PATCH', `/clients/${c.body.client_id}`, { body: { disabled: true } })).status).to.equal(200);
    expect((await api.call('GET', '/policies', { token: t })).status).to.equal(401);
    expect((await tokenFor(api.server.url, c.body.client_id, c.body.client_secret, 'admin')).status).to.equal(401);
  });

  it('honours only the scopes the client still has: taking admin away takes effect at once', async () => {
    const c = await api.call('POST', '/clients', { body: { client_name: 'Demoted', grant_types: ['client_credentials'], scope: 'admin admin:read' } });
    const t = await api.token('admin admin:read', { id: c.body.client_id, secret: c.body.client_secret });
    expect((await api.call('POST', '/policies', { token: t, body: { name: 'Before demotion' } })).status).to.equal(201);
    await api.call('PATCH', `/clients/${c.body.client_id}`, { body: { scope: 'admin:read' } });
    expect((await api.call('POST', '/policies', { token: t, body: { name: 'After demotion' } })).status).to.equal(403);
    expect((await api.call('GET', '/policies', { token: t })).status).to.equal(200);
  });

  it('gives a client without a scope list no admin scope at the token endpoint, nor admin access', async () => {
    const c = await api.call('POST', '/clients', { body: { client_name: 'No scope list', grant_types: ['client_credentials'] } });
    // Clients default to the OpenID scopes only: the token endpoint refuses `admin` to them.
    const r = await tokenFor(api.server.url, c.body.client_id, c.body.client_secret, 'admin');
    expect(r.status).to.equal(400);
    expect(r.body.error).to.equal('invalid_scope');
    // And whatever token such a client holds, the API checks the client's own list.
    const plain = await tokenFor(api.server.url, c.body.client_id, c.body.client_secret);
    const refused = await api.call('GET', '/users', { token: plain.body.access_token });
    expect(refused.status).to.be.oneOf([401, 403]);
  });

  it('does not grant admin scopes to a client that was not given them', async () => {
    const r = await tokenFor(api.server.url, readerId, 'wrong-secret', 'admin');
    expect(r.status).to.equal(401);
    const c = await api.call('POST', '/clients', { body: { client_name: 'Reader only', grant_types: ['client_credentials'], scope: 'admin:read' } });
    const escalate = await tokenFor(api.server.url, c.body.client_id, c.body.client_secret, 'admin');
    expect(escalate.status).to.equal(400);
    expect(escalate.body.error).to.equal('invalid_scope');
  });

  it('answers JSON for unknown paths (404), wrong methods (405), non-JSON bodies (415) and broken JSON (400)', async () => {
    const missing = await api.call('GET', '/nothing-here');
    expect(missing.status).to.equal(404);
    expect(missing.body.error).to.equal('not_found');
    const wrong = await api.call('PUT', '/users');
    expect(wrong.status).to.equal(405);
    expect(wrong.headers.get('allow')).to.include('POST');
    const form = await api.call('POST', '/policies', { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).to.equal(415);
    expect(form.body.error).to.equal('unsupported_media_type');
    const broken = await api.call('POST', '/policies', { raw: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(broken.status).to.equal(400);
    expect(broken.body.error).to.equal('invalid_json');
  });

  it('serves the OpenAPI document without a token', async () => {
    const r = await fetch(`${api.server.url}/admin/api/openapi.json`);
    expect(r.status).to.equal(200);
    expect((await r.json()).openapi).to.equal('3.1.0');
  });

  it('records the machine client as the actor of its changes', async () => {
    const events = await api.call('GET', `/audit-events?action=client.create&actor=client:${ADMIN_CLIENT_ID}`);
    expect(events.body.items.length).to.be.greaterThan(0);
  });
});
