// An issuer written with a trailing slash (Auth0's way) is kept verbatim as `iss` and works everywhere: discovery,
// tokens, screens, the console's sign-in, cookies and redirects; every URL is joined without a double slash.
import { expect } from 'chai';
import { authorizationRequest, createUser, exchange, REDIRECT_URI, registerClient, submitLogin } from '../helpers/rp.ts';
import { signIn, startConsoleServer } from '../admin/console/harness.ts';
import type { TestServer } from '../helpers/server.ts';
import { UserAgent } from '../helpers/user-agent.ts';

describe('an ISSUER with a trailing slash', () => {
  let server: TestServer;
  before(async () => {
    server = await startConsoleServer({ issuerSlash: true });
    await createUser(server);
  });
  after(() => server.close());

  it('is the issuer of discovery, verbatim, and endpoint URLs have no double slash', async () => {
    const meta = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(meta.issuer).to.equal(`${server.url}/`);
    expect(meta.authorization_endpoint).to.equal(`${server.url}/auth`);
    expect(meta.token_endpoint).to.equal(`${server.url}/token`);
    for (const [k, v] of Object.entries(meta)) if (typeof v === 'string' && v.startsWith('http')) expect(v.slice('http://'.length), k).not.to.contain('//');
  });

  it('signs in through the screens and issues tokens whose iss is the issuer verbatim', async () => {
    const rp = await registerClient(server);
    const ua = new UserAgent();
    const req = await authorizationRequest(rp.config);
    const page = await ua.follow(req.url.href);
    expect(page.status).to.equal(200);
    const callback = await submitLogin(ua, page, 'alice', 'correct horse battery staple');
    expect(callback.url.startsWith(REDIRECT_URI), callback.html.slice(0, 300)).to.equal(true);
    const tokens = await exchange(rp.config, req, callback.url);
    expect(tokens.claims()!.iss).to.equal(`${server.url}/`);
  });

  it("signs admins in to the console (its redirect and cookies work) and registers the console's URLs without a double slash", async () => {
    const session = await signIn(server);
    expect((await session.get('/admin')).status).to.equal(200);
    const consoleClient = await server.container.clients.find('codeword-admin-console');
    expect(consoleClient?.metadata.redirect_uris).to.deep.equal([`${server.url}/admin/callback`]);
  });
});
