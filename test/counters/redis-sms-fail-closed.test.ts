// With the counters in Redis and Redis cut (a TCP proxy in front of it): no SMS goes out without its limit check.
// The phone screen answers 503 "please try again", nothing is stored for sending and the fake Twilio receives
// nothing; once Redis is back the same number gets its code and signs in.
import { expect } from 'chai';
import { cuttableRedis, requireRedis, until } from '../helpers/redis.ts';
import { authorizationRequest, createUser, REDIRECT_URI } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';

const PHONE = '+61491570156';

describe('SMS with the counters in Redis fails closed', () => {
  let redis: Awaited<ReturnType<typeof cuttableRedis>>;
  let env: SmsTestEnv;

  before(async function () {
    await requireRedis(this);
    redis = await cuttableRedis();
    env = await startSmsEnv({ env: redis.env });
    await createUser(env.server, 'sam', 'sam has a long password', { phoneNumber: PHONE });
  });
  after(async () => {
    await env?.close();
    await redis?.close();
  });

  const readyz = async () => (await fetch(`${env.server.url}/readyz`)).status;
  const stored = async () => Number((await env.server.container.db('sms_messages').count({ n: '*' }).first())?.n ?? 0);

  /** The sign-in screen, "Sign in with a text message", then the number typed. */
  async function submitPhone(ua: UserAgent) {
    const login = await ua.follow((await authorizationRequest(env.rp.config)).url.href);
    const link = login.html.match(/action="([^"]*\/sms)"/)?.[1];
    expect(link, 'the SMS option is offered').to.be.a('string');
    const page = await ua.follow(new URL(link!, login.url).href);
    return ua.request(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')!, phone: PHONE } });
  }

  it('sends no code while Redis is cut, and the same number signs in once it is back', async () => {
    expect(await readyz()).to.equal(200);
    const before = await stored();
    const outage = redis.proxy.outage(2500);
    await until(async () => (await readyz()) === 503);
    const ua = new UserAgent();
    const refused = await submitPhone(ua);
    expect(refused.status).to.equal(503);
    expect(refused.html).to.match(/try again/i);
    await env.deliver();
    expect(await stored(), 'nothing stored for sending').to.equal(before);
    expect(env.fake.messagesTo(PHONE), 'nothing texted').to.have.length(0);

    await outage;
    await until(async () => (await readyz()) === 200);
    const again = new UserAgent();
    const sent = await submitPhone(again);
    expect(sent.status).to.equal(303);
    const codePage = await again.follow(new URL(sent.headers.get('location')!, sent.url).href);
    await env.deliver();
    const code = env.fake.lastCode(PHONE);
    expect(code, 'the code was texted').to.be.a('string');
    const callback = await again.follow(new URL(formAction(codePage.html)!, codePage.url).href, { form: { csrf: inputValue(codePage.html, 'csrf')!, code: code! } }, REDIRECT_URI);
    expect(new URL(callback.url).searchParams.has('code'), callback.url).to.equal(true);
  });
});
