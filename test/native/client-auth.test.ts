// Client authentication on /passwordless/start for a backend registered with private_key_jwt: a signed assertion, once.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import * as jose from 'jose';
import { createUser } from '../helpers/rp.ts';
import { KNOWN, type NativeEnv, startNativeEnv } from './harness.ts';

const ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

describe('passwordless API: private_key_jwt clients', () => {
  let env: NativeEnv;
  let key: CryptoKey;

  before(async () => {
    env = await startNativeEnv({ connection: { perPhonePerHour: 100 } });
    await createUser(env.server, 'nina', 'nina has a long password', { phoneNumber: KNOWN });
    const pair = await jose.generateKeyPair('RS256', { extractable: true });
    key = pair.privateKey;
    const jwk = { ...(await jose.exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    await env.addClient('signed-backend', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] } });
  });
  after(() => env.close());

  const assertion = (claims: { aud?: string; iss?: string; jti?: string } = {}) =>
    new jose.SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(claims.iss ?? 'signed-backend')
      .setSubject('signed-backend')
      .setAudience(claims.aud ?? env.server.container.config.issuer)
      .setJti(claims.jti ?? randomUUID())
      .setIssuedAt()
      .setExpirationTime('2m')
      .sign(key);

  const start = async (jwt: string) =>
    env.post('/passwordless/start', { client_id: 'signed-backend', client_assertion: jwt, client_assertion_type: ASSERTION, connection: 'sms', phone_number: KNOWN });

  it('accepts a fresh assertion for the issuer, and refuses it replayed, for another audience, or without one', async () => {
    const jwt = await assertion();
    expect((await start(jwt)).status).to.equal(200);
    const replay = await start(jwt);
    expect(replay.status).to.equal(401);
    expect(replay.body.error).to.equal('unauthorized_client');
    expect((await start(await assertion({ aud: 'https://elsewhere.example' }))).status).to.equal(401);
    expect((await start(await assertion({ iss: 'someone-else' }))).status).to.equal(401);
    const none = await env.post('/passwordless/start', { client_id: 'signed-backend', connection: 'sms', phone_number: KNOWN });
    expect(none.status).to.equal(401);
  });

  it('the code it started signs in at the token endpoint with a new assertion', async () => {
    env.clock.advance(61_000);
    expect((await start(await assertion())).status).to.equal(200);
    await env.deliver();
    const otp = env.fake.lastCode(KNOWN)!;
    const res = await env.token({ client_id: 'signed-backend', client_assertion: await assertion(), client_assertion_type: ASSERTION, username: KNOWN, otp, realm: 'sms', scope: 'openid' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.have.property('id_token');
  });
});
