// /clients: create (secret shown once), read, change, rotate the secret, delete; validation by our schema and by the provider.
import { expect } from 'chai';
import { CONSOLE_CLIENT_ID } from '../../../src/admin/constants.ts';
import { type ApiHarness, startApi, tokenFor } from './harness.ts';

describe('admin API: clients', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi();
  });
  after(() => api.close());

  const web = { client_name: 'Shop', redirect_uris: ['https://shop.example/callback'], post_logout_redirect_uris: ['https://shop.example/'] };

  it('creates a client, returns its secret once, and never again', async () => {
    const created = await api.call('POST', '/clients', { body: { ...web, client_id: 'shop-web' } });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ client_id: 'shop-web', client_name: 'Shop', token_endpoint_auth_method: 'client_secret_basic', first_party: false });
    expect(created.body.response_types).to.deep.equal(['code']);
    const secret = created.body.client_secret as string;
    expect(secret).to.have.length.greaterThan(30);
    for (const r of [await api.call('GET', '/clients/shop-web'), await api.call('GET', '/clients'), await api.call('PATCH', '/clients/shop-web', { body: { client_name: 'Shop 2' } })]) {
      expect(r.status).to.equal(200);
      expect(r.text).not.to.include(secret);
      expect(r.body).not.to.have.property('client_secret');
    }
    const events = await api.call('GET', '/audit-events?target=shop-web');
    expect(events.text).not.to.include(secret);
  });

  it('reads, lists and changes clients', async () => {
    const got = await api.call('GET', '/clients/shop-web');
    expect(got.body.client_name).to.equal('Shop 2');
    const patched = await api.call('PATCH', '/clients/shop-web', { body: { redirect_uris: ['https://shop.example/cb2'], first_party: true, scope: 'openid profile' } });
    expect(patched.status).to.equal(200);
    expect(patched.body).to.include({ first_party: true, scope: 'openid profile' });
    expect(patched.body.redirect_uris).to.deep.equal(['https://shop.example/cb2']);
    const list = await api.call('GET', '/clients?limit=200');
    expect(list.body.items.map((c: { client_id: string }) => c.client_id)).to.include('shop-web');
  });

  it('refuses invalid metadata with a 400 naming the field, and changes nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [{ client_name: '' }, /^client_name: /],
      [{ ...web, redirect_uris: ['not a url'] }, /^redirect_uris\.0: must be an absolute URL/],
      [{ ...web, grant_types: ['password'] }, /^grant_types\.0: must be one of/],
      [{ ...web, secret_sauce: true }, /^secret_sauce: is not a known field/],
      [{ ...web, client_id: 'x' }, /^client_id: must be 3 to 128/],
    ];
    for (const [body, message] of cases) {
      const r = await api.call('POST', '/clients', { body });
      expect(r.status, JSON.stringify(body)).to.equal(400);
      expect(r.body.error).to.equal('invalid_request');
      expect(r.body.message).to.match(message);
      expect(r.body.details.issues).to.be.an('array').that.is.not.empty;
    }
    // The provider's own rules: an authorization-code client needs a redirect URI.
    const noRedirect = await api.call('POST', '/clients', { body: { client_name: 'No redirect', client_id: 'no-redirect' } });
    expect(noRedirect.status).to.equal(400);
    expect(noRedirect.body.error).to.equal('invalid_client_metadata');
    expect(noRedirect.body.message).to.match(/redirect_uris/);
    expect((await api.call('GET', '/clients/no-redirect')).status).to.equal(404);
  });

  it('answers 409 to a client_id that exists, 404 to one that does not', async () => {
    expect((await api.call('POST', '/clients', { body: { ...web, client_id: 'shop-web' } })).status).to.equal(409);
    const missing = await api.call('GET', '/clients/nope');
    expect(missing.status).to.equal(404);
    expect(missing.body.error).to.equal('client_not_found');
  });

  it('rotates the secret: the new one works once shown, the old one stops', async () => {
    const c = await api.call('POST', '/clients', { body: { client_name: 'Batch job', grant_types: ['client_credentials'], scope: 'admin:read' } });
    const old = c.body.client_secret as string;
    expect((await tokenFor(api.server.url, c.body.client_id, old, 'admin:read')).status).to.equal(200);
    const rotated = await api.call('POST', `/clients/${c.body.client_id}/secret`);
    expect(rotated.status).to.equal(200);
    expect(rotated.body.client_secret).to.be.a('string').and.not.equal(old);
    expect((await tokenFor(api.server.url, c.body.client_id, old, 'admin:read')).status).to.equal(401);
    expect((await tokenFor(api.server.url, c.body.client_id, rotated.body.client_secret, 'admin:read')).status).to.equal(200);
    const events = await api.call('GET', `/audit-events?action=client.secret.rotate&target=${c.body.client_id}`);
    expect(events.body.items).to.have.length(1);
    expect(events.text).not.to.include(rotated.body.client_secret);
  });

  it('creates public clients without a secret and refuses to rotate one', async () => {
    const c = await api.call('POST', '/clients', { body: { ...web, client_name: 'SPA', token_endpoint_auth_method: 'none' } });
    expect(c.status).to.equal(201);
    expect(c.body.client_secret).to.equal(null);
    expect((await api.call('POST', `/clients/${c.body.client_id}/secret`)).status).to.equal(422);
  });

  it('deletes a client (audited) but not the console client', async () => {
    const c = await api.call('POST', '/clients', { body: { ...web, client_name: 'Temporary' } });
    const del = await api.call('DELETE', `/clients/${c.body.client_id}`);
    expect(del.status).to.equal(204);
    expect(del.text).to.equal('');
    expect((await api.call('GET', `/clients/${c.body.client_id}`)).status).to.equal(404);
    const events = await api.call('GET', `/audit-events?action=client.delete&target=${c.body.client_id}`);
    expect(events.body.items[0].details.before.client_name).to.equal('Temporary');
    await api.server.container.clients.upsert({ client_id: CONSOLE_CLIENT_ID, client_name: 'Console', redirect_uris: [`${api.server.url}/admin/callback`] }, { firstParty: true });
    const builtin = await api.call('DELETE', `/clients/${CONSOLE_CLIENT_ID}`);
    expect(builtin.status).to.equal(422);
    expect(builtin.body.error).to.equal('client_builtin');
  });
});
