// Abandoning an MFA sign-in and starting a new one texts a new code at once: the resend cooldown does not hold back its first code.
import { expect } from 'chai';
import { policyInputSchema } from '../../src/policies/schema.ts';
import { authorizationRequest, createUser, REDIRECT_URI, submitLogin } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';

const PHONE = '+61491570170';

describe('SMS second factor: a new sign-in after an abandoned one', () => {
  let env: SmsTestEnv;

  before(async () => {
    env = await startSmsEnv();
    const c = env.server.container;
    await c.smsFactor.save({ active: true, accountId: env.accountId });
    const policy = await c.policies.create(policyInputSchema.parse({ name: 'Staff', mfa: { factors: ['sms'], required: 'always' } }));
    const lea = await createUser(env.server, 'lea', 'lea has a long password', { phoneNumber: PHONE });
    await c.policies.assignUser(lea.id, policy.id);
  });
  after(() => env.close());

  async function toCode() {
    const ua = new UserAgent();
    const page = await submitLogin(ua, await ua.follow((await authorizationRequest(env.rp.config)).url.href), 'lea', 'lea has a long password');
    expect(page.url).to.match(/\/mfa\/code$/);
    await env.deliver();
    return { ua, page };
  }

  it('texts the first code of the new sign-in within the cooldown, and that code signs in', async () => {
    await toCode();
    const before = env.fake.messagesTo(PHONE).length;
    const { ua, page } = await toCode();
    expect(env.fake.messagesTo(PHONE).length, 'a new code was texted').to.equal(before + 1);
    const code = env.fake.lastCode(PHONE)!;
    const callback = await ua.follow(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')!, code } }, REDIRECT_URI);
    expect(callback.url.startsWith(REDIRECT_URI)).to.equal(true);
  });

  it('still holds back a resend within the same sign-in, and its code screen says how long, as the send left it', async () => {
    const { ua, page } = await toCode();
    expect(page.html).to.contain('You can ask for a new code in 30 seconds').and.match(/id="resend"[^>]*disabled/);
    const resend = await ua.request(new URL(formAction(page.html, 1)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')! } });
    expect(resend.status).to.equal(429);
    env.clock.advance(30_000);
    const due = await ua.request(page.url);
    expect(due.html).not.to.contain('You can ask for a new code').and.not.match(/id="resend"[^>]*disabled/);
    const again = await ua.request(new URL(formAction(due.html, 1)!, due.url).href, { form: { csrf: inputValue(due.html, 'csrf')! } });
    expect(again.status).to.equal(303);
  });
});
