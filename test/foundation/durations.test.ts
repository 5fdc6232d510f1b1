// No screen shows a duration in raw seconds: waits are said in words, in the screen language, on the real screens too.
import { expect } from 'chai';
import { catalog, formatWait, screenLanguages, translator } from '../../src/i18n/index.ts';
import { authorizationRequest, createUser } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { inputValue, UserAgent } from '../helpers/user-agent.ts';

/** A number of seconds shown as such: "3331 seconds", "3331 segundos", "3331 秒". */
const RAW_SECONDS = /\d{2,}\s*(seconds?|segundos?|secondes?|Sekunden?|秒)/;

describe('durations on screens', () => {
  it('says a wait in words in every screen language, rounded up', () => {
    expect(formatWait('en', 3331)).to.equal('in 56 minutes');
    expect(formatWait('en', 45)).to.equal('in 45 seconds');
    expect(formatWait('en', 60)).to.equal('in 1 minute');
    expect(formatWait('en', 2 * 3600 + 1)).to.equal('in 3 hours');
    expect(formatWait('es', 3331)).to.equal('dentro de 56 minutos');
    expect(formatWait('pt-BR', 3331)).to.equal('em 56 minutos');
    expect(formatWait('fr', 3331)).to.equal('dans 56 minutes');
    expect(formatWait('de', 3331)).to.equal('in 56 Minuten');
    expect(formatWait('zh-CN', 3331)).to.equal('56分钟后');
    expect(formatWait('ja', 3331)).to.equal('56 分後');
  });

  for (const lang of screenLanguages) {
    it(`${lang}: no string shows raw seconds, and every wait message says the wait in words`, () => {
      const t = translator(lang);
      const strings = catalog(lang)!;
      for (const [key, text] of Object.entries(strings)) {
        if (key.startsWith('admin.')) continue; // the console's settings are labelled in seconds on purpose
        expect(text, `${lang} ${key}`).not.to.contain('{{seconds}}');
        const shown = t(key, { seconds: 3331, phone: '+61 491 570 159', client: 'App', contact: 'help@example.com', length: 6, min: 8, max: 64 });
        expect(shown, `${lang} ${key}: ${shown}`).not.to.match(RAW_SECONDS);
      }
      for (const key of ['signin.throttled', 'sms.wait', 'sms.resend_in', 'sms.too_many_wrong']) {
        expect(t(key, { seconds: 3331 }), `${lang} ${key}`).to.contain(formatWait(lang, 3331));
      }
    });
  }
});

describe('durations on the sign-in screens', () => {
  let env: SmsTestEnv;
  const PHONE = '+61491570157';
  before(async () => {
    env = await startSmsEnv({ connection: { resendCooldownSeconds: 30, perPhonePerHour: 1 } });
    await createUser(env.server, 'una', 'una has a long password', { phoneNumber: PHONE });
  });
  after(() => env.close());

  const start = async (ua: UserAgent) => {
    const login = await ua.follow((await authorizationRequest(env.rp.config)).url.href);
    const uid = login.url.match(/\/interaction\/([^/?]+)/)![1]!;
    const phonePage = await ua.request(`${env.server.url}/interaction/${uid}/sms`);
    const sent = await ua.request(`${env.server.url}/interaction/${uid}/sms`, { form: { csrf: inputValue(phonePage.html, 'csrf')!, phone: PHONE } });
    return { uid, sent };
  };
  const visible = (html: string) => html.replace(/<[^>]+>/g, ' ');

  it('says "in 60 minutes" when the hourly cap holds back a new code, on the code screen and on the next request, never the seconds', async () => {
    env.clock.advance(3600_000 - (env.clock.now() % 3600_000)); // hourly windows start on the hour: be at the start of one
    const ua = new UserAgent();
    const { uid, sent } = await start(ua);
    expect(sent.status).to.equal(303);
    const code = await ua.request(`${env.server.url}/interaction/${uid}/sms/code`);
    expect(visible(code.html)).to.contain('You can ask for a new code in 60 minutes.').and.not.to.match(RAW_SECONDS);
    expect(visible(code.html)).not.to.match(/\b3[56]\d\d\b/);

    const other = new UserAgent();
    env.clock.advance(60_000); // past the resend cooldown, inside the hour: the per-number cap holds
    const capped = await start(other);
    expect(capped.sent.status).to.equal(429);
    expect(visible(capped.sent.html), visible(capped.sent.html)).to.match(/Too many codes were requested\. Try again in \d+ minutes\./).and.not.to.match(RAW_SECONDS);
  });
});
