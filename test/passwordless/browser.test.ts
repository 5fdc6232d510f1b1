// A real browser signs in by text message, by label, against the fake Twilio; a failed delivery shows up by itself.
import { expect } from 'chai';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { authorizationRequest, createUser, REDIRECT_URI } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';

describe('passwordless sign-in in a browser', function () {
  this.timeout(60_000);
  let env: SmsTestEnv;
  let browser: TestBrowser;

  before(async () => {
    // Sign-ups on: with them off an unknown number holds a decoy, so no code screen shows delivery status.
    env = await startSmsEnv({ smsWorker: true, connection: { signups: true } });
    await createUser(env.server, 'kate', 'kate has a long password', { phoneNumber: '+61491570156' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env?.close();
  });

  it('signs in by label with the code from the text message', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    const req = await authorizationRequest(env.rp.config);
    await page.goto(req.url.href);
    await page.getByLabel('Phone number').fill('+61 491 570 156');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(await page.getByText('+61 ••• ••• 0156').count()).to.equal(1);
    let code: string | undefined;
    for (let i = 0; i < 50 && !code; i++) {
      code = env.fake.lastCode('+61491570156');
      if (!code) await page.waitForTimeout(100);
    }
    expect(code, 'the worker delivered the SMS to Twilio').to.be.a('string');
    await page.getByLabel('Verification code').fill(code!);
    const landed = page.waitForRequest((r) => r.url().startsWith(REDIRECT_URI));
    await page.getByRole('button', { name: 'Verify' }).click();
    const url = new URL((await landed).url());
    expect(url.searchParams.get('code')).to.be.a('string');
    await context.close();
  });

  it('tells the user, without a reload, that the message was not delivered', async () => {
    await createUser(env.server, 'liam', 'liam has a long password', { phoneNumber: '+61491570157' });
    env.clock.advance(60_000);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto((await authorizationRequest(env.rp.config)).url.href);
    await page.getByLabel('Phone number').fill('+61491570157');
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByLabel('Verification code').waitFor();
    // The carrier reports the handset unreachable (Twilio error 30003) on the signed status callback.
    let sid: string | undefined;
    for (let i = 0; i < 50 && !sid; i++) {
      sid = env.fake.messagesTo('+61491570157').at(-1)?.sid;
      if (!sid) await page.waitForTimeout(100);
    }
    expect(await env.fake.postStatus(sid!, 'undelivered', { errorCode: 30003 })).to.be.within(200, 299);
    const alert = page.getByRole('alert').filter({ hasText: 'We could not deliver the text message' });
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).to.contain('The phone could not be reached.');
    // Without JavaScript the same notice is on the page after a reload.
    await page.reload();
    expect(await page.getByText('We could not deliver the text message').count()).to.equal(1);
    await context.close();
  });
});
