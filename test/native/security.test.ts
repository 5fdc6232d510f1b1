// The passwordless API keeps the hosted flow's protections: no enumeration, send limits, attempts, single use, client binding.
import { expect } from 'chai';
import { policyInputSchema } from '../../src/policies/schema.ts';
import { createUser } from '../helpers/rp.ts';
import { KNOWN, type NativeEnv, startNativeEnv, UNKNOWN, WRONG } from './harness.ts';

/** The start's time floor in this suite (250 ms in production): low enough for 400 timed requests, above their work. */
const FLOOR_MS = 80;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

describe('passwordless API: protections', () => {
  let env: NativeEnv;

  before(async () => {
    env = await startNativeEnv({ passwordlessApiFloorMs: FLOOR_MS, connection: { perPhonePerHour: 1000, perIpPerHour: 100_000, signups: false } });
    await createUser(env.server, 'nina', 'nina has a long password', { phoneNumber: KNOWN });
    await env.addClient('app-a', { scope: 'openid offline_access' });
    await env.addClient('app-b');
  });
  after(() => env.close());
  // An hour apart: the per-number ceiling (all requesters together) starts again for each test.
  beforeEach(() => env.clock.advance(3_601_000));

  it('an unknown number (sign-ups off) gets the same status, body and headers as a known one, in the same time, and no SMS', async function () {
    this.timeout(180_000);
    const start = (phone: string) => env.post('/passwordless/start', { client_id: 'app-a', connection: 'sms', phone_number: phone });
    const known = await start(KNOWN);
    const unknown = await start(UNKNOWN.replace('157', '157'));
    expect(unknown.status).to.equal(known.status);
    expect({ ...unknown.body, phone_number: null }).to.deep.equal({ ...known.body, phone_number: null });
    const headers = (h: Headers) => [...h.entries()].filter(([k]) => k !== 'date').map(([k, v]) => (k === 'content-length' ? [k, 'n'] : [k, v]));
    expect(headers(unknown.headers)).to.deep.equal(headers(known.headers));

    const times: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] };
    for (let i = 0; i < 200; i++) {
      for (const [kind, phone] of (i % 2 ? [['known', KNOWN], ['unknown', UNKNOWN]] : [['unknown', UNKNOWN], ['known', KNOWN]]) as ['known' | 'unknown', string][]) {
        const t = performance.now();
        const res = await start(phone);
        times[kind].push(performance.now() - t);
        expect(res.status).to.equal(200);
      }
    }
    const gap = Math.abs(median(times.known) - median(times.unknown));
    expect(gap, `medians ${median(times.known).toFixed(2)} / ${median(times.unknown).toFixed(2)} ms`).to.be.below(5);
    await env.deliver();
    expect(env.fake.messagesTo(UNKNOWN), 'no SMS to the unknown number').to.have.length(0);
  });

  it('/otp/challenge answers an auth_session for known and unknown numbers alike; the session and code sign in once', async () => {
    const challenge = (phone: string) => env.post('/otp/challenge', { client_id: 'app-a', connection: 'sms', phone_number: phone, delivery_method: 'text' });
    const known = await challenge(KNOWN);
    const unknown = await challenge(UNKNOWN);
    expect(known.status).to.equal(200);
    expect(unknown.status).to.equal(200);
    expect(Object.keys(known.body)).to.deep.equal(['auth_session']);
    expect(Object.keys(unknown.body)).to.deep.equal(['auth_session']);
    await env.deliver();
    const otp = env.fake.lastCode(KNOWN)!;
    const ok = await env.token({ client_id: 'app-a', auth_session: String(known.body.auth_session), otp, scope: 'openid offline_access' }, { json: true });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    expect(ok.body).to.include.keys('id_token', 'refresh_token');
    const again = await env.token({ client_id: 'app-a', auth_session: String(known.body.auth_session), otp });
    expect(again.body).to.deep.equal({ error: 'invalid_grant', error_description: WRONG });
    const stranger = await env.token({ client_id: 'app-a', auth_session: String(unknown.body.auth_session), otp: '123456' });
    expect(stranger.body).to.deep.equal({ error: 'invalid_grant', error_description: WRONG });
  });

  it('allow_signup cannot widen a connection that refuses sign-ups', async () => {
    const res = await env.post('/otp/challenge', { client_id: 'app-a', connection: 'sms', phone_number: '+61491570158', allow_signup: true });
    expect(res.status).to.equal(200);
    await env.deliver();
    expect(env.fake.messagesTo('+61491570158')).to.have.length(0);
  });

  it('wrong code five times, then the right one fails', async () => {
    const otp = (await env.startAndDeliver('app-a', KNOWN))!;
    const wrong = otp === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const res = await env.token({ client_id: 'app-a', username: KNOWN, otp: wrong, realm: 'sms' });
      expect(res.body.error_description).to.equal(WRONG);
      env.clock.advance(61_000);
    }
    const last = await env.token({ client_id: 'app-a', username: KNOWN, otp, realm: 'sms' });
    expect(last.status).to.be.oneOf([400, 429]);
    expect(last.body.error).to.be.oneOf(['invalid_grant', 'too_many_attempts']);
    env.clock.advance(24 * 3600_000); // the number's failure count lapses for the next tests
  });

  it('parallel token requests with the right code: exactly one success', async () => {
    const otp = (await env.startAndDeliver('app-a', KNOWN))!;
    const results = await Promise.all(Array.from({ length: 6 }, () => env.token({ client_id: 'app-a', username: KNOWN, otp, realm: 'sms', scope: 'openid' })));
    expect(results.filter((r) => r.status === 200)).to.have.length(1);
    for (const r of results.filter((r) => r.status !== 200)) expect(r.body).to.deep.equal({ error: 'invalid_grant', error_description: WRONG });
  });

  it('a code started for one client is refused at another, and an auth_session of another client too', async () => {
    const otp = (await env.startAndDeliver('app-a', KNOWN))!;
    const atB = await env.token({ client_id: 'app-b', username: KNOWN, otp, realm: 'sms' });
    expect(atB.body).to.deep.equal({ error: 'invalid_grant', error_description: WRONG });
    const ch = await env.post('/otp/challenge', { client_id: 'app-a', connection: 'sms', phone_number: KNOWN });
    await env.deliver();
    const otp2 = env.fake.lastCode(KNOWN)!;
    const sessionAtB = await env.token({ client_id: 'app-b', auth_session: String(ch.body.auth_session), otp: otp2 });
    expect(sessionAtB.body).to.deep.equal({ error: 'invalid_grant', error_description: WRONG });
    expect((await env.token({ client_id: 'app-a', auth_session: String(ch.body.auth_session), otp: otp2 })).status, 'still good at A').to.equal(200);
  });

  it('a third-party client, or one without the grant, is refused', async () => {
    await env.addClient('partner', {}, { firstParty: false });
    const start = await env.post('/passwordless/start', { client_id: 'partner', connection: 'sms', phone_number: KNOWN });
    expect(start.status).to.equal(403);
    expect(start.body.error).to.equal('unauthorized_client');
    const token = await env.token({ client_id: 'partner', username: KNOWN, otp: '123456', realm: 'sms' });
    expect(token.body.error).to.equal('unauthorized_client');
    await env.addClient('web-only', { grant_types: ['refresh_token', 'client_credentials'], token_endpoint_auth_method: 'client_secret_basic' });
    const noGrant = await env.token({ client_id: 'web-only', username: KNOWN, otp: '123456', realm: 'sms' });
    expect(noGrant.status).to.be.oneOf([400, 401]);
    const sms = await env.addClient('sms-off', {}, { sms: false });
    const off = await env.post('/passwordless/start', { client_id: sms.client_id, connection: 'sms', phone_number: KNOWN });
    expect(off.body.error).to.equal('bad.connection');
  });

  it('a user whose policy requires a second factor gets 403 mfa_required', async () => {
    const { policies } = env.server.container;
    const strict = await policies.create(policyInputSchema.parse({ name: 'strict', mfa: { required: 'always', factors: ['sms'] } }));
    const user = await env.server.container.users.create({ phoneNumber: '+61491570159', phoneNumberVerified: true });
    await policies.assignUser(user.id, strict.id);
    const otp = (await env.startAndDeliver('app-a', '+61491570159'))!;
    const res = await env.token({ client_id: 'app-a', username: '+61491570159', otp, realm: 'sms' });
    expect(res.status).to.equal(403);
    expect(res.body).to.deep.equal({ error: 'mfa_required', error_description: 'Multifactor authentication required' });
  });

  it('auth0-forwarded-for counts only for a trusted confidential client', async () => {
    const limited = await startNativeEnv({ connection: { perIpPerHour: 1, perPhonePerHour: 100 } });
    try {
      const backend = await limited.addClient('backend', { token_endpoint_auth_method: 'client_secret_post', forwarded_for_trusted: true });
      const start = (ip: string, phone: string, clientSecret = backend.client_secret!) =>
        limited.post('/passwordless/start', { client_id: 'backend', client_secret: clientSecret, connection: 'sms', phone_number: phone }, { headers: { 'auth0-forwarded-for': ip } });
      expect((await start('198.51.100.1', KNOWN)).status).to.equal(200);
      expect((await start('198.51.100.2', UNKNOWN)).status, 'another user IP: its own budget').to.equal(200);
      expect((await start('198.51.100.2', '+61491570158')).status, 'that IP is spent').to.equal(429);
      await limited.addClient('mobile');
      const pub = (ip: string, phone: string) =>
        limited.post('/passwordless/start', { client_id: 'mobile', connection: 'sms', phone_number: phone }, { headers: { 'auth0-forwarded-for': ip } });
      expect((await pub('203.0.113.9', '+61491570159')).status).to.equal(200);
      expect((await pub('203.0.113.10', '+61491570158')).status, 'public client: the header is ignored, the caller IP is spent').to.equal(429);
    } finally {
      await limited.close();
    }
  });
});

