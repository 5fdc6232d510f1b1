// A user who must pass SMS MFA but has no phone may add one at sign-in when the policy allows it: saved only once its code is proven.
import { expect } from 'chai';
import { ACR } from '../../src/oidc/acr.ts';
import { policyInputSchema } from '../../src/policies/schema.ts';
import { authorizationRequest, createUser, exchange, REDIRECT_URI, submitLogin } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';

const NEW_PHONE = '+61491570180';

describe('SMS second factor: adding a phone at sign-in', () => {
  let env: SmsTestEnv;

  before(async () => {
    env = await startSmsEnv();
    const c = env.server.container;
    await c.smsFactor.save({ active: true, accountId: env.accountId });
    const enrol = await c.policies.create(policyInputSchema.parse({ name: 'Enrol', mfa: { factors: ['sms'], required: 'always', enrolPhone: true } }));
    const strict = await c.policies.create(policyInputSchema.parse({ name: 'Strict', mfa: { factors: ['sms'], required: 'always' } }));
    for (const [name, policy, extra] of [
      ['kai', enrol.id, {}],
      ['ada', enrol.id, { roles: ['admin'] }],
      ['lou', strict.id, {}],
    ] as const) {
      const u = await createUser(env.server, name, `${name} has a long password`, { phoneNumber: null, phoneNumberVerified: false, ...extra });
      await c.policies.assignUser(u.id, policy);
    }
  });
  after(() => env.close());
  beforeEach(() => env.clock.advance(60_000));

  const form = (ua: UserAgent, page: Page, fields: Record<string, string>) =>
    ua.follow(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf') ?? '', ...fields } }, REDIRECT_URI);

  async function passwordStep(login: string) {
    const ua = new UserAgent();
    const req = await authorizationRequest(env.rp.config);
    return { ua, req, next: await submitLogin(ua, await ua.follow(req.url.href), login, `${login} has a long password`) };
  }

  it('is off by default, and never for admins: they are told to contact support', async () => {
    for (const login of ['lou', 'ada']) {
      const { next } = await passwordStep(login);
      expect(next.status, login).to.equal(403);
      expect(next.html).to.contain('Confirmation by text message required');
    }
  });

  it('asks for a number, texts it a code, saves it verified only once the code is right; that sign-in ends with the password acr', async () => {
    const { ua, req, next } = await passwordStep('kai');
    expect(next.url).to.match(/\/mfa\/enrol$/);
    const code = await form(ua, next, { phone: NEW_PHONE });
    expect(code.url).to.match(/\/mfa\/code$/);
    const c = env.server.container;
    expect((await c.users.findByLogin('kai'))!.phoneNumber, 'not saved before the code').to.equal(null);
    const wrong = await form(ua, code, { code: '000000' });
    expect(wrong.status).to.equal(401);
    await env.deliver();
    const callback = await form(ua, code, { code: env.fake.lastCode(NEW_PHONE)! });
    expect(callback.url.startsWith(REDIRECT_URI)).to.equal(true);
    const claims = (await exchange(env.rp.config, req, callback.url)).claims()!;
    expect(claims.acr).to.equal(ACR.password);
    expect(claims.amr).to.deep.equal(['pwd']);
    const kai = (await c.users.findByLogin('kai'))!;
    expect(kai.phoneNumber).to.equal(NEW_PHONE);
    expect(kai.phoneNumberVerified).to.equal(true);
    const events = await c.db('audit_events').where({ action: 'user.phone_enrolled', target: kai.id });
    expect(events).to.have.length(1);
  });

  it('asks the next sign-in for the code texted to the added phone', async () => {
    const { ua, req, next } = await passwordStep('kai');
    expect(next.url).to.match(/\/mfa\/code$/);
    await env.deliver();
    const callback = await form(ua, next, { code: env.fake.lastCode(NEW_PHONE)! });
    expect((await exchange(env.rp.config, req, callback.url)).claims()!.acr).to.equal(ACR.passwordAndSms);
  });
});
