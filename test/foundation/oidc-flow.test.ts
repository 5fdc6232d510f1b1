// A real relying party (openid-client) signs in through the hosted screens: code + PKCE, ID token, userinfo, refresh rotation, logout.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { ACR } from '../../src/oidc/acr.ts';
import { authorizationRequest, createUser, exchange, POST_LOGOUT_URI, REDIRECT_URI, registerClient, submitLogin } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';

describe('OpenID Connect flow with a real relying party', () => {
  let server: TestServer;
  let rp: Awaited<ReturnType<typeof registerClient>>;

  before(async () => {
    server = await startServer();
    rp = await registerClient(server);
    await createUser(server);
  });
  after(() => server.close());

  it('runs on Node.js 22, with request context in the async context frame as npm start runs it', () => {
    expect(process.version).to.match(/^v22\./);
    expect(process.execArgv).to.include('--experimental-async-context-frame');
  });

  it('publishes discovery with PKCE S256 and the acr values', () => {
    const meta = rp.config.serverMetadata();
    expect(meta.issuer).to.equal(server.url);
    expect(meta.code_challenge_methods_supported).to.deep.equal(['S256']);
    expect(meta.acr_values_supported).to.include(ACR.password);
    expect(meta.scopes_supported).to.include.members(['openid', 'profile', 'email', 'phone', 'offline_access']);
  });

  it('signs in with a password, validates the ID token, reads userinfo, rotates refresh tokens and logs out', async () => {
    const ua = new UserAgent();
    const req = await authorizationRequest(rp.config, { scope: 'openid profile email phone offline_access', prompt: 'consent' });
    const loginPage = await ua.follow(req.url.href);
    expect(loginPage.status).to.equal(200);
    expect(loginPage.html).to.contain('Username or email').and.contain('Password').and.contain('Sign in');

    const callback = await submitLogin(ua, loginPage, 'Alice@Example.test', 'correct horse battery staple');
    expect(callback.url.startsWith(REDIRECT_URI), callback.html).to.equal(true);

    const tokens = await exchange(rp.config, req, callback.url);
    const claims = tokens.claims()!;
    expect(claims.iss).to.equal(server.url);
    expect(claims.amr).to.deep.equal(['pwd']);
    expect(claims.acr).to.equal(ACR.password);
    expect(claims.auth_time).to.be.a('number');
    expect(tokens.refresh_token, 'offline_access gives a refresh token').to.be.a('string');

    const info = await oidc.fetchUserInfo(rp.config, tokens.access_token, claims.sub);
    expect(info.email).to.equal('alice@example.test');
    expect(info.phone_number).to.equal('+61491570156');
    expect(info.phone_number_verified).to.equal(true);
    expect(info.name).to.equal('Alice Example');

    const refreshed = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token!);
    expect(refreshed.refresh_token).to.be.a('string').and.not.equal(tokens.refresh_token);
    let reuse: unknown;
    try {
      await oidc.refreshTokenGrant(rp.config, tokens.refresh_token!);
    } catch (err) {
      reuse = err;
    }
    expect((reuse as { error?: string })?.error, 'the rotated-out refresh token is rejected').to.equal('invalid_grant');

    // RP-initiated logout with our confirmation screen.
    const endSession = oidc.buildEndSessionUrl(rp.config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: POST_LOGOUT_URI });
    const confirm = await ua.follow(endSession.href);
    expect(confirm.status).to.equal(200);
    expect(confirm.html).to.contain('Do you want to sign out?');
    const done = await ua.follow(new URL(formAction(confirm.html)!, confirm.url).href, { form: { xsrf: inputValue(confirm.html, 'xsrf')!, logout: 'yes' } }, POST_LOGOUT_URI);
    expect(done.url.startsWith(POST_LOGOUT_URI)).to.equal(true);

    // Signed out: a new authorization request shows the sign-in screen again.
    const again = await ua.follow((await authorizationRequest(rp.config)).url.href);
    expect(again.html).to.contain('Username or email');
  });

  it('grants a first-party app the scopes it asked for, and gives no tokens to an account disabled before the code is exchanged', async () => {
    const user = await createUser(server, 'dora', 'dora has a long password', { email: 'dora@example.test', phoneNumber: '+61491570157' });
    const signIn = async () => {
      const ua = new UserAgent();
      const req = await authorizationRequest(rp.config, { scope: 'openid email' });
      const callback = await submitLogin(ua, await ua.follow(req.url.href), 'dora', 'dora has a long password');
      expect(callback.url.startsWith(REDIRECT_URI), callback.html).to.equal(true);
      return { req, callback };
    };
    const first = await signIn();
    const tokens = await exchange(rp.config, first.req, first.callback.url);
    expect(tokens.scope?.split(' ').sort()).to.deep.equal(['email', 'openid']);
    const info = await oidc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub);
    expect(info.email).to.equal('dora@example.test');
    expect(info.phone_number, 'the phone scope was not asked for').to.equal(undefined);

    const second = await signIn();
    await server.container.users.setDisabled(user.id, true);
    let refused: unknown;
    try {
      await exchange(rp.config, second.req, second.callback.url);
    } catch (err) {
      refused = err;
    }
    expect((refused as { error?: string })?.error).to.equal('invalid_grant');
  });

  it('asks third-party apps for consent and honours a denial', async () => {
    const third = await registerClient(server, { firstParty: false, clientId: 'third-party' });
    const ua = new UserAgent();
    const req = await authorizationRequest(third.config);
    const loginPage = await ua.follow(req.url.href);
    const consent = await submitLogin(ua, loginPage, 'alice', 'correct horse battery staple');
    expect(consent.status).to.equal(200);
    expect(consent.html).to.contain('Allow access').and.contain('Test RP');
    const denied = await ua.follow(new URL(formAction(consent.html)!, consent.url).href, { form: { csrf: inputValue(consent.html, 'csrf')!, decision: 'deny' } }, REDIRECT_URI);
    expect(new URL(denied.url).searchParams.get('error')).to.equal('access_denied');
  });

  it('shows screens in the language asked by ui_locales, then accept-language', async () => {
    const ua = new UserAgent({ acceptLanguage: 'de-CH, fr;q=0.8' });
    const de = await ua.follow((await authorizationRequest(rp.config)).url.href);
    expect(de.html).to.contain('Benutzername oder E-Mail');
    const pt = await new UserAgent({ acceptLanguage: 'de' }).follow((await authorizationRequest(rp.config, { ui_locales: 'pt-BR' })).url.href);
    expect(pt.html).to.contain('Usuário ou e-mail');
    const zh = await new UserAgent({ acceptLanguage: 'ko, zh;q=0.5' }).follow((await authorizationRequest(rp.config)).url.href);
    expect(zh.html).to.contain('用户名或电子邮件');
    const ja = await new UserAgent({ acceptLanguage: 'ja-JP' }).follow((await authorizationRequest(rp.config)).url.href);
    expect(ja.html).to.contain('ユーザー名またはメールアドレス').and.to.contain('<html lang="ja">');
  });
});
