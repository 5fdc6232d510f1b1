// Reset and SMS MFA choose their Alibaba Cloud resources by the app the user came from, as passwordless sign-in does:
// an app's own templates are used, and an app not granted them never sends through them.
import { expect } from 'chai';
import { policyInputSchema } from '../../src/policies/schema.ts';
import { type FakeAlibaba, startFakeAlibaba } from '../fakes/fake-alibaba.ts';
import { authorizationRequest, createUser, registerClient, submitLogin } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';
import { alibabaAccount, approve } from './alibaba-setup.ts';
import { AU_MOBILE, AU_MOBILE_2 } from './harness.ts';

const A_RESET = 'SMS_400000001';
const A_MFA = 'SMS_500000001';

describe('reset and SMS MFA through an app-owned Alibaba Cloud account', () => {
  let server: TestServer;
  let fake: FakeAlibaba;
  let t = Date.now();
  const apps: Record<'a' | 'b', Awaited<ReturnType<typeof registerClient>>> = {} as never;

  before(async () => {
    fake = await startFakeAlibaba();
    server = await startServer({ now: () => t, smsWorker: false });
    const c = server.container;
    for (const k of ['a', 'b'] as const) apps[k] = await registerClient(server, { clientId: `app-${k}` });
    const { account } = await alibabaAccount(c.sms, fake, { name: 'Platform' });
    // The account is granted to A and B; only A has reset and MFA templates (its own).
    await c.sms.resources.access.set(account.id, { general: false, clientIds: ['app-a', 'app-b'] });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
    approve(fake, A_RESET, 'App A reset code ${code}', 'international');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
    approve(fake, A_MFA, 'App A sign-in check ${code}', 'international');
    for (const [code, purpose] of [[A_RESET, 'reset_password'], [A_MFA, 'mfa']] as const) {
      await c.sms.resources.templates.create({ accountId: account.id, code, purpose, region: 'international', params: { code: 'code' }, clientIds: ['app-a'] });
    }
    await c.smsFactor.save({ active: true, accountId: account.id });
    const policy = await c.policies.create(policyInputSchema.parse({ name: 'SMS', mfa: { factors: ['sms'], required: 'always' }, passwordUpdate: { methods: ['sms'] } }));
    for (const [login, phone] of [['rita', AU_MOBILE], ['mick', AU_MOBILE_2]] as const) {
      const user = await createUser(server, login, `${login} has a long password`, { phoneNumber: phone });
      await c.policies.assignUser(user.id, policy.id);
    }
  });
  after(async () => {
    await server?.close();
    await fake?.close();
  });
  beforeEach(() => {
    t += 120_000;
  });

  const submit = (ua: UserAgent, page: Page, fields: Record<string, string>) =>
    ua.follow(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf') ?? '', ...fields } });

  /** From app `app`'s sign-in screen through "forgot password" to the code screen; returns what the fake was sent. */
  async function resetFrom(app: 'a' | 'b', login: string) {
    const ua = new UserAgent();
    const signIn = await ua.follow((await authorizationRequest(apps[app].config)).url.href);
    const uid = new URL(signIn.url).pathname.split('/')[2]!;
    const start = await ua.follow(`${server.url}/interaction/${uid}/reset`);
    const method = await submit(ua, start, { login });
    const before = fake.messages.length;
    const code = await submit(ua, method, { method: 'sms' });
    await server.container.sms.worker.runOnce();
    return { code, sent: fake.messages.slice(before) };
  }

  it("a password reset started from app A is texted with A's own reset template", async () => {
    const { code, sent } = await resetFrom('a', 'rita');
    expect(code.url, code.html.slice(0, 300)).to.match(/\/reset\/code$/);
    expect(sent.map((m) => m.templateCode)).to.deep.equal([A_RESET]);
  });

  it("app B, which was not granted A's reset template, offers no reset by SMS and texts nothing through A's", async () => {
    const ua = new UserAgent();
    const signIn = await ua.follow((await authorizationRequest(apps.b.config)).url.href);
    const uid = new URL(signIn.url).pathname.split('/')[2]!;
    const before = fake.messages.length;
    // Said before any login is typed: a known user and an unknown one see the same screen.
    const start = await ua.follow(`${server.url}/interaction/${uid}/reset`);
    expect(start.html).to.contain('cannot be reset online');
    expect(formAction(start.html)).to.equal(undefined);
    await server.container.sms.worker.runOnce();
    expect(fake.messages.length).to.equal(before);
  });

  it("the SMS second factor of a sign-in to app A is texted with A's own MFA template", async () => {
    const ua = new UserAgent();
    const page = await ua.follow((await authorizationRequest(apps.a.config)).url.href);
    const before = fake.messages.length;
    const next = await submitLogin(ua, page, 'rita', 'rita has a long password');
    expect(next.url).to.match(/\/mfa\/code$/);
    await server.container.sms.worker.runOnce();
    expect(fake.messages.slice(before).map((m) => m.templateCode)).to.deep.equal([A_MFA]);
  });
});
