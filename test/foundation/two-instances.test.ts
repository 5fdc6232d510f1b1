// Two instances on different ports share one database: a sign-in begun on one completes on the other.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { authorizationRequest, createUser, exchange, REDIRECT_URI, registerClient } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';
import { usingMysql } from '../helpers/db.ts';
import { SETTINGS_CHECK_MS } from '../../src/db/recent.ts';

describe(`two instances sharing one ${usingMysql ? 'MariaDB' : 'SQLite'} database`, () => {
  let a: TestServer;
  let b: TestServer;

  before(async () => {
    a = await startServer();
    // Both serve the same public issuer, as they would behind a load balancer.
    b = await startServer({ database: a.database, env: { ISSUER: a.url } });
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  it('shares signing keys and cookie keys', async () => {
    const jwksA = await (await fetch(`${a.url}/jwks`)).json();
    const jwksB = await (await fetch(`${b.url}/jwks`)).json();
    expect(jwksB).to.deep.equal(jwksA);
    expect((jwksA as { keys: Array<{ kty: string }> }).keys.map((k) => k.kty).sort()).to.deep.equal(['EC', 'RSA']);
  });

  it('completes on B a sign-in begun on A, and B issues tokens A validates', async () => {
    const rp = await registerClient(a);
    await createUser(a, 'gina', 'gina has a long password');
    const onB = (u: string) => u.replace(a.url, b.url);
    const ua = new UserAgent();
    const req = await authorizationRequest(rp.config);
    const page = await ua.follow(req.url.href); // on A
    expect(page.html).to.contain('Username or email');
    const action = new URL(formAction(page.html)!, page.url).href;
    const afterLogin = await ua.request(onB(action), { form: { csrf: inputValue(page.html, 'csrf')!, login: 'gina', password: 'gina has a long password' } });
    expect(afterLogin.status).to.equal(303);
    // The redirect to the authorization endpoint (issuer A) is followed on B.
    const callback = await ua.follow(onB(new URL(afterLogin.headers.get('location')!, a.url).href), {}, REDIRECT_URI);
    expect(callback.url.startsWith(REDIRECT_URI), callback.html.slice(0, 300)).to.equal(true);

    // Exchange the code at B's token endpoint; the ID token is validated with the shared keys.
    rp.config[oidc.customFetch] = (url, options) => fetch(onB(url), options as RequestInit);
    const tokens = await exchange(rp.config, req, callback.url);
    expect(tokens.claims()!.amr).to.deep.equal(['pwd']);
    rp.config[oidc.customFetch] = (url, options) => fetch(url, options as RequestInit);
    const info = await oidc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub);
    expect(info.preferred_username).to.equal('gina');
  });

  it('an app disabled on A is refused by B within SETTINGS_CHECK_MS, and served again once re-enabled', async () => {
    const rp = await registerClient(a, { clientId: 'toggled-rp' });
    const opens = async () => {
      const req = await authorizationRequest(rp.config);
      const res = await fetch(req.url.href.replace(a.url, b.url), { redirect: 'manual' });
      return res.status === 303 || res.status === 302;
    };
    expect(await opens(), 'B knows the app (and has it cached)').to.equal(true);
    await a.container.clients.setDisabled(rp.meta.client_id, true);
    await new Promise((r) => setTimeout(r, SETTINGS_CHECK_MS + 50));
    expect(await opens(), 'B refuses the disabled app').to.equal(false);
    await a.container.clients.setDisabled(rp.meta.client_id, false);
    await new Promise((r) => setTimeout(r, SETTINGS_CHECK_MS + 50));
    expect(await opens(), 'B serves it again').to.equal(true);
  });
});
