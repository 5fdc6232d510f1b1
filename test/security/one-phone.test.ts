// One phone is not two factors: after a password reset by SMS, that phone cannot be the second factor of a sign-in for 24 hours.
import { expect } from 'chai';
import { ACR } from '../../src/oidc/acr.ts';
import { policyInputSchema } from '../../src/policies/schema.ts';
import { authorizationRequest, createUser, exchange, REDIRECT_URI } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';
import { next, submit } from '../reset/harness.ts';

const PHONE = '+61491570160';
const NEW_PASSWORD = 'a brand new long passphrase';

describe('security: one phone is not two factors', () => {
  let env: SmsTestEnv;

  before(async () => {
    env = await startSmsEnv();
    const c = env.server.container;
    await c.smsFactor.save({ active: true, accountId: env.accountId });
    const policy = await c.policies.create(policyInputSchema.parse({ name: 'Staff', mfa: { factors: ['sms'], required: 'always' }, passwordUpdate: { methods: ['sms'] } }));
    const zoe = await createUser(env.server, 'zoe', 'zoe has a long password', { phoneNumber: PHONE });
    await c.policies.assignUser(zoe.id, policy.id);
  });
  after(() => env.close());

  const form = (ua: UserAgent, page: Page, fields: Record<string, string>) =>
    ua.follow(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf') ?? '', ...fields } }, REDIRECT_URI);

  async function resetBySms() {
    const ua = new UserAgent();
    const login = await ua.follow((await authorizationRequest(env.rp.config)).url.href);
    const start = await ua.request(`${login.url}/reset`);
    const method = await next(ua, await submit(ua, start, { login: 'zoe' }));
    const code = await next(ua, await submit(ua, method, { method: 'sms' }));
    await env.deliver();
    const password = await next(ua, await submit(ua, code, { code: env.fake.lastCode(PHONE)! }));
    const done = await next(ua, await submit(ua, password, { password: NEW_PASSWORD, confirm: NEW_PASSWORD }));
    expect(done.url).to.match(/\/reset\/done$/);
  }

  async function signIn() {
    const ua = new UserAgent();
    const req = await authorizationRequest(env.rp.config);
    const page = await ua.follow(req.url.href);
    return { ua, req, after: await form(ua, page, { login: 'zoe', password: NEW_PASSWORD }) };
  }

  it('refuses the reset phone as second factor for 24 hours after the reset, then accepts it again', async () => {
    await resetBySms();
    env.clock.advance(60_000);
    const soon = await signIn();
    expect(soon.after.status).to.equal(403);
    expect(soon.after.html).to.contain('cannot also confirm this sign-in');
    expect(soon.after.url.startsWith(REDIRECT_URI)).to.equal(false);

    env.clock.advance(23 * 3600_000);
    expect((await signIn()).after.status, 'still within 24 hours').to.equal(403);

    env.clock.advance(3600_000);
    const later = await signIn();
    expect(later.after.url).to.match(/\/mfa\/code$/);
    await env.deliver();
    const callback = await form(later.ua, later.after, { code: env.fake.lastCode(PHONE)! });
    expect((await exchange(env.rp.config, later.req, callback.url)).claims()!.acr).to.equal(ACR.passwordAndSms);
  });
});
