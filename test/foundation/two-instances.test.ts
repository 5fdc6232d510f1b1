// Two instances on different ports share one database: a sign-in begun on one completes on the other.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { authorizationRequest, createUser, exchange, REDIRECT_URI, registerClient } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';
import { usingMysql } from '../helpers/db.ts';
import { SETTINGS_CHECK_MS } from '../../src/db/recent.ts';
import { policyInputSchema } from '../../src/policies/schema.ts';

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

  it('a screen on A shows what B stored in the interaction since A last saw it, and a finished interaction is gone on both', async () => {
    const rp = await registerClient(a, { clientId: 'alternating-rp' });
    const user = await createUser(a, 'hana', 'hana has a long password');
    const policy = await a.container.policies.create(policyInputSchema.parse({ name: 'Rotating for hana', password: { maxAgeDays: 30, reminderDays: null } }));
    await a.container.policies.assignUser(user.id, policy.id);
    await a.container.db('users').where({ id: user.id }).update({ password_changed_at: Date.now() - 40 * 24 * 3600_000 });
    await new Promise((r) => setTimeout(r, SETTINGS_CHECK_MS + 50));
    const onB = (u: string) => u.replace(a.url, b.url);
    const ua = new UserAgent();
    const req = await authorizationRequest(rp.config);
    const login = await ua.follow(req.url.href); // on A, which now holds the interaction as it was
    const proven = await ua.request(onB(new URL(formAction(login.html)!, login.url).href), { form: { csrf: inputValue(login.html, 'csrf')!, login: 'hana', password: 'hana has a long password' } });
    // B stored the proven password in the interaction and sends the browser to the change screen, which A serves.
    expect(proven.status).to.equal(303);
    const change = await ua.follow(new URL(proven.headers.get('location')!, a.url).href);
    expect(change.status, 'A read what B stored instead of its own older copy').to.equal(200);
    expect(change.html).to.contain('Your password has expired.');
    const done = await ua.follow(new URL(formAction(change.html)!, change.url).href, { form: { csrf: inputValue(change.html, 'csrf')!, password: 'hana picked a new passphrase', confirm: 'hana picked a new passphrase' } }, REDIRECT_URI);
    expect(done.url.startsWith(REDIRECT_URI), done.html.slice(0, 300)).to.equal(true);
    // Both instances held the interaction; once finished it is gone from both.
    for (const url of [login.url, onB(login.url)]) {
      const gone = await ua.follow(url);
      expect(gone.status, url).to.equal(400);
      expect(gone.html).to.contain('Start again from the application');
    }
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
