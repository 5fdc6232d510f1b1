// Code rules seen through the screens: expiry, attempt limit, newest code only, single use under double submit, send limits.
import { expect } from 'chai';
import { authorizationRequest, createUser, REDIRECT_URI } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';

const PHONE = '+61491570159';

describe('passwordless sign-in: code and send rules', () => {
  let env: SmsTestEnv;

  before(async () => {
    env = await startSmsEnv({ connection: { codeLifetimeSeconds: 120, maxAttempts: 5, resendCooldownSeconds: 30, perPhonePerHour: 50 } });
    await createUser(env.server, 'ivy', 'ivy has a long password', { phoneNumber: PHONE });
  });
  after(() => env.close());
  beforeEach(() => {
    // Past the resend cooldown, the hourly caps and the per-number failure window of the previous test.
    env.clock.advance(25 * 3_600_000);
  });

  /** Starts a sign-in, submits the number, delivers the SMS; returns the code screen and the texted code. */
  async function codeScreen(ua = new UserAgent()) {
    const login = await ua.follow((await authorizationRequest(env.rp.config)).url.href);
    const uid = login.url.match(/\/interaction\/([^/?]+)/)![1]!;
    const phonePage = await ua.request(`${env.server.url}/interaction/${uid}/sms`);
    const sent = await ua.request(`${env.server.url}/interaction/${uid}/sms`, { form: { csrf: inputValue(phonePage.html, 'csrf')!, phone: PHONE } });
    expect(sent.status, sent.html.slice(0, 300)).to.equal(303);
    const page = await ua.request(`${env.server.url}/interaction/${uid}/sms/code`);
    await env.deliver();
    return { ua, uid, page, code: env.fake.lastCode(PHONE)! };
  }

  const submit = (ua: UserAgent, page: Page, code: string) =>
    ua.follow(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')!, code } }, REDIRECT_URI);
  const signedIn = (p: Page) => p.url.startsWith(REDIRECT_URI) && new URL(p.url).searchParams.has('code');

  it('refuses the right code once its lifetime has passed', async () => {
    const { ua, page, code } = await codeScreen();
    env.clock.advance(121_000);
    const res = await submit(ua, page, code);
    expect(res.status).to.equal(401);
    expect(res.html).to.contain('That code is not correct or has expired.');
  });

  it('refuses the right code after 5 wrong ones', async () => {
    const { ua, page, code } = await codeScreen();
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await submit(ua, page, wrong)).status).to.be.oneOf([401, 429]);
    env.clock.advance(20_000); // past the short per-number delay, within the code's lifetime: the code itself is spent
    const res = await submit(ua, page, code);
    expect(signedIn(res)).to.equal(false);
    expect(res.status, res.html.match(/role="alert"[^>]*>([^<]*)/)?.[1]).to.equal(401);
  });

  it('accepts only the newest code after a resend', async () => {
    const { ua, uid, page, code: first } = await codeScreen();
    env.clock.advance(31_000);
    const resent = await ua.request(`${env.server.url}/interaction/${uid}/sms/resend`, { form: { csrf: inputValue(page.html, 'csrf')! } });
    expect(resent.status).to.equal(303);
    await env.deliver();
    const second = env.fake.lastCode(PHONE)!;
    expect(second).not.to.equal(first);
    if (first !== second) expect((await submit(ua, page, first)).status).to.equal(401);
    env.clock.advance(5_000);
    const ok = await submit(ua, page, second);
    expect(signedIn(ok), ok.html.match(/role="alert"[^>]*>([^<]*)/)?.[1]).to.equal(true);
  });

  it('gives exactly one success to two parallel submissions of the right code', async () => {
    const { ua, page, code } = await codeScreen();
    const url = new URL(formAction(page.html)!, page.url).href;
    const form = { csrf: inputValue(page.html, 'csrf')!, code };
    const results = await Promise.all([ua.request(url, { form }), ua.request(url, { form })]);
    expect(results.filter((r) => r.status === 303)).to.have.length(1);
  });

  it('makes a resend wait for the cooldown and says how long', async () => {
    const { ua, uid, page } = await codeScreen();
    expect(page.html).to.match(/You can ask for a new code in \d+ seconds/);
    expect(page.html).to.match(/id="resend"[^>]*disabled/);
    const early = await ua.request(`${env.server.url}/interaction/${uid}/sms/resend`, { form: { csrf: inputValue(page.html, 'csrf')! } });
    expect(early.status).to.equal(429);
    expect(early.html).to.match(/Try again in \d+ seconds\./);
    expect(Number(early.headers.get('retry-after'))).to.be.within(1, 30);
  });

  it('shows the resend wait the send left without reading the counters; a reload, a wrong code and a resend show what is left', async () => {
    const counterReads: string[] = [];
    // Counter statements of the code screen (not the settings stamp, read now and then whatever the screen).
    const onQuery = (q: { sql: string; bindings?: unknown[] }) => {
      if (/counters/.test(q.sql) && !(q.bindings ?? []).some((b) => String(b).startsWith('settings_version'))) counterReads.push(q.sql);
    };
    const screen = async (ua: UserAgent, uid: string, query = '') => {
      env.server.container.db.on('query', onQuery);
      try {
        return await ua.request(`${env.server.url}/interaction/${uid}/sms/code${query}`);
      } finally {
        env.server.container.db.off('query', onQuery);
      }
    };
    const { ua, uid, page } = await codeScreen();
    expect(page.html).to.contain('You can ask for a new code in 30 seconds');
    expect((await screen(ua, uid)).html).to.contain('You can ask for a new code in 30 seconds');
    env.clock.advance(12_000);
    const later = await screen(ua, uid);
    expect(later.html).to.contain('You can ask for a new code in 18 seconds').and.match(/id="resend"[^>]*disabled/);
    const wrong = await submit(ua, later, '000000');
    expect(wrong.status).to.equal(401);
    expect(wrong.html).to.contain('You can ask for a new code in 18 seconds');
    env.clock.advance(18_000);
    const due = await screen(ua, uid);
    expect(due.html).not.to.contain('You can ask for a new code');
    expect(due.html).not.to.match(/id="resend"[^>]*disabled/);
    expect(counterReads, counterReads.join('\n')).to.deep.equal([]);
    const resent = await ua.request(`${env.server.url}/interaction/${uid}/sms/resend`, { form: { csrf: inputValue(due.html, 'csrf')! } });
    expect(resent.status).to.equal(303);
    expect((await screen(ua, uid, '?resent=1')).html).to.contain('You can ask for a new code in 30 seconds');
  });

  it("after the send that fills the number's hourly cap, the code screen says to wait for the next hour", async () => {
    await env.server.container.smsConnection.update({ perPhonePerHour: 1, resendCooldownSeconds: 0 });
    try {
      env.clock.advance(3_600_000 - (env.clock.now() % 3_600_000) + 20 * 60_000); // 20 minutes into an hour
      const { ua, uid, page } = await codeScreen();
      expect(page.html).to.contain('You can ask for a new code in 40 minutes').and.match(/id="resend"[^>]*disabled/);
      const early = await ua.request(`${env.server.url}/interaction/${uid}/sms/resend`, { form: { csrf: inputValue(page.html, 'csrf')! } });
      expect(early.status).to.equal(429);
      expect(early.html).to.contain('You can ask for a new code in 40 minutes');
    } finally {
      await env.server.container.smsConnection.update({ perPhonePerHour: 50, resendCooldownSeconds: 30 });
    }
  });

  it('caps sends per number per hour', async () => {
    await env.server.container.smsConnection.update({ perPhonePerHour: 1, resendCooldownSeconds: 0 });
    try {
      const capped = '+61491571266';
      await createUser(env.server, 'jack', 'jack has a long password', { phoneNumber: capped });
      const send = async () => {
        const ua = new UserAgent();
        const login = await ua.follow((await authorizationRequest(env.rp.config)).url.href);
        const uid = login.url.match(/\/interaction\/([^/?]+)/)![1]!;
        const phonePage = await ua.request(`${env.server.url}/interaction/${uid}/sms`);
        return ua.request(`${env.server.url}/interaction/${uid}/sms`, { form: { csrf: inputValue(phonePage.html, 'csrf')!, phone: capped } });
      };
      expect((await send()).status).to.equal(303);
      const second = await send();
      expect(second.status).to.equal(429);
      expect(second.html).to.match(/Too many codes were requested/);
    } finally {
      await env.server.container.smsConnection.update({ perPhonePerHour: 50, resendCooldownSeconds: 30 });
    }
  });
});
