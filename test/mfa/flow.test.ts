// SMS as a second factor after the password, end to end with openid-client against the fake Twilio.
import { expect } from 'chai';
import { ACR } from '../../src/oidc/acr.ts';
import { policyInputSchema } from '../../src/policies/schema.ts';
import { authorizationRequest, createUser, exchange, REDIRECT_URI, submitLogin } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';

describe('SMS second factor at sign-in', () => {
  let env: SmsTestEnv;
  let strictPolicy: string;

  before(async () => {
    env = await startSmsEnv();
    const c = env.server.container;
    await c.smsFactor.save({ active: true, accountId: env.accountId, phoneField: { source: 'custom_attribute', attribute: 'mobile' } });
    const strict = await c.policies.create(policyInputSchema.parse({ name: 'Staff', mfa: { factors: ['sms'], required: 'always' } }));
    strictPolicy = strict.id;
    const mona = await createUser(env.server, 'mona', 'mona has a long password', { phoneNumber: null, customAttributes: { mobile: '0491 570 156' } });
    await c.policies.assignUser(mona.id, strictPolicy);
    const ned = await createUser(env.server, 'ned', 'ned has a long password', { phoneNumber: null });
    await c.policies.assignUser(ned.id, strictPolicy);
    await createUser(env.server, 'olga', 'olga has a long password', { phoneNumber: '+61491570157' });
    await c.smsFactor.save({ defaultCountry: 'AU' });
  });
  after(() => env.close());
  beforeEach(() => env.clock.advance(60_000));

  async function passwordStep(login: string, password: string, params: Record<string, string> = {}) {
    const ua = new UserAgent();
    const req = await authorizationRequest(env.rp.config, params);
    const page = await ua.follow(req.url.href);
    const next = await submitLogin(ua, page, login, password);
    return { ua, req, next };
  }

  const submitCode = (ua: UserAgent, page: Page, code: string) =>
    ua.follow(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')!, code } }, REDIRECT_URI);

  it('asks for a code texted to the mapped custom attribute; the ID token says pwd + sms + mfa', async () => {
    const { ua, req, next } = await passwordStep('mona', 'mona has a long password');
    expect(next.url).to.match(/\/interaction\/[^/]+\/mfa\/code$/);
    expect(next.html).to.contain('Verification code').and.contain('+61 ••• ••• 0156');
    await env.deliver();
    const code = env.fake.lastCode('+61491570156')!;
    expect(env.fake.messagesTo('+61491570156').at(-1)!.body).to.contain(code);
    const wrong = await submitCode(ua, next, code === '000000' ? '111111' : '000000');
    expect(wrong.status).to.equal(401);
    const callback = await submitCode(ua, next, code);
    expect(callback.url.startsWith(REDIRECT_URI)).to.equal(true);
    const claims = (await exchange(env.rp.config, req, callback.url)).claims()!;
    expect(claims.amr).to.deep.equal(['pwd', 'sms', 'mfa']);
    expect(claims.acr).to.equal(ACR.passwordAndSms);
  });

  it('stops a user who must use MFA but has no usable phone, and says to contact support', async () => {
    const { next } = await passwordStep('ned', 'ned has a long password');
    expect(next.status).to.equal(403);
    expect(next.html).to.contain('Confirmation by text message required').and.contain('Contact');
    expect(next.url.startsWith(REDIRECT_URI)).to.equal(false);
  });

  it('does not ask users of a policy without MFA, unless the app asks for acr urn:codeword:acr:mfa', async () => {
    await env.server.container.smsFactor.save({ phoneField: { source: 'phone_number' } });
    try {
      const plain = await passwordStep('olga', 'olga has a long password');
      expect(plain.next.url.startsWith(REDIRECT_URI)).to.equal(true);
      const claims = (await exchange(env.rp.config, plain.req, plain.next.url)).claims()!;
      expect(claims.amr).to.deep.equal(['pwd']);

      const asked = await passwordStep('olga', 'olga has a long password', { acr_values: ACR.passwordAndSms });
      expect(asked.next.url).to.match(/\/mfa\/code$/);
      await env.deliver();
      const callback = await submitCode(asked.ua, asked.next, env.fake.lastCode('+61491570157')!);
      expect((await exchange(env.rp.config, asked.req, callback.url)).claims()!.acr).to.equal(ACR.passwordAndSms);
    } finally {
      await env.server.container.smsFactor.save({ phoneField: { source: 'custom_attribute', attribute: 'mobile' } });
    }
  });

  it('does not accept a passwordless sign-in code as a second factor code', async () => {
    const { ua, next } = await passwordStep('mona', 'mona has a long password');
    const uid = next.url.match(/\/interaction\/([^/]+)\//)![1]!;
    const loginCode = await env.server.container.codes.issue({ purpose: 'login', flowId: uid, phone: '+61491570156', length: 6, lifetimeSeconds: 300, maxAttempts: 5 });
    const res = await submitCode(ua, next, loginCode.code);
    expect(res.status).to.equal(401);
  });
});
