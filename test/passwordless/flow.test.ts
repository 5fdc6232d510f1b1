// Passwordless sign-in by SMS end to end: openid-client RP, hosted screens, the real twilio SDK against the fake Twilio.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { ACR } from '../../src/oidc/acr.ts';
import { authorizationRequest, createUser, exchange, REDIRECT_URI, registerClient } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';

const KNOWN = '+61491570156';
const UNKNOWN = '+61491570157';

describe('passwordless sign-in by SMS', () => {
  let env: SmsTestEnv;

  before(async () => {
    env = await startSmsEnv();
    await createUser(env.server, 'harry', 'harry has a long password', { phoneNumber: KNOWN, phoneNumberVerified: false });
  });
  after(() => env.close());
  // Each test starts after the resend cooldown of the previous one.
  beforeEach(() => env.clock.advance(60_000));

  /** Opens the sign-in screen, which offers "Sign in with a text message" with its own phone number field. */
  async function phoneScreen(ua: UserAgent, params: Record<string, string> = {}) {
    const req = await authorizationRequest(env.rp.config, params);
    const page = await ua.follow(req.url.href);
    expect(phoneAction(page.html), 'the sign-in screen offers SMS').to.be.a('string');
    expect(page.html).to.contain('Sign in with a text message');
    return { req, page };
  }

  /** The phone number form's action: the sign-in screen's second form, or the phone screen's only one. */
  const phoneAction = (html: string) => html.match(/<form method="post" action="([^"]*\/sms)"/)?.[1];

  async function submitPhone(ua: UserAgent, page: Page, phone: string, headers: Record<string, string> = {}) {
    return ua.request(new URL(phoneAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')!, phone }, headers });
  }

  async function submitCode(ua: UserAgent, codePage: Page, code: string) {
    return ua.follow(new URL(formAction(codePage.html)!, codePage.url).href, { form: { csrf: inputValue(codePage.html, 'csrf')!, code } }, REDIRECT_URI);
  }

  it('signs in with a code texted in the language the request asked for; amr sms+otp, phone claims', async () => {
    const ua = new UserAgent({ acceptLanguage: 'en' });
    const today = Math.floor(env.clock.now() / 86_400_000);
    const [verifiedBefore = 0] = await env.server.container.spend.conversion.verifiedPerDay(today, 1);
    const { req, page } = await phoneScreen(ua, { scope: 'openid phone' });
    // One screen: the password form and the phone number form side by side.
    expect(page.html).to.contain('Phone number').and.contain('Send code').and.contain('autocomplete="current-password"');
    const sent = await submitPhone(ua, page, '0491 570 156'.replace(/^0/, '+61 '), { 'x-request-language': 'es' });
    expect(sent.status).to.equal(303);
    const codePage = await ua.follow(new URL(sent.headers.get('location')!, sent.url).href);
    expect(codePage.html).to.contain('Verification code').and.contain('autocomplete="one-time-code"').and.contain('inputmode="numeric"');
    expect(codePage.html).to.contain('+61 ••• ••• 0156');
    await env.deliver();
    const sms = env.fake.messagesTo(KNOWN).at(-1)!;
    expect(sms.body, 'the SMS is in Spanish').to.match(/^Usa \d{6} para entrar en /);
    const callback = await submitCode(ua, codePage, env.fake.lastCode(KNOWN)!);
    expect(callback.url.startsWith(REDIRECT_URI), callback.html.slice(0, 400)).to.equal(true);
    const tokens = await exchange(env.rp.config, req, callback.url);
    const claims = tokens.claims()!;
    expect(claims.amr).to.deep.equal(['sms', 'otp']);
    expect(claims.acr).to.equal(ACR.sms);
    const info = await oidc.fetchUserInfo(env.rp.config, tokens.access_token, claims.sub);
    expect(info.phone_number).to.equal(KNOWN);
    expect(info.phone_number_verified, 'a verified code marks the number verified').to.equal(true);
    // The verification is counted once, where the dashboard and the conversion figures read it.
    expect(await env.server.container.spend.conversion.verifiedPerDay(today, 1)).to.deep.equal([verifiedBefore + 1]);
    expect(await env.server.container.db('code_stats_daily').count({ n: '*' }).first()).to.deep.include({ n: 0 });
  });

  it('answers an unknown number exactly like a known one, sends it nothing, and fails its code like a wrong one', async () => {
    const before = env.fake.messagePosts;
    const a = new UserAgent();
    const b = new UserAgent();
    const known = await submitPhone(a, (await phoneScreen(a)).page, KNOWN);
    const unknown = await submitPhone(b, (await phoneScreen(b)).page, UNKNOWN);
    expect(unknown.status).to.equal(known.status);
    const uidless = (l: string | null) => l?.replace(/\/interaction\/[^/]+\//g, '/interaction/UID/');
    expect(uidless(unknown.headers.get('location'))).to.equal(uidless(known.headers.get('location')));
    expect([...unknown.headers.keys()].sort()).to.deep.equal([...known.headers.keys()].sort());
    expect(uidless(unknown.html)).to.equal(uidless(known.html));
    const knownCode = await a.follow(new URL(known.headers.get('location')!, known.url).href);
    const unknownCode = await b.follow(new URL(unknown.headers.get('location')!, unknown.url).href);
    const normalise = (p: Page) => p.html.replace(/\/interaction\/[^/"]+/g, '/interaction/UID').replace(/value="[^"]{20,}"/g, 'value="CSRF"').replace(/•{3} •{3} \d{4}/, 'PHONE');
    expect(normalise(unknownCode)).to.equal(normalise(knownCode));
    await env.deliver();
    expect(env.fake.messagesTo(UNKNOWN)).to.have.length(0);
    expect(env.fake.messagePosts - before).to.equal(1);
    const wrongKnown = await a.request(new URL(formAction(knownCode.html)!, knownCode.url).href, { form: { csrf: inputValue(knownCode.html, 'csrf')!, code: '000000' } });
    const guessUnknown = await b.request(new URL(formAction(unknownCode.html)!, unknownCode.url).href, { form: { csrf: inputValue(unknownCode.html, 'csrf')!, code: env.fake.lastCode(KNOWN)! } });
    expect(guessUnknown.status).to.equal(wrongKnown.status).and.equal(401);
    expect(normalise(guessUnknown)).to.equal(normalise(wrongKnown));
    // Both are failed SMS sign-ins in the audit log: the known number's under its user, with the phone's country.
    const harry = (await env.server.container.users.findByLogin('harry'))!;
    const failures = await env.server.container.db('audit_events').where({ action: 'signin.failure' }).orderBy('at').select('target', 'details');
    const details = failures.map((f) => ({ target: f.target, ...(typeof f.details === 'string' ? JSON.parse(f.details) : f.details) }));
    expect(details.slice(-2).map((d) => ({ target: d.target, method: d.method, country: d.country, reason: d.reason, clientId: d.clientId }))).to.have.deep.members([
      { target: harry.id, method: 'sms', country: 'AU', reason: 'wrong_code', clientId: env.rp.meta.client_id },
      { target: null, method: 'sms', country: 'AU', reason: 'wrong_code', clientId: env.rp.meta.client_id },
    ]);
  });

  it('refuses invalid, non-mobile, premium and disallowed-country numbers before sending anything', async () => {
    await env.server.container.smsConnection.update({ allowedCountries: ['AU'] });
    try {
      const cases: Array<[string, RegExp]> = [
        ['12', /Enter a valid phone number/],
        ['+44 20 7946 0018', /only be sent to mobile numbers/],
        ['+1 900 555 0100', /only be sent to mobile numbers/],
        ['+1 800 555 0100', /only be sent to mobile numbers/],
        ['+33 6 12 34 56 78', /cannot be used here/],
      ];
      const outbox = async () => Number((await env.server.container.db('sms_messages').count({ n: '*' }).first())?.n);
      const before = await outbox();
      for (const [phone, message] of cases) {
        const ua = new UserAgent();
        const res = await submitPhone(ua, (await phoneScreen(ua)).page, phone);
        expect(res.status, phone).to.equal(400);
        expect(res.html, phone).to.match(message);
      }
      expect(await outbox()).to.equal(before);
    } finally {
      await env.server.container.smsConnection.update({ allowedCountries: [] });
    }
  });

  it('fills the phone number field, not the username, from a login_hint that is a mobile number', async () => {
    const ua = new UserAgent();
    const { page } = await phoneScreen(ua, { login_hint: '+61491570156' });
    expect(page.html).to.match(/<input id="phone"[^>]* value="\+61491570156"/);
    expect(page.html).to.match(/<input id="login"[^>]* value=""/);
    const other = await phoneScreen(new UserAgent(), { login_hint: 'harry' });
    expect(other.page.html).to.match(/<input id="login"[^>]* value="harry"/);
    expect(other.page.html).to.match(/<input id="phone"[^>]* value=""/);
  });

  it('goes straight to the text-message sign-in when the app asks for acr urn:codeword:acr:sms', async () => {
    const ua = new UserAgent();
    const page = await ua.follow((await authorizationRequest(env.rp.config, { acr_values: ACR.sms })).url.href);
    expect(page.url).to.match(/\/interaction\/[^/]+\/sms$/);
    expect(page.html).to.contain('Phone number');
  });

  it('hides the SMS option while the SMS account is not verified', async () => {
    const accounts = env.server.container.sms.accounts;
    await accounts.update(env.accountId, { settings: { authToken: 'f'.repeat(32) } });
    try {
      expect((await accounts.get(env.accountId)).verification.status).to.equal('unverified');
      const ua = new UserAgent();
      const login = await ua.follow((await authorizationRequest(env.rp.config)).url.href);
      expect(login.html).to.contain('Username or email').and.not.contain('Sign in with a text message').and.not.contain('type="tel"');
      const uid = login.url.match(/\/interaction\/([^/?]+)/)![1];
      expect((await ua.request(`${env.server.url}/interaction/${uid}/sms`)).status).to.equal(404);
    } finally {
      await accounts.update(env.accountId, { settings: { authToken: env.fake.authToken } });
      expect((await accounts.verify(env.accountId)).verification.status).to.equal('valid');
    }
  });

  it('does not offer SMS to an app it is not enabled for', async () => {
    const other = await registerClient(env.server, { clientId: 'not-enabled' });
    const ua = new UserAgent();
    const login = await ua.follow((await authorizationRequest(other.config)).url.href);
    expect(login.html).to.contain('Username or email').and.not.contain('Sign in with a text message').and.not.contain('type="tel"');
    const uid = login.url.match(/\/interaction\/([^/?]+)/)![1];
    const direct = await ua.request(`${env.server.url}/interaction/${uid}/sms`);
    expect(direct.status).to.equal(404);
  });

  it('creates an account for an unknown number only when sign-ups are on', async () => {
    const fresh = '+61491570158';
    await env.server.container.smsConnection.update({ signups: true });
    try {
      const ua = new UserAgent();
      const { req, page } = await phoneScreen(ua);
      const sent = await submitPhone(ua, page, fresh, { 'accept-language': 'fr-CA, en;q=0.5' });
      const codePage = await ua.follow(new URL(sent.headers.get('location')!, sent.url).href);
      await env.deliver();
      expect(env.fake.messagesTo(fresh).at(-1)!.body, 'the sign-up text, in French').to.match(/^\d{6} est votre code Test RP/);
      const callback = await submitCode(ua, codePage, env.fake.lastCode(fresh)!);
      const tokens = await exchange(env.rp.config, req, callback.url);
      const user = await env.server.container.users.findById(tokens.claims()!.sub);
      expect(user).to.include({ phoneNumber: fresh, phoneNumberVerified: true });
    } finally {
      await env.server.container.smsConnection.update({ signups: false });
    }
  });
});
