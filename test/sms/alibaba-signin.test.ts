// Passwordless sign-in end to end through an Alibaba Cloud account (fake checks ACS3 signatures), and per-app authorization.
import { expect } from 'chai';
import { authorizationRequest, createUser, exchange, REDIRECT_URI, registerClient } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';
import { type FakeAlibaba, startFakeAlibaba } from '../fakes/fake-alibaba.ts';
import { alibabaAccount, approve, CN_MOBILE, DOMESTIC_LOGIN, INTERNATIONAL_LOGIN } from './alibaba-setup.ts';
import { AU_MOBILE, AU_MOBILE_2 } from './harness.ts';
import { SETTINGS_CHECK_MS } from '../../src/db/recent.ts';

function movableClock() {
  let t = Date.now();
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

async function signInScreens(server: TestServer, config: Awaited<ReturnType<typeof registerClient>>['config']) {
  const ua = new UserAgent();
  const req = await authorizationRequest(config);
  const login = await ua.follow(req.url.href);
  const link = login.html.match(/action="([^"]*\/sms)"/)?.[1];
  return { ua, req, login, phonePage: link ? await ua.follow(new URL(link, login.url).href) : undefined, server };
}

async function submitPhone(ua: UserAgent, page: Page, phone: string): Promise<Page> {
  const sent = await ua.request(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')!, phone } });
  expect(sent.status, sent.html.slice(0, 300)).to.equal(303);
  return ua.follow(new URL(sent.headers.get('location')!, sent.url).href);
}

describe('passwordless sign-in through Alibaba Cloud SMS', () => {
  let server: TestServer;
  let fake: FakeAlibaba;
  let rp: Awaited<ReturnType<typeof registerClient>>;
  let setup: Awaited<ReturnType<typeof alibabaAccount>>;
  const clock = movableClock();

  before(async () => {
    fake = await startFakeAlibaba();
    server = await startServer({ now: clock.now, smsWorker: false });
    setup = await alibabaAccount(server.container.sms, fake);
    rp = await registerClient(server);
    // Sign-ups on: the code screen then tells when a text could not be delivered.
    await server.container.smsConnection.update({ enabled: true, signups: true, accountId: setup.account.id, clientIds: [rp.meta.client_id] });
    await createUser(server, 'li', 'li has a long password', { phoneNumber: CN_MOBILE });
    await createUser(server, 'olivia', 'olivia has a long password', { phoneNumber: AU_MOBILE });
  });
  after(async () => {
    await server.close();
    await fake.close();
  });
  beforeEach(() => clock.advance(61_000));

  it('texts a +86 number the domestic template with {"code": …}; the code signs in; a report marks it delivered', async () => {
    const { ua, req, phonePage } = await signInScreens(server, rp.config);
    const codePage = await submitPhone(ua, phonePage!, CN_MOBILE);
    await server.container.sms.worker.runOnce();
    const sms = fake.messages.at(-1)!;
    expect(sms).to.include({ phone: '13800138000', templateCode: DOMESTIC_LOGIN, signName: '码字科技' });
    expect(Object.keys(sms.params)).to.deep.equal(['code']);
    expect(sms.params.code).to.match(/^\d{6}$/);

    const push = await fake.pushReports(server.container.sms.accounts.reportUrl(setup.account.id), [{ bizId: sms.bizId, outId: sms.outId, success: true }]);
    expect(push.status).to.equal(200);
    expect((await server.container.sms.sender.status(sms.outId!)).status).to.equal('delivered');

    const callback = await ua.follow(new URL(formAction(codePage.html)!, codePage.url).href, { form: { csrf: inputValue(codePage.html, 'csrf')!, code: sms.params.code! } }, REDIRECT_URI);
    expect(callback.url.startsWith(REDIRECT_URI), callback.html.slice(0, 300)).to.equal(true);
    const tokens = await exchange(rp.config, req, callback.url);
    expect(tokens.claims()!.amr).to.deep.equal(['sms', 'otp']);
  });

  it('texts a +61 number the international template', async () => {
    const { ua, phonePage } = await signInScreens(server, rp.config);
    await submitPhone(ua, phonePage!, AU_MOBILE);
    await server.container.sms.worker.runOnce();
    const sent = fake.messages.at(-1)!;
    expect(sent).to.include({ phone: '61491570156', templateCode: INTERNATIONAL_LOGIN, signName: 'Codeword' });
    // Support sees which signature and approved template it went out with.
    const detail = await server.container.admin.messages.detail(sent.outId!);
    expect(detail.template).to.include({ purpose: 'login', signName: 'Codeword', providerTemplateCode: INTERNATIONAL_LOGIN });
  });

  it('shows "not delivered" on the code screen after a failed report', async () => {
    const { ua, phonePage } = await signInScreens(server, rp.config);
    const codePage = await submitPhone(ua, phonePage!, AU_MOBILE_2);
    await server.container.sms.worker.runOnce();
    const sms = fake.messages.at(-1)!;
    const base = codePage.url.replace(/\/code$/, '');
    expect(JSON.parse((await ua.request(`${base}/status`)).html)).to.include({ undelivered: false });
    await fake.pushReports(server.container.sms.accounts.reportUrl(setup.account.id), [{ bizId: sms.bizId, success: false, errCode: 'MK:0001' }]);
    expect(JSON.parse((await ua.request(`${base}/status`)).html)).to.include({ undelivered: true });
    expect((await ua.request(`${base}/code`)).html).to.contain('We could not deliver the text message');
  });
});

describe('SMS resources authorized per app', () => {
  let server: TestServer;
  let fake: FakeAlibaba;
  const clock = movableClock();
  const apps: Record<'a' | 'b' | 'c', Awaited<ReturnType<typeof registerClient>>> = {} as never;
  let accountId: string;

  before(async () => {
    fake = await startFakeAlibaba();
    server = await startServer({ now: clock.now, smsWorker: false });
    const sms = server.container.sms;
    for (const k of ['a', 'b', 'c'] as const) apps[k] = await registerClient(server, { clientId: `app-${k}` });
    const setup = await alibabaAccount(sms, fake, { name: 'Platform' });
    accountId = setup.account.id;
    // The account is for A and B only; A has its own international template, B uses the general one.
    await sms.resources.access.set(accountId, { general: false, clientIds: ['app-a', 'app-b'] });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
    approve(fake, 'SMS_300000001', 'App A says: your code is ${code}', 'international');
    await sms.resources.templates.create({ accountId, code: 'SMS_300000001', purpose: 'login', region: 'international', params: { code: 'code' }, clientIds: ['app-a'] });
    await server.container.smsConnection.update({ enabled: true, accountId, clientIds: ['app-a', 'app-b', 'app-c'] });
    await createUser(server, 'olivia', 'olivia has a long password', { phoneNumber: AU_MOBILE });
  });
  after(async () => {
    await server.close();
    await fake.close();
  });
  beforeEach(() => clock.advance(61_000));

  async function sendsWith(app: 'a' | 'b', on: TestServer = server): Promise<string> {
    clock.advance(61_000);
    const { ua, phonePage } = await signInScreens(on, apps[app].config);
    expect(phonePage, `app ${app} offers SMS`).to.not.equal(undefined);
    await submitPhone(ua, phonePage!, AU_MOBILE);
    await on.container.sms.worker.runOnce();
    return fake.messages.at(-1)!.templateCode;
  }

  it('app A sends with its own template, app B with the general one, app C gets no SMS option', async () => {
    expect(await sendsWith('a')).to.equal('SMS_300000001');
    expect(await sendsWith('b')).to.equal(INTERNATIONAL_LOGIN);
    const c = await signInScreens(server, apps.c.config);
    expect(c.phonePage, 'no SMS option for app C').to.equal(undefined);
    expect(c.login.html).not.to.contain('Sign in with a text message');
    // Going to the SMS screen anyway is refused, and nothing is texted.
    const sent = fake.messages.length;
    const uid = new URL(c.login.url).pathname.split('/')[2]!;
    expect((await c.ua.request(`${server.url}/interaction/${uid}/sms`)).status).to.equal(404);
    const posted = await c.ua.request(`${server.url}/interaction/${uid}/sms`, { form: { csrf: inputValue(c.login.html, 'csrf') ?? '', phone: AU_MOBILE } });
    expect(posted.status).to.equal(404);
    await server.container.sms.worker.runOnce();
    expect(fake.messages.length, 'nothing texted for app C').to.equal(sent);
    // Nor can a send for C go through the account it was not granted.
    const refused = await server.container.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '123456', clientId: 'app-c', accountId }).catch((e: Error & { code: string }) => e);
    expect(refused).to.include({ code: 'sms_not_configured' });
    // A send with no app (a reminder) uses general accounts only: this one is granted to A and B.
    const noApp = await server.container.sms.sender.enqueue({ purpose: 'password_expiry_reminder', to: AU_MOBILE }).catch((e: Error & { code: string; message: string }) => e);
    expect(noApp).to.include({ code: 'sms_not_configured' });
    expect((noApp as Error).message).to.match(/no verified general SMS account/);
  });

  it("on another instance, revoking app A's own template and app B's account grant takes effect within the settings cache time", async () => {
    // A second instance on the same database, its caches warm from a first send (an hour on: past the per-number caps).
    clock.advance(3_600_000);
    const other = await startServer({ database: server.database, now: clock.now, smsWorker: false });
    try {
      expect(await sendsWith('a', other)).to.equal('SMS_300000001');
      expect(await sendsWith('b', other)).to.equal(INTERNATIONAL_LOGIN);
      const own = (await server.container.sms.resources.templates.list({ accountId })).find((t) => t.code === 'SMS_300000001')!;
      await server.container.sms.resources.templates.update(own.id, { clientIds: [] });
      await server.container.sms.resources.access.set(accountId, { general: false, clientIds: ['app-a'] });
      // The other instance keeps grants in its settings cache; it reads the settings stamp at most SETTINGS_CHECK_MS apart.
      await new Promise((r) => setTimeout(r, SETTINGS_CHECK_MS + 20));
      expect(await sendsWith('a', other), 'A falls back to the general template').to.equal(INTERNATIONAL_LOGIN);
      expect((await signInScreens(other, apps.b.config)).phonePage, 'app B lost SMS on the other instance').to.equal(undefined);
    } finally {
      clock.advance(3_600_000);
      await other.close();
      const own = (await server.container.sms.resources.templates.list({ accountId })).find((t) => t.code === 'SMS_300000001')!;
      await server.container.sms.resources.templates.update(own.id, { clientIds: ['app-a'] });
      await server.container.sms.resources.access.set(accountId, { general: false, clientIds: ['app-a', 'app-b'] });
    }
  });

  it('revoking a grant takes effect (here at once; on other instances within the settings cache time)', async () => {
    await server.container.sms.resources.access.set(accountId, { general: false, clientIds: ['app-a'] });
    const b = await signInScreens(server, apps.b.config);
    expect(b.phonePage, 'app B lost SMS').to.equal(undefined);
    expect(await sendsWith('a')).to.equal('SMS_300000001');
  });
});
