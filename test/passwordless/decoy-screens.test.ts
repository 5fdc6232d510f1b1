// With sign-ups off an unknown number holds a decoy: its code screens are byte for byte a known number's (digits masked).
import { expect } from 'chai';
import { authorizationRequest, createUser } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';

const KNOWN = '+61491570156';
const UNKNOWN = '+61491570157';

/** A response as an observer compares it: per-request values (uid, CSRF token) and every digit masked. */
function masked(page: Page) {
  const csrf = inputValue(page.html, 'csrf');
  let body = page.html.replace(/\/interaction\/[^/"]+/g, '/interaction/UID');
  if (csrf) body = body.replaceAll(csrf, 'CSRF');
  return { status: page.status, type: page.headers.get('content-type'), body: body.replace(/\d/g, '#') };
}

describe('passwordless sign-in: a decoy code screen is the real one', () => {
  let env: SmsTestEnv;
  before(async () => {
    env = await startSmsEnv();
    await createUser(env.server, 'ivy', 'ivy has a long password', { phoneNumber: KNOWN });
  });
  after(() => env.close());

  async function codeScreen(phone: string) {
    const ua = new UserAgent();
    const login = await ua.follow((await authorizationRequest(env.rp.config)).url.href);
    const phonePage = await ua.follow(new URL(login.html.match(/action="([^"]*\/sms)"/)![1]!, login.url).href);
    const sent = await ua.request(new URL(formAction(phonePage.html)!, phonePage.url).href, { form: { csrf: inputValue(phonePage.html, 'csrf')!, phone } });
    const code = await ua.follow(new URL(sent.headers.get('location')!, sent.url).href);
    return { ua, code, base: new URL(code.url).href.replace(/\/code$/, '') };
  }

  it('shows no delivery status, so a failed real SMS and a decoy read the same, also after a resend', async () => {
    // The real SMS fails at the provider; the decoy was never sent.
    env.fake.failFor(KNOWN, 21612);
    const real = await codeScreen(KNOWN);
    const decoy = await codeScreen(UNKNOWN);
    await env.deliver();
    expect(env.fake.messagesTo(UNKNOWN)).to.have.length(0);

    const both = async (step: (r: typeof real) => Promise<Page>) => [await step(real), await step(decoy)];
    const seen = [[real.code, decoy.code]];
    seen.push(await both((r) => r.ua.request(`${r.base}/code`)));
    seen.push(await both((r) => r.ua.request(`${r.base}/status`)));
    seen.push(await both((r) => r.ua.request(`${r.base}/code`, { form: { csrf: inputValue(r.code.html, 'csrf')!, code: '000000' } })));
    env.clock.advance(61_000);
    seen.push(await both(async (r) => r.ua.follow(new URL(formAction(r.code.html, 1)!, r.code.url).href, { form: { csrf: inputValue(r.code.html, 'csrf')! } })));
    const realScreens = seen.map(([r]) => masked(r!));
    expect(realScreens[1]!.body).to.contain('id="code"').and.contain('id="cancel"').and.not.contain('data-status-url');
    expect(realScreens[4]!.body, 'the resend notice').to.contain('role="status"');
    expect(JSON.parse(realScreens[2]!.body)).to.deep.equal({ undelivered: false });
    expect(seen.map(([, d]) => masked(d!))).to.deep.equal(realScreens);
  });

  it('with sign-ups on (no decoys for unknown numbers) shows the failed delivery', async () => {
    await env.server.container.smsConnection.update({ signups: true });
    try {
      env.clock.advance(61_000);
      const real = await codeScreen(KNOWN);
      await env.deliver();
      const status = await real.ua.request(`${real.base}/status`);
      expect(JSON.parse(status.html)).to.include({ undelivered: true });
      expect((await real.ua.request(`${real.base}/code`)).html).to.contain('data-status-url').and.contain('We could not deliver the text message');
    } finally {
      await env.server.container.smsConnection.update({ signups: false });
    }
  });
});
