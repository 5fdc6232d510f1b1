// Texts sent for a branded app carry its name (application.name) and support contact, through the real twilio SDK
// against the fake Twilio; an app without branding of its own keeps its client name and the installation's contact.
import { expect } from 'chai';
import { authorizationRequest, createUser, registerClient } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';
import { ADMIN_ACTOR, brand } from './fixtures.ts';

const PHONE = '+61491570156';

describe('branding in SMS texts', () => {
  let env: SmsTestEnv;
  let plain: Awaited<ReturnType<typeof registerClient>>;

  before(async () => {
    env = await startSmsEnv();
    plain = await registerClient(env.server, { clientId: 'plain' });
    await env.server.container.smsConnection.update({ clientIds: [env.rp.meta.client_id, 'plain'] });
    await createUser(env.server, 'ivy', 'ivy has a long password', { phoneNumber: PHONE });
    await env.server.container.admin.templates.save(ADMIN_ACTOR, { purpose: 'login', language: 'en', body: '{{ code }} is your {{ application.name }} code. Help: {{ support_contact }}' });
    await brand(env.server, null, { name: 'Acme', supportContact: 'help@acme.example' });
    await brand(env.server, env.rp.meta.client_id, { name: 'Shop Deluxe', supportContact: 'shop-help@example.test' });
  });
  after(() => env.close());
  beforeEach(() => env.clock.advance(60_000));

  /** Starts a text-message sign-in for the app and returns the text the fake Twilio received, and the phone screen. */
  async function textFor(config: typeof plain.config) {
    const ua = new UserAgent({ acceptLanguage: 'en' });
    const login = await ua.follow((await authorizationRequest(config)).url.href);
    const link = login.html.match(/action="([^"]*\/sms)"/)?.[1];
    expect(link, 'the sign-in screen offers SMS').to.be.a('string');
    const reset = login.html.match(/href="([^"]*\/reset)"/)?.[1];
    const resetScreen = (await ua.follow(new URL(reset!, login.url).href)).html;
    const page = await ua.follow(new URL(link!, login.url).href);
    const sent = await ua.request(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')!, phone: PHONE } });
    expect(sent.status).to.equal(303);
    await env.deliver();
    return { body: env.fake.messagesTo(PHONE).at(-1)!.body, screen: page.html, resetScreen };
  }

  it("carries the branded app's name and support contact", async () => {
    const { body, screen, resetScreen } = await textFor(env.rp.config);
    expect(body).to.match(/^\d{6} is your Shop Deluxe code\. Help: shop-help@example\.test/);
    expect(screen, 'the phone screen is branded too').to.contain('<span class="brand-name">Shop Deluxe</span>').and.contain('shop-help@example.test');
    expect(resetScreen, 'and the reset screen').to.contain('<span class="brand-name">Shop Deluxe</span>');
  });

  it("an app without branding of its own keeps its client name and shows the installation's contact", async () => {
    const { body, screen } = await textFor(plain.config);
    expect(body).to.match(/^\d{6} is your Test RP code\. Help: help@acme\.example/);
    expect(screen).to.contain('<span class="brand-name">Acme</span>');
  });
});
