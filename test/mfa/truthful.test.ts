// The MFA code screen says what happened: a code held back by the number's hourly budget reads "not sent", why, and
// when to ask again in words — never "we sent a code", and a typed code is never called wrong when none was sent.
import { expect } from 'chai';
import { counterKey } from '../../src/counters/index.ts';
import { policyInputSchema } from '../../src/policies/schema.ts';
import { defaultSendCeilings } from '../../src/sms/limits/index.ts';
import { authorizationRequest, createUser, REDIRECT_URI, submitLogin } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';

const PHONE = '+61491570171';
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;|\u00a0/g, ' ').replace(/\s+/g, ' ');

describe('SMS second factor: the code screen tells the truth', () => {
  let env: SmsTestEnv;

  before(async () => {
    // At the top of an hour, so the hourly window left reads as "in 55 minutes" after five minutes.
    env = await startSmsEnv();
    env.clock.advance(3_600_000 - (env.clock.now() % 3_600_000));
    const c = env.server.container;
    await c.smsFactor.save({ active: true, accountId: env.accountId });
    const policy = await c.policies.create(policyInputSchema.parse({ name: 'Staff', mfa: { factors: ['sms'], required: 'always' } }));
    const zoe = await createUser(env.server, 'zoe', 'zoe has a long password', { phoneNumber: PHONE });
    await c.policies.assignUser(zoe.id, policy.id);
  });
  after(() => env.close());

  async function toCode(lang = 'en') {
    const ua = new UserAgent();
    const auth = await authorizationRequest(env.rp.config, { ui_locales: lang });
    const page = await submitLogin(ua, await ua.follow(auth.url.href), 'zoe', 'zoe has a long password');
    expect(page.url).to.match(/\/mfa\/code$/);
    await env.deliver();
    return { ua, page };
  }

  it('says "we sent" when a code was texted', async () => {
    const { page } = await toCode();
    expect(text(page.html)).to.contain('We sent a code by text message to');
    expect(page.html).not.to.contain('id="not-sent"');
  });

  it('says the code was not sent, why, and when to ask again in words once the number’s hourly budget is spent', async () => {
    env.clock.advance(5 * 60_000);
    // The server's own counter store (the database, or Redis with REDIS_URL).
    const { counters } = env.server.container;
    for (let i = 0; i < defaultSendCeilings.provenPerPhonePerHour; i++) await counters.add(counterKey('sms_proven', PHONE), { seconds: 3600 });
    const before = env.fake.messagesTo(PHONE).length;
    const { ua, page } = await toCode();
    expect(env.fake.messagesTo(PHONE).length, 'nothing was texted').to.equal(before);
    const shown = text(page.html);
    expect(shown).not.to.contain('We sent');
    expect(shown).to.contain('No code was sent to');
    expect(shown).to.contain('most sign-in codes allowed in an hour');
    expect(shown).to.contain('You can ask for a new code in 55 minutes');
    expect(shown).not.to.match(/\d+ ?s(econds)?\b/);

    // The code of the earlier sign-in is not this sign-in's: the answer says none was sent, not "wrong code".
    const code = env.fake.lastCode(PHONE)!;
    const answer = await ua.request(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')!, code } });
    expect(answer.status).to.equal(409);
    expect(text(answer.html)).to.contain('No code was sent for this sign-in');
    expect(text(answer.html)).not.to.contain('not correct');
  });

  it('says it in the screen language', async () => {
    const { page } = await toCode('de');
    expect(text(page.html)).to.contain('wurde kein Code gesendet');
    expect(text(page.html)).to.match(/in 55 Minuten/);
  });

  it('a sign-in after the hour texts again and says so', async () => {
    env.clock.advance(60 * 60_000);
    const { ua, page } = await toCode();
    expect(text(page.html)).to.contain('We sent a code');
    const callback = await ua.follow(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')!, code: env.fake.lastCode(PHONE)! } }, REDIRECT_URI);
    expect(callback.url.startsWith(REDIRECT_URI)).to.equal(true);
  });
});
