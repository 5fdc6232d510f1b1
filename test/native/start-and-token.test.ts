// The passwordless API end to end over HTTP: start, the OTP grant on /oauth/token, JSON bodies as Auth0's mobile SDKs send them.
import { expect } from 'chai';
import * as jose from 'jose';
import { createUser } from '../helpers/rp.ts';
import { KNOWN, type NativeEnv, OTP_GRANT, startNativeEnv, UNKNOWN, WRONG } from './harness.ts';

describe('passwordless API: /passwordless/start and the OTP grant', () => {
  let env: NativeEnv;
  let userId: string;

  before(async () => {
    env = await startNativeEnv({ connection: { perPhonePerHour: 1000 } });
    userId = (await createUser(env.server, 'nina', 'nina has a long password', { phoneNumber: KNOWN, locale: 'fr' })).id;
    await env.addClient('ios-app', { scope: 'openid profile email phone offline_access' });
  });
  after(() => env.close());
  // An hour apart: the per-number ceiling (all requesters together) starts again for each test.
  beforeEach(() => env.clock.advance(3_601_000));

  it('texts a code in the language of x-request-language and answers only the number and that language', async () => {
    const res = await env.post('/passwordless/start', { client_id: 'ios-app', connection: 'sms', phone_number: KNOWN }, { headers: { 'x-request-language': 'de' } });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ phone_number: KNOWN, request_language: 'de' });
    await env.deliver();
    const sms = env.fake.messagesTo(KNOWN).at(-1)!;
    expect(sms.body).to.match(/\d{6}/);
    const [logged] = await env.server.container.sms.sender.log({ limit: 1 });
    expect(logged!.language, 'the request language, not the user locale (fr)').to.equal('de');
    expect(sms.body).to.include('Anmeldecode');
  });

  it('JSON bodies as Auth0.swift / Auth0.Android send them: start, then the grant at /oauth/token with an ID token of amr sms', async () => {
    // Auth0.swift `startPasswordless(phoneNumber:type:.code,connection:"sms")` and Auth0.Android `passwordlessWithSMS`.
    const start = await env.post('/passwordless/start', { client_id: 'ios-app', connection: 'sms', send: 'code', phone_number: KNOWN });
    expect(start.status).to.equal(200);
    await env.deliver();
    const otp = env.fake.lastCode(KNOWN)!;
    // Auth0.swift `login(phoneNumber:code:audience:scope:)` posts JSON to /oauth/token.
    const res = await env.post('/oauth/token', { username: KNOWN, otp, realm: 'sms', scope: 'openid profile email offline_access', grant_type: OTP_GRANT, client_id: 'ios-app' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include.keys('access_token', 'id_token', 'refresh_token', 'expires_in');
    expect(res.body.token_type).to.equal('Bearer');
    const header = jose.decodeProtectedHeader(String(res.body.id_token));
    expect(header.alg).to.equal('RS256');
    const claims = jose.decodeJwt(String(res.body.id_token));
    expect(claims).to.include({ sub: userId, aud: 'ios-app', iss: env.server.container.config.issuer, acr: 'urn:codeword:acr:sms' });
    expect(claims.amr).to.deep.equal(['sms', 'otp']);
    expect(claims.auth_time).to.be.a('number');

    // The refresh token works (a saved Grant behind it); the rotated one keeps amr.
    const refreshed = await env.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: res.body.refresh_token, client_id: 'ios-app' });
    expect(refreshed.status, JSON.stringify(refreshed.body)).to.equal(200);
    expect(jose.decodeJwt(String(refreshed.body.id_token)).amr).to.deep.equal(['sms', 'otp']);

    // The access token reads userinfo.
    const info = await fetch(`${env.server.url}/me`, { headers: { authorization: `Bearer ${res.body.access_token}` } });
    expect(info.status).to.equal(200);
    expect((await info.json()).sub).to.equal(userId);
  });

  it('a form body at /token works too, and the JWKS is also at /.well-known/jwks.json', async () => {
    const otp = await env.startAndDeliver('ios-app', KNOWN);
    const res = await env.token({ client_id: 'ios-app', username: KNOWN, otp: otp!, realm: 'sms', scope: 'openid' }, { path: '/token' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.not.have.property('refresh_token');
    const jwks = await (await fetch(`${env.server.url}/.well-known/jwks.json`)).json();
    const { payload } = await jose.jwtVerify(String(res.body.id_token), jose.createLocalJWKSet(jwks), { audience: 'ios-app' });
    expect(payload.sub).to.equal(userId);
  });

  it('a wrong code, an unknown number and a number never started all answer the same invalid_grant', async () => {
    await env.startAndDeliver('ios-app', KNOWN);
    await env.startAndDeliver('ios-app', UNKNOWN);
    const answers = await Promise.all([
      env.token({ client_id: 'ios-app', username: KNOWN, otp: '000000', realm: 'sms' }),
      env.token({ client_id: 'ios-app', username: UNKNOWN, otp: '123456', realm: 'sms' }),
      env.token({ client_id: 'ios-app', username: '+61491570158', otp: '123456', realm: 'sms' }),
      env.token({ client_id: 'ios-app', username: KNOWN, otp: 'abc', realm: 'sms' }),
    ]);
    for (const a of answers) {
      expect(a.status).to.equal(400);
      expect(a.body).to.deep.equal({ error: 'invalid_grant', error_description: WRONG });
    }
  });

  it('refuses bad starts with Auth0 error codes, before anything is sent', async () => {
    const posts = env.fake.messagePosts;
    const cases: [unknown, string, number][] = [
      [{ connection: 'sms', phone_number: KNOWN }, 'bad.client_id', 400],
      [{ client_id: 'nope', connection: 'sms', phone_number: KNOWN }, 'bad.client_id', 400],
      [{ client_id: 'ios-app', connection: 'email', phone_number: KNOWN }, 'bad.connection', 400],
      [{ client_id: 'ios-app', connection: 'sms', phone_number: '0491570156' }, 'bad.phone_number', 400],
      [{ client_id: 'ios-app', connection: 'sms', phone_number: '+61298765432' }, 'bad.phone_number', 400],
      [{ client_id: 'ios-app', connection: 'sms' }, 'bad.phone_number', 400],
      [{ client_id: 'ios-app', connection: 'sms', phone_number: KNOWN, send: 'link' }, 'bad.send', 400],
      [{ client_id: 'ios-app', connection: 'sms', phone_number: KNOWN, authParams: 'scope=openid' }, 'bad.authParams', 400],
      [{ client_id: 'ios-app', connection: 'sms', phone_number: KNOWN, authParams: { audience: 'https://api.example.com' } }, 'bad.authParams', 400],
      [{ client_id: 'ios-app', connection: 'sms', phone_number: KNOWN, colour: 'blue' }, 'bad.request', 400],
      [{ client_id: 'ios-app', client_secret: 'x', connection: 'sms', phone_number: KNOWN }, 'unauthorized_client', 401],
      ['{"client_id": ', 'bad.request', 400],
      ['[1,2]', 'bad.request', 400],
    ];
    for (const [body, error, status] of cases) {
      const res = await env.post('/passwordless/start', body);
      expect(res.status, JSON.stringify(body)).to.equal(status);
      expect(res.body.error, JSON.stringify(body)).to.equal(error);
      expect(res.body.error_description).to.be.a('string');
      expect(Object.keys(res.body)).to.have.members(['error', 'error_description']);
    }
    await env.deliver();
    expect(env.fake.messagePosts, 'no SMS').to.equal(posts);
  });

  it('accepts form bodies with client_secret_post and Basic for confidential clients; a wrong secret is 401', async () => {
    const web = await env.addClient('backend', { token_endpoint_auth_method: 'client_secret_post' });
    const ok = await env.post('/passwordless/start', { client_id: 'backend', client_secret: web.client_secret!, connection: 'sms', phone_number: KNOWN }, { form: true });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    env.clock.advance(61_000);
    const basic = `Basic ${Buffer.from(`backend:${web.client_secret}`).toString('base64')}`;
    const viaBasic = await env.post('/passwordless/start', { connection: 'sms', phone_number: KNOWN }, { headers: { authorization: basic } });
    expect(viaBasic.status, JSON.stringify(viaBasic.body)).to.equal(200);
    const bad = await env.post('/passwordless/start', { client_id: 'backend', client_secret: 'wrong', connection: 'sms', phone_number: KNOWN });
    expect(bad.status).to.equal(401);
    expect(bad.body.error).to.equal('unauthorized_client');
    const none = await env.post('/passwordless/start', { client_id: 'backend', connection: 'sms', phone_number: KNOWN });
    expect(none.status).to.equal(401);
  });

  it('a JSON token body that is not an object of strings is a clear 400; an oversized one a 413', async () => {
    const arr = await env.post('/oauth/token', '[1]');
    expect(arr.status).to.equal(400);
    expect(arr.body.error).to.equal('invalid_request');
    const nested = await env.post('/oauth/token', { grant_type: OTP_GRANT, client_id: 'ios-app', otp: { a: 1 } });
    expect(nested.status).to.equal(400);
    const big = await env.post('/oauth/token', { grant_type: OTP_GRANT, client_id: 'ios-app', otp: 'x'.repeat(60_000) });
    expect(big.status).to.equal(413);
  });

  it('reads JSON at /token too, whatever the media type’s case and parameters; an empty JSON body is the same 400', async () => {
    const edgeRefusal = 'the JSON body must be an object of strings, numbers or booleans';
    for (const [path, type, body] of [
      ['/token', 'application/json', '[1]'],
      ['/oauth/token', 'Application/JSON; charset=UTF-8', '[1]'],
      ['/token', 'application/json; charset=utf-8', ''],
    ] as const) {
      const res = await env.post(path, body, { headers: { 'content-type': type } });
      expect(res.status, `${path} ${type} ${JSON.stringify(body)}`).to.equal(400);
      expect(res.body.error_description, `${path} ${type}`).to.equal(edgeRefusal);
      expect(res.headers.get('cache-control')).to.equal('no-store');
    }
    // A form body at /token never meets the JSON reading: the provider answers it (here: no grant_type).
    const form = await env.post('/token', { client_id: 'ios-app' }, { form: true });
    expect(form.status).to.equal(400);
    expect(form.body.error_description).not.to.equal(edgeRefusal);
  });
});

describe('passwordless API: OpenAPI document', () => {
  it('lists the three operations with every start error code', async () => {
    const env = await startNativeEnv();
    try {
      const doc = await (await fetch(`${env.server.url}/passwordless/openapi.json`)).json();
      expect(doc.openapi).to.equal('3.1.0');
      expect(Object.keys(doc.paths)).to.have.members(['/passwordless/start', '/otp/challenge', '/oauth/token']);
      const text = JSON.stringify(doc.paths['/passwordless/start'].post.responses);
      for (const code of ['bad.request', 'bad.client_id', 'bad.connection', 'bad.phone_number', 'bad.send', 'bad.authParams', 'unauthorized_client', 'too_many_requests']) {
        expect(text).to.include(code);
      }
      expect(JSON.stringify(doc.paths['/oauth/token'])).to.include('Wrong phone number or verification code.');
    } finally {
      await env.close();
    }
  });
});
