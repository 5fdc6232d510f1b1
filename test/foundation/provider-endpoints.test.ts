// The provider's endpoints, which the app hands over before its own middlewares: the same security headers as every
// page, the latency histogram, and client secrets checked against the stored client (a rotation is seen at once here,
// and by another instance within SETTINGS_CHECK_MS).
import { expect } from 'chai';
import { clientActor } from '../../src/admin/services/actor.ts';
import { clientCreateInput } from '../../src/admin/services/schemas/clients.ts';
import { SETTINGS_CHECK_MS } from '../../src/db/recent.ts';
import { parsePromText, total } from '../metrics/prom-text.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const TOKEN = 'metrics-token-0123456789abcdef';
/** Headers every response carries, with the values a page gets. */
const SECURITY = ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy'];

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function clientCredentials(url: string, id: string, secret: string) {
  return fetch(`${url}/token`, {
    method: 'POST',
    headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=admin%3Aread',
  });
}

async function machineClient(server: TestServer, name: string) {
  const input = clientCreateInput.parse({ client_name: name, grant_types: ['client_credentials'], scope: 'admin:read' });
  const c = await server.container.admin.clients.create(clientActor('test'), input);
  return { id: c.client_id, secret: c.client_secret! };
}

describe('the provider’s endpoints', () => {
  let a: TestServer;
  let b: TestServer;

  before(async () => {
    a = await startServer({ env: { METRICS_TOKEN: TOKEN } });
    b = await startServer({ database: a.database, env: { ISSUER: a.url } });
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  it('answer with the security headers of every page: tokens, protocol errors, discovery, JWKS, Auth0’s names, a bad JSON body, a 404', async () => {
    const page = await fetch(`${a.url}/healthz`);
    const expected = Object.fromEntries(SECURITY.map((h) => [h, page.headers.get(h)]));
    expect(expected['content-security-policy']).to.contain("frame-ancestors 'none'");
    expect(expected['x-frame-options']).to.equal('SAMEORIGIN');
    const client = await machineClient(a, 'Headers');
    const answers = [
      await clientCredentials(a.url, client.id, client.secret),
      await clientCredentials(a.url, client.id, 'wrong'),
      await fetch(`${a.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=nonsense' }),
      await fetch(`${a.url}/.well-known/openid-configuration`),
      await fetch(`${a.url}/jwks`),
      await fetch(`${a.url}/.well-known/jwks.json`),
      await fetch(`${a.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1]' }),
      await fetch(`${a.url}/nothing-here`),
    ];
    expect(answers.map((r) => r.status)).to.deep.equal([200, 401, 400, 200, 200, 200, 400, 404]);
    for (const res of answers) {
      expect(Object.fromEntries(SECURITY.map((h) => [h, res.headers.get(h)])), res.url).to.deep.equal(expected);
      expect(res.headers.get('x-powered-by')).to.equal(null);
    }
  });

  it('send HSTS on an https issuer, as every page does', async () => {
    const tls = await startServer({ database: a.database, env: { ISSUER: 'https://login.example.test' } });
    try {
      const client = await machineClient(tls, 'HSTS');
      for (const res of [await clientCredentials(tls.url, client.id, client.secret), await fetch(`${tls.url}/healthz`)]) {
        expect(res.headers.get('strict-transport-security'), res.url).to.equal('max-age=31536000; includeSubDomains');
      }
    } finally {
      await tls.close();
    }
  });

  it('are timed in the latency histogram under the route "oidc"', async () => {
    const scrape = async () => parsePromText(await (await fetch(`${a.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text()).samples;
    const client = await machineClient(a, 'Timed');
    const labels = { route: 'oidc', method: 'POST', status: '200' };
    const before = total(await scrape(), 'codeword_http_request_duration_seconds_count', labels);
    for (let i = 0; i < 3; i++) expect((await clientCredentials(a.url, client.id, client.secret)).status).to.equal(200);
    expect(total(await scrape(), 'codeword_http_request_duration_seconds_count', labels) - before).to.equal(3);
    const refused = { route: 'oidc', method: 'POST', status: '401' };
    const beforeRefused = total(await scrape(), 'codeword_http_request_duration_seconds_count', refused);
    await clientCredentials(a.url, client.id, 'wrong');
    expect(total(await scrape(), 'codeword_http_request_duration_seconds_count', refused) - beforeRefused).to.equal(1);
  });

  it('refuse a rotated-away client secret at once on the instance that rotated it, and on another within SETTINGS_CHECK_MS', async () => {
    const client = await machineClient(a, 'Rotated');
    // Both instances have checked (and cached) the client with its first secret.
    for (const s of [a, b]) expect((await clientCredentials(s.url, client.id, client.secret)).status, s.url).to.equal(200);
    const rotated = await a.container.admin.clients.rotateSecret(clientActor('test'), client.id);
    const rotatedAt = Date.now();
    expect((await clientCredentials(a.url, client.id, client.secret)).status, 'the old secret on A').to.equal(401);
    expect((await clientCredentials(a.url, client.id, rotated.client_secret!)).status, 'the new secret on A').to.equal(200);
    // B reads the settings stamp at most every SETTINGS_CHECK_MS (a wall clock): ask until it refuses, within that bound.
    let status = 0;
    while (Date.now() - rotatedAt < SETTINGS_CHECK_MS * 4) {
      status = (await clientCredentials(b.url, client.id, client.secret)).status;
      if (status === 401) break;
    }
    expect(status, 'the old secret on B').to.equal(401);
    expect(Date.now() - rotatedAt, 'refused within the bound (and the time of a request)').to.be.below(SETTINGS_CHECK_MS + 200);
    expect((await clientCredentials(b.url, client.id, rotated.client_secret!)).status, 'the new secret on B').to.equal(200);
  });
});
