// SMS_HOME_COUNTRY set in the environment of `npm start` makes region-narrowed templates apply to real sends.
import { expect } from 'chai';
import { DEMO_PHONE } from '../../src/dev/sms.ts';
import { signIn } from '../admin/console/harness.ts';
import { type SpawnedServer, spawnServer } from '../helpers/spawn.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';

const ADMIN = { username: 'home-admin', password: 'a long enough admin password' };

describe('npm start: the home country narrows templates (SMS_HOME_COUNTRY)', function () {
  this.timeout(300_000);
  let server: SpawnedServer;

  before(async () => {
    // The demo user's phone is Australian: with AU as the home country it is a domestic number.
    expect(DEMO_PHONE.startsWith('+61')).to.equal(true);
    server = await spawnServer({ env: { SMS_HOME_COUNTRY: 'AU', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password } });
  });
  after(async () => {
    await server?.stop();
  });

  /** Text messages the development inbox holds for a number, newest first. */
  async function inbox(ua: UserAgent, to: string): Promise<string[]> {
    const page = await ua.request(`${server.url}/dev/sms?to=${encodeURIComponent(to)}`, { headers: { accept: 'application/json' } });
    return (JSON.parse(page.html) as { messages: { text: string }[] }).messages.map((m) => m.text);
  }

  it('sends the domestic template to a number of the home country, and the code signs the user in', async () => {
    const admin = await signIn(server, ADMIN.username, ADMIN.password);
    for (const region of ['domestic', 'international']) {
      const saved = await admin.post('/admin/templates/edit', { purpose: 'login', language: 'en', region, body: `${region} sign-in code {{ code }}` });
      expect(saved.status, saved.html.slice(0, 800)).to.be.oneOf([200, 303]);
    }

    const ua = new UserAgent({ acceptLanguage: 'en' });
    const before = (await inbox(ua, DEMO_PHONE)).length;
    const login = await ua.follow(`${server.url}/demo/login`);
    // The sign-in screen's own phone number form.
    const action = /<form method="post" action="(\/interaction\/[^"]+\/sms)"/.exec(login.html)?.[1];
    expect(action, 'the sign-in screen offers SMS sign-in').to.be.a('string');
    const codePage = await ua.follow(new URL(action!, login.url).href, {
      form: { csrf: inputValue(login.html, 'csrf')!, phone: DEMO_PHONE },
    });
    expect(codePage.url, `${codePage.status} ${codePage.html.slice(0, 1500)}`).to.match(/\/code/);

    // The server's outbox worker delivers to the inbox on its own schedule.
    let texts: string[] = [];
    for (let i = 0; i < 100 && texts.length <= before; i++) {
      texts = await inbox(ua, DEMO_PHONE);
      if (texts.length <= before) await new Promise((r) => setTimeout(r, 100));
    }
    expect(texts.length, server.output().slice(-2000)).to.be.greaterThan(before);
    const text = texts[0]!;
    expect(text).to.match(/^domestic sign-in code \d{6}/);
    const code = /\b(\d{6})\b/.exec(text)![1]!;
    const done = await ua.follow(new URL(formAction(codePage.html)!, codePage.url).href, { form: { csrf: inputValue(codePage.html, 'csrf')!, code } });
    expect(done.url).to.equal(`${server.url}/demo`);
  });
});