describe('passwordless API: send limits', () => {
  let env: NativeEnv;
  before(async () => {
    env = await startNativeEnv({ connection: { resendCooldownSeconds: 0, perPhonePerHour: 5 } });
    await env.addClient('app-a');
  });
  after(() => env.close());

  it('the sixth start for one number within the hour is 429 with Retry-After, and sends nothing', async () => {
    await createUser(env.server, 'nina', 'nina has a long password', { phoneNumber: KNOWN });
    for (let i = 0; i < 5; i++) expect((await env.post('/passwordless/start', { client_id: 'app-a', connection: 'sms', phone_number: KNOWN })).status).to.equal(200);
    await env.deliver();
    const sent = env.fake.messagesTo(KNOWN).length;
    const sixth = await env.post('/passwordless/start', { client_id: 'app-a', connection: 'sms', phone_number: KNOWN });
    expect(sixth.status).to.equal(429);
    expect(sixth.body.error).to.equal('too_many_requests');
    expect(Number(sixth.headers.get('retry-after'))).to.be.greaterThan(0);
    await env.deliver();
    expect(env.fake.messagesTo(KNOWN)).to.have.length(sent);
    // The last code still works: a refused start does not end the sign-in in progress.
    const otp = env.fake.lastCode(KNOWN)!;
    expect((await env.token({ client_id: 'app-a', username: KNOWN, otp, realm: 'sms' })).status).to.equal(200);
  });
});
