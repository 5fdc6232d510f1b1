// A password past its policy's maximum age does not sign in: the sign-in goes through a new password first.
import { expect } from 'chai';
import { ACR } from '../../src/oidc/acr.ts';
import { policyInputSchema } from '../../src/policies/schema.ts';
import { verifyPassword } from '../../src/security/passwords.ts';
import { authorizationRequest, createUser, exchange, REDIRECT_URI } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';

const DAY = 24 * 3600_000;

describe('security: expired passwords', () => {
  let env: SmsTestEnv;

  before(async () => {
    env = await startSmsEnv();
    const c = env.server.container;
    const policy = await c.policies.create(policyInputSchema.parse({ name: 'Rotating', password: { maxAgeDays: 30, reminderDays: null } }));
    const yan = await createUser(env.server, 'yan', 'yan has a long password');
    await c.users.setPassword(yan.id, yan.passwordHash!);
    await c.policies.assignUser(yan.id, policy.id);
  });
  after(() => env.close());

  const form = (ua: UserAgent, page: Page, fields: Record<string, string>) =>
    ua.follow(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf') ?? '', ...fields } }, REDIRECT_URI);

  async function signIn(password: string) {
    const ua = new UserAgent();
    const req = await authorizationRequest(env.rp.config);
    return { ua, req, after: await form(ua, await ua.follow(req.url.href), { login: 'yan', password }) };
  }

  it('signs in while the password is within its maximum age', async () => {
    env.clock.advance(29 * DAY);
    expect((await signIn('yan has a long password')).after.url.startsWith(REDIRECT_URI)).to.equal(true);
  });

  it('routes a sign-in with an expired password to a new password, then finishes it', async () => {
    env.clock.advance(2 * DAY);
    const { ua, req, after } = await signIn('yan has a long password');
    expect(after.url).to.match(/\/interaction\/[^/]+\/password\/change$/);
    expect(after.html).to.contain('Your password has expired.');
    const same = await form(ua, after, { password: 'yan has a long password', confirm: 'yan has a long password' });
    expect(same.status).to.equal(400);
    expect(same.html).to.contain('must differ from the expired one');
    const short = await form(ua, after, { password: 'short', confirm: 'short' });
    expect(short.status).to.equal(400);
    const callback = await form(ua, after, { password: 'yan picked a new passphrase', confirm: 'yan picked a new passphrase' });
    expect(callback.url.startsWith(REDIRECT_URI)).to.equal(true);
    expect((await exchange(env.rp.config, req, callback.url)).claims()!.acr).to.equal(ACR.password);
    const yan = await env.server.container.users.findByLogin('yan');
    expect(await verifyPassword(yan!.passwordHash, 'yan picked a new passphrase')).to.equal(true);
    expect((await signIn('yan picked a new passphrase')).after.url.startsWith(REDIRECT_URI)).to.equal(true);
  });

  it('does not let the change screen be used without a password proven in this sign-in', async () => {
    const ua = new UserAgent();
    const req = await authorizationRequest(env.rp.config);
    const login = await ua.follow(req.url.href);
    const res = await ua.request(`${login.url}/password/change`);
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal(new URL(login.url).pathname);
  });
});
