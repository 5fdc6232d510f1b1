// Nobody can lock a user out through the limits: reset requests for their username leave their MFA code alone.
import { expect } from 'chai';
import { authorizationRequest, createUser, REDIRECT_URI, submitLogin } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';

describe('SMS limits cannot be turned against a user', () => {
  let env: SmsTestEnv;
  const phone = '+61491570158';

  before(async () => {
    env = await startSmsEnv();
    const c = env.server.container;
    await c.smsFactor.save({ active: true, accountId: env.accountId });
    const policy = await c.policies.getDefault();
    await c.policies.update(policy.id, { mfa: { factors: ['sms'], required: 'always' }, passwordUpdate: { methods: ['sms'] } });
    await createUser(env.server, 'vera', 'vera has a long password', { phoneNumber: phone });
  });
  after(() => env.close());

  const submit = (ua: UserAgent, page: Page, fields: Record<string, string>) =>
    ua.request(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf') ?? '', ...fields } });
  const follow = (ua: UserAgent, page: Page) => ua.request(new URL(page.headers.get('location')!, page.url).href);

  /** Someone who knows only the username asks for a reset code, as far as the code screen. */
  async function resetRequest(): Promise<number> {
    const ua = new UserAgent();
    const page = await ua.follow((await authorizationRequest(env.rp.config)).url.href);
    const uid = new URL(page.url).pathname.split('/')[2]!;
    const start = await ua.request(`${env.server.url}/interaction/${uid}/reset`);
    const method = await follow(ua, await submit(ua, start, { login: 'vera' }));
    return (await submit(ua, method, { method: 'sms' })).status;
  }

  it('after six reset requests for the username, the user still gets the code of their sign-in and finishes it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push(await resetRequest());
    expect(statuses.slice(0, 5)).to.deep.equal([303, 303, 303, 303, 303]);
    await env.deliver();
    const before = env.fake.messagesTo(phone).length;

    const ua = new UserAgent();
    const req = await authorizationRequest(env.rp.config);
    const code = await submitLogin(ua, await ua.follow(req.url.href), 'vera', 'vera has a long password');
    expect(code.url).to.match(/\/mfa\/code$/);
    expect(code.status).to.equal(200);
    await env.deliver();
    expect(env.fake.messagesTo(phone)).to.have.length(before + 1);
    const texted = env.fake.lastCode(phone)!;
    const done = await ua.follow(new URL(formAction(code.html)!, code.url).href, { form: { csrf: inputValue(code.html, 'csrf')!, code: texted } }, REDIRECT_URI);
    expect(done.url.startsWith(REDIRECT_URI)).to.equal(true);
  });
});
