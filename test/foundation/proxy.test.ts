// Behind N reverse proxies the client address is the N-th X-Forwarded-For entry from the right; what a client writes
// further left never changes it, and without TRUST_PROXY_HOPS no X-Forwarded-* header counts at all.
import { request } from 'node:http';
import { expect } from 'chai';
import { authorizationRequest, registerClient } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';

// Two free failures per IP; the third sets a 60 s delay, so the fourth attempt from one address is refused.
const throttle = { freeAccountFailures: 100, freeIpFailures: 2, firstDelaySeconds: 60, maxDelaySeconds: 900, windowSeconds: 3600 };

/** Wrong passwords for different logins, each with its own X-Forwarded-For: the per-IP throttle shows which address counted. */
async function statuses(server: TestServer, forwardedFor: (i: number) => string, extra: Record<string, string> = {}): Promise<number[]> {
  const rp = await registerClient(server);
  const out: number[] = [];
  for (let i = 0; i < 4; i++) {
    const ua = new UserAgent();
    const page = await ua.follow((await authorizationRequest(rp.config)).url.href);
    const headers = { 'x-forwarded-for': forwardedFor(i), ...extra };
    const action = new URL(formAction(page.html)!, page.url).href;
    const res = await ua.request(action, { form: { csrf: inputValue(page.html, 'csrf')!, login: `nobody-${i}`, password: 'wrong password' }, headers });
    out.push(res.status);
  }
  return out;
}

/** A GET with exactly these headers (fetch would not let a test choose Host). */
function rawGet(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('reverse proxies (TRUST_PROXY_HOPS)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('with one proxy, a made-up leftmost X-Forwarded-For cannot change the client address', async () => {
    server = await startServer({ throttle, env: { TRUST_PROXY_HOPS: '1' } });
    // The proxy appended the real address 198.51.100.7; the client wrote a new address before it each time.
    const got = await statuses(server, (i) => `203.0.113.${i + 1}, 198.51.100.7`);
    expect(got).to.deep.equal([401, 401, 401, 429]);
  });

  it('with one proxy, different real addresses are counted apart', async () => {
    server = await startServer({ throttle, env: { TRUST_PROXY_HOPS: '1' } });
    const got = await statuses(server, (i) => `10.0.0.1, 198.51.100.${i + 1}`);
    expect(got).to.deep.equal([401, 401, 401, 401]);
  });

  it('with two proxies, the second entry from the right is the client', async () => {
    server = await startServer({ throttle, env: { TRUST_PROXY_HOPS: '2' } });
    const got = await statuses(server, (i) => `203.0.113.${i + 1}, 198.51.100.9, 10.0.0.${i + 1}`);
    expect(got).to.deep.equal([401, 401, 401, 429]);
  });

  it('without TRUST_PROXY_HOPS, X-Forwarded-For is ignored (the connection address counts)', async () => {
    server = await startServer({ throttle });
    const got = await statuses(server, (i) => `198.51.100.${i + 1}`);
    expect(got).to.deep.equal([401, 401, 401, 429]);
  });

  it('discovery follows ISSUER, never Host or X-Forwarded-Host', async () => {
    server = await startServer({ env: { TRUST_PROXY_HOPS: '1' } });
    const headers = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
    const meta = JSON.parse(await rawGet(`${server.url}/.well-known/openid-configuration`, headers)) as Record<string, string>;
    expect(meta.issuer).to.equal(server.url);
    expect(meta.authorization_endpoint).to.equal(`${server.url}/auth`);
    expect(meta.jwks_uri).to.equal(`${server.url}/jwks`);
    expect(JSON.stringify(meta)).not.to.contain('evil.example');
  });
});
