// The screens of a sign-in by text message, as a browser shows them at a phone's and a desktop's width: the sign-in
// screen with its phone number field, the phone screen with an error, the code screen. Each passes axe-core and
// nothing is wider than the screen.
import { expect } from 'chai';
import { screenProblems } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { authorizationRequest, createUser } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';

describe('sign-in by text message: accessibility (axe-core) and small screens', function () {
  this.timeout(120_000);
  let env: SmsTestEnv;
  let browser: TestBrowser;

  before(async () => {
    env = await startSmsEnv({ smsWorker: false });
    await createUser(env.server, 'mona', 'mona has a long password', { phoneNumber: '+61491570156' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env?.close();
  });

  for (const width of [390, 1280]) {
    for (const locale of ['en-GB', 'de-DE', 'ja-JP']) {
      it(`passes at ${width} px in ${locale}: sign-in screen, phone screen with an error, code screen`, async () => {
        // Past the number's hourly send limit of the tests before.
        env.clock.advance(3_600_000);
        // axe-core is injected as an inline script, which the screens' CSP refuses: the test's browser lets it in.
        const context = await browser.browser.newContext({ locale, viewport: { width, height: 900 }, bypassCSP: true });
        const page = await context.newPage();
        const problems: string[] = [];
        try {
          await page.goto((await authorizationRequest(env.rp.config)).url.href);
          await page.locator('input[type="tel"]').waitFor();
          problems.push(...(await screenProblems(page, 'sign-in screen')));
          await page.locator('input[type="tel"]').fill('12');
          await page.locator('form[action$="/sms"] button[type="submit"]').click();
          await page.locator('[role="alert"]').waitFor();
          expect(page.url()).to.match(/\/sms$/);
          problems.push(...(await screenProblems(page, 'phone screen with an error')));
          await page.locator('input[type="tel"]').fill('+61491570156');
          await page.locator('form[action$="/sms"] button[type="submit"]').click();
          await page.locator('input[autocomplete="one-time-code"]').waitFor();
          problems.push(...(await screenProblems(page, 'code screen')));
        } finally {
          await context.close();
        }
        expect(problems).to.deep.equal([]);
      });
    }
  }
});
