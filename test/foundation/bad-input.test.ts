// Bad input gets a clear 4xx screen and changes nothing: unknown client, bad redirect_uri, CSRF, malformed forms, lost sessions.
import { expect } from 'chai';
import { authorizationRequest, createUser, REDIRECT_URI, registerClient } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';

describe('bad input', () => {
  let server: TestServer;
  let rp: Awaited<ReturnType<typeof registerClient>>;
  const rows = async () => Number((await server.container.db('oidc_payloads').whereIn('model', ['Session', 'Grant', 'AuthorizationCode']).count({ n: '*' }).first())?.n ?? 0);

  before(async () => {
    server = await startServer();
    rp = await registerClient(server);
    await createUser(server, 'dave', 'dave has a long password');
  });
  after(() => server.close());

  async function loginPage(ua = new UserAgent()) {
    const req = await authorizationRequest(rp.config);
    const page = await ua.follow(req.url.href);
    return { ua, page, action: new URL(formAction(page.html)!, page.url).href, csrf: inputValue(page.html, 'csrf')! };
  }

  it('shows a localized error screen for an unknown client and stores nothing', async () => {
    const before = await rows();
    const url = new URL(rp.config.serverMetadata().authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: 'no-such-app', response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }).toString();
    const page = await new UserAgent({ acceptLanguage: 'es' }).request(url.href);
    expect(page.status).to.equal(400);
    expect(page.html).to.contain('No conocemos esta aplicación');
    expect(page.html).not.to.match(/at \w+ \(|node_modules/);
    expect(await rows()).to.equal(before);
  });

  it('refuses a redirect_uri the client did not register, on a screen (never redirecting there)', async () => {
    const req = await authorizationRequest(rp.config, { redirect_uri: 'https://evil.example.test/cb' });
    const page = await new UserAgent().request(req.url.href);
    expect(page.status).to.equal(400);
    expect(page.headers.get('location')).to.equal(null);
    expect(page.html).to.contain('has not registered');
  });

  it('sends a request without PKCE back to the client with invalid_request', async () => {
    const url = new URL(rp.config.serverMetadata().authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: 'test-rp', response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI, state: 's1' }).toString();
    const page = await new UserAgent().request(url.href);
    expect(page.status).to.be.within(300, 399);
    const back = new URL(page.headers.get('location')!);
    expect(back.href.startsWith(REDIRECT_URI)).to.equal(true);
    expect(back.searchParams.get('error')).to.equal('invalid_request');
    expect(back.searchParams.get('error_description')).to.match(/PKCE/);
  });

  it('rejects a wrong or missing CSRF token with 403 and does not sign in', async () => {
    const before = await rows();
    const { ua, action } = await loginPage();
    const wrong = await ua.request(action, { form: { csrf: 'forged', login: 'dave', password: 'dave has a long password' } });
    expect(wrong.status).to.equal(403);
    expect(wrong.html).to.contain('This form has expired');
    const missing = await ua.request(action, { form: { login: 'dave', password: 'dave has a long password' } });
    expect(missing.status).to.equal(403);
    // CSRF is checked before the field rules: a forged post with empty fields gets no sign-in form back.
    const forgedEmpty = await ua.request(action, { form: { csrf: 'forged', login: '', password: '' } });
    expect(forgedEmpty.status).to.equal(403);
    expect(forgedEmpty.html).not.to.contain('name="password"');
    expect(await rows()).to.equal(before);
  });

  it('answers malformed forms with 400 and a message, not a 500', async () => {
    const { ua, action, csrf } = await loginPage();
    const arrays = await ua.request(action, { body: `csrf=${csrf}&login=a&login=b&password=x`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(arrays.status).to.equal(400);
    expect(arrays.html).to.contain('Enter your username or email and your password.');
    const empty = await ua.request(action, { form: { csrf, login: '', password: '' } });
    expect(empty.status).to.equal(400);
    const huge = await ua.request(action, { form: { csrf, login: 'dave', password: 'x'.repeat(40_000) } });
    expect(huge.status).to.equal(400);
    expect(huge.html).to.contain('The form was not filled in correctly.');
    // A broken shape (the CSRF token sent twice) is the error page, not the form again.
    const twice = await ua.request(action, { body: `csrf=${csrf}&csrf=${csrf}&login=dave&password=x`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(twice.status).to.equal(400);
    expect(twice.html).to.contain('The form was not filled in correctly.');
    expect(twice.html).not.to.contain('name="password"');
    // Too long for the field (within the size limit): the same screen, the login kept.
    const long = await ua.request(action, { form: { csrf, login: 'dave', password: 'x'.repeat(2000) } });
    expect(long.status).to.equal(400);
    expect(long.html).to.contain('Enter your username or email and your password.');
    expect(inputValue(long.html, 'login')).to.equal('dave');
    const json = await ua.request(action, { body: JSON.stringify({ csrf, login: 'dave', password: 'p' }), headers: { 'content-type': 'application/json' } });
    expect(json.status).to.equal(403);
  });

  it('refuses an oversized field on every hosted step with the error page (400), never truncating it', async () => {
    const { ua, action, csrf } = await loginPage();
    const at = action.replace(/\/login$/, '');
    const posts: [string, Record<string, string>][] = [
      ['/sms', { csrf, phone: '4'.repeat(65) }],
      ['/sms/code', { csrf, code: '1'.repeat(33) }],
      ['/mfa/code', { csrf, code: '1'.repeat(33) }],
      ['/reset/code', { csrf, code: '1'.repeat(33) }],
      ['/mfa/enrol', { csrf, phone: '4'.repeat(65) }],
      ['/reset', { csrf, login: 'l'.repeat(16_385) }],
      ['/reset/method', { csrf, method: 'email' }],
      ['/reset/password', { csrf, password: 'x'.repeat(4097), confirm: 'x' }],
      ['/password', { csrf, password: 'x'.repeat(16_385) }],
      ['/password/change', { csrf, password: 'x'.repeat(1025), confirm: 'x'.repeat(1025) }],
    ];
    for (const [path, form] of posts) {
      const res = await ua.request(`${at}${path}`, { form });
      expect(res.status, path).to.equal(400);
      expect(res.html, path).to.contain('The form was not filled in correctly.');
    }
    // The delivery status answers JSON through the guard; a lost flow is a 400 in Codeword's error shape.
    const status = await ua.request(`${at}/mfa/status`, { headers: { accept: 'application/json' } });
    expect(status.status).to.equal(400);
    expect(JSON.parse(status.html)).to.include({ error: 'session_not_found' });
  });

  it('explains a lost or foreign interaction instead of failing', async () => {
    const { action, csrf } = await loginPage();
    const stranger = new UserAgent();
    const page = await stranger.request(action, { form: { csrf, login: 'dave', password: 'dave has a long password' } });
    expect(page.status).to.equal(400);
    expect(page.html).to.contain('Start again from the application');
    const unknown = await stranger.request(`${server.url}/interaction/does-not-exist`);
    expect(unknown.status).to.equal(400);
  });

  it('gives one message and status for a wrong password and an unknown user', async () => {
    const a = await loginPage();
    const wrong = await a.ua.request(a.action, { form: { csrf: a.csrf, login: 'dave', password: 'not the password' } });
    const b = await loginPage();
    const unknown = await b.ua.request(b.action, { form: { csrf: b.csrf, login: 'nobody-here', password: 'not the password' } });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(wrong.status);
    const message = (html: string) => html.match(/role="alert"[^>]*>([^<]*)</)?.[1];
    expect(message(unknown.html)).to.equal(message(wrong.html)).and.equal('The username, email or password is not correct.');
  });
});
