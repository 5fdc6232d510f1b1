// One decision finishes every sign-in, and runs on every /auth: an SMS code alone never opens the console, acr_values=…:mfa is never single-factor, SSO reuse asks for the missing step.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { ACR } from '../../src/oidc/acr.ts';
import { policyInputSchema } from '../../src/policies/schema.ts';
import { authorizationRequest, createUser, exchange, REDIRECT_URI, registerClient } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';

const ADMIN = { username: 'root-admin', password: 'a very long admin password' };
const ADMIN_PHONE = '+61491570150';

describe('security: one decision for every sign-in', () => {
  let env: SmsTestEnv;
  let strict: string;

  before(async () => {
    env = await startSmsEnv({ env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password } });
    const c = env.server.container;
    await c.smsFactor.save({ active: true, accountId: env.accountId });
    strict = (await c.policies.create(policyInputSchema.parse({ name: 'Staff', mfa: { factors: ['sms'], required: 'always' } }))).id;
    const admin = (await c.users.findByLogin(ADMIN.username))!;
    await c.users.update(admin.id, { phoneNumber: ADMIN_PHONE, phoneNumberVerified: true });
    await c.policies.assignUser(admin.id, strict);
    const mia = await createUser(env.server, 'mia', 'mia has a long password', { phoneNumber: '+61491570151' });
    await c.policies.assignUser(mia.id, strict);
    await createUser(env.server, 'noah', 'noah has a long password', { phoneNumber: '+61491570152' });
    await createUser(env.server, 'ops', 'ops has a long password', { phoneNumber: '+61491570153', roles: ['admin'] });
  });
  after(() => env.close());
  beforeEach(() => env.clock.advance(60_000));

  const form = (ua: UserAgent, page: Page, fields: Record<string, string>, stop = REDIRECT_URI) =>
    ua.follow(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf') ?? '', ...fields } }, stop);

  /** At the RP's sign-in screen: the SMS link, the phone, then the texted code. */
  async function smsSignIn(ua: UserAgent, phone: string, params: Record<string, string> = {}) {
    const req = await authorizationRequest(env.rp.config, params);
    const login = await ua.follow(req.url.href);
    const phonePage = await ua.follow(new URL(`${new URL(login.url).pathname}/sms`, login.url).href);
    const codePage = await form(ua, phonePage, { phone });
    expect(codePage.url).to.match(/\/sms\/code$/);
    await env.deliver();
    return { req, after: await form(ua, codePage, { code: env.fake.lastCode(phone)! }) };
  }

  async function passwordSignIn(ua: UserAgent, login: string, password: string, config = env.rp.config, params: Record<string, string> = {}) {
    const req = await authorizationRequest(config, params);
    const page = await ua.follow(req.url.href);
    return { req, after: await form(ua, page, { login, password }) };
  }

  it('item 1: the admin\'s SMS code through the console\'s test app does not reach the dashboard', async () => {
    // Even with the test app on the connection's list.
    const connection = await env.server.container.smsConnection.get();
    await env.server.container.smsConnection.update({ clientIds: [...connection.clientIds, 'codeword-sms-try'] });
    const ua = new UserAgent();
    const tryApp = await oidc.discovery(new URL(env.server.url), 'codeword-sms-try', undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const url = oidc.buildAuthorizationUrl(tryApp, {
      redirect_uri: `${env.server.url}/admin/connection/try/callback`,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state: 'made-up',
    });
    const entry = await ua.follow(url.href);
    expect(entry.status, 'the test app is reachable only from the console session that started it').to.equal(403);
    const phone = await ua.request(`${new URL(entry.url).href}/sms`);
    expect(phone.status).to.equal(403);
    const dashboard = await ua.follow(`${env.server.url}/admin`);
    expect(dashboard.html).to.not.contain('Dashboard');
  });

  it('item 1: an admin under "MFA always" who signs in by SMS at any app is asked for the password, and the console needs it too', async () => {
    const ua = new UserAgent();
    const { after } = await smsSignIn(ua, ADMIN_PHONE);
    expect(after.url).to.match(/\/interaction\/[^/]+\/password$/);
    expect(after.html).to.contain('Enter your password');
    const dashboard = await ua.follow(`${env.server.url}/admin`);
    expect(dashboard.url).to.not.equal(`${env.server.url}/admin`);
    expect(dashboard.html).to.not.contain('Dashboard');
  });

  it('an admin\'s console sign-in needs the password and the SMS code', async () => {
    const ua = new UserAgent();
    const start = await ua.follow(`${env.server.url}/admin`);
    const code = await form(ua, start, { login: ADMIN.username, password: ADMIN.password }, 'none');
    expect(code.url).to.match(/\/mfa\/code$/);
    await env.deliver();
    const dashboard = await form(ua, code, { code: env.fake.lastCode(ADMIN_PHONE)! }, 'none');
    expect(dashboard.url).to.equal(`${env.server.url}/admin`);
    expect(dashboard.html).to.contain('Dashboard');
  });

  it('SSO reuse into the console: an admin\'s SMS session (policy without MFA) is asked for the password before the dashboard', async () => {
    const ua = new UserAgent();
    const first = await smsSignIn(ua, '+61491570153');
    expect(first.after.url.startsWith(REDIRECT_URI), 'the app itself accepts an SMS sign-in').to.equal(true);
    const step = await ua.follow(`${env.server.url}/admin`);
    expect(step.url).to.match(/\/interaction\/[^/]+\/password$/);
    expect(step.html).to.not.contain('Dashboard');
    const dashboard = await form(ua, step, { password: 'ops has a long password' }, 'none');
    expect(dashboard.url).to.equal(`${env.server.url}/admin`);
    expect(dashboard.html).to.contain('Dashboard');
  });

  it('passwordless under "MFA always" asks for the password next; the result is the MFA acr', async () => {
    const ua = new UserAgent();
    const { req, after } = await smsSignIn(ua, '+61491570151');
    expect(after.url).to.match(/\/password$/);
    const wrong = await form(ua, after, { password: 'not it at all' });
    expect(wrong.status).to.equal(401);
    const callback = await form(ua, after, { password: 'mia has a long password' });
    expect(callback.url.startsWith(REDIRECT_URI)).to.equal(true);
    const claims = (await exchange(env.rp.config, req, callback.url)).claims()!;
    expect(claims.acr).to.equal(ACR.passwordAndSms);
    expect(claims.amr).to.deep.equal(['sms', 'otp', 'pwd', 'mfa']);
  });

  it('passwordless under "MFA always" with afterSms: refuse ends without signing in', async () => {
    await env.server.container.policies.update(strict, { mfa: { afterSms: 'refuse' } });
    try {
      const ua = new UserAgent();
      const { after } = await smsSignIn(ua, '+61491570151');
      expect(after.status).to.equal(403);
      expect(after.html).to.contain('password and a code by text message');
      expect(after.url.startsWith(REDIRECT_URI)).to.equal(false);
    } finally {
      await env.server.container.policies.update(strict, { mfa: { afterSms: 'password' } });
    }
  });

  it('item 3: acr_values=…:mfa is never answered with a single-factor SMS sign-in', async () => {
    const ua = new UserAgent();
    const { req, after } = await smsSignIn(ua, '+61491570152', { acr_values: ACR.passwordAndSms });
    expect(after.url).to.match(/\/password$/);
    const callback = await form(ua, after, { password: 'noah has a long password' });
    expect((await exchange(env.rp.config, req, callback.url)).claims()!.acr).to.equal(ACR.passwordAndSms);
  });

  it('SSO reuse: a password session asked for more by another app gets only the missing SMS step', async () => {
    const ua = new UserAgent();
    const first = await passwordSignIn(ua, 'noah', 'noah has a long password');
    expect(first.after.url.startsWith(REDIRECT_URI)).to.equal(true);
    const strictApp = await registerClient(env.server, { clientId: 'strict-rp' });
    await env.server.container.clients.upsert({ ...strictApp.meta, default_acr_values: [ACR.passwordAndSms] }, { firstParty: true });
    const req = await authorizationRequest(strictApp.config);
    const code = await ua.follow(req.url.href);
    expect(code.url, 'straight to the code, no password asked again').to.match(/\/mfa\/code$/);
    await env.deliver();
    const callback = await form(ua, code, { code: env.fake.lastCode('+61491570152')! });
    const claims = (await exchange(strictApp.config, req, callback.url)).claims()!;
    expect(claims.acr).to.equal(ACR.passwordAndSms);
    expect(claims.amr).to.deep.equal(['pwd', 'sms', 'mfa']);
  });

  it('SSO reuse: an SMS session asked for the MFA acr gets only the password step', async () => {
    const ua = new UserAgent();
    const first = await smsSignIn(ua, '+61491570152');
    expect(first.after.url.startsWith(REDIRECT_URI)).to.equal(true);
    const req = await authorizationRequest(env.rp.config, { acr_values: ACR.passwordAndSms });
    const step = await ua.follow(req.url.href);
    expect(step.url).to.match(/\/password$/);
    const callback = await form(ua, step, { password: 'noah has a long password' });
    expect((await exchange(env.rp.config, req, callback.url)).claims()!.amr).to.deep.equal(['sms', 'otp', 'pwd', 'mfa']);
  });

  it('SSO reuse: a session the decision finds complete is reused without any screen', async () => {
    const ua = new UserAgent();
    await passwordSignIn(ua, 'noah', 'noah has a long password');
    const req = await authorizationRequest(env.rp.config);
    const back = await ua.follow(req.url.href, {}, REDIRECT_URI);
    expect(back.url.startsWith(REDIRECT_URI)).to.equal(true);
    expect((await exchange(env.rp.config, req, back.url)).claims()!.acr).to.equal(ACR.password);
  });
});
