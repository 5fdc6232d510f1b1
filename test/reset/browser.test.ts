// A real browser resets a password by label through the hosted screens, the code texted through the fake Twilio to a custom attribute.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { screenProblems } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { authorizationRequest, REDIRECT_URI } from '../helpers/rp.ts';
import { type ResetEnv, startResetEnv } from './harness.ts';

const MOBILE = '+61491571266';

describe('password reset in a browser', function () {
  this.timeout(60_000);
  let env: ResetEnv;
  let browser: TestBrowser;

  before(async () => {
    env = await startResetEnv({ phoneField: { source: 'custom_attribute', attribute: 'mobile' }, defaultCountry: 'AU', sendFloorMs: 250 });
    // The number is in the `mobile` attribute, in national format; the built-in phone_number is empty.
    await env.user('grace', { phoneNumber: null, customAttributes: { mobile: '0491 571 266' } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env?.close();
  });

  /** Opens the sign-in screen of a new authorization request, then the reset screens. */
  async function openReset(page: Page) {
    await page.route('https://rp.example.test/**', (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' }));
    await page.goto((await authorizationRequest(env.rp.config)).url.href);
    const link = page.getByRole('link', { name: 'Forgot password?' });
    // The sign-in screen links here once the flow is mounted by the composition root; until then, go by URL.
    if (await link.count()) await link.click();
    else await page.goto(`${page.url()}/reset`);
  }

  it('goes from "Forgot password?" to a new password and back to sign-in, every screen accessible on a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    const page = await context.newPage();
    // axe-core and the width of each screen on the way, the error states included.
    const problems: string[] = [];
    const check = async (name: string) => {
      problems.push(...(await screenProblems(page, name)));
    };
    await openReset(page);

    await expect(await page.getByRole('heading', { name: 'Reset your password' }).count()).to.equal(1);
    await check('start');
    await page.getByLabel('Username or email').fill('grace');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('button', { name: 'Text a code to the mobile number on the account' }).waitFor();
    await check('method');
    await page.getByRole('button', { name: 'Text a code to the mobile number on the account' }).click();
    await page.getByRole('heading', { name: 'Enter the code' }).waitFor();
    await check('code');
    expect(await page.locator('#reset-help').textContent()).to.contain('Contact help@example.test');
    await env.deliver();
    const code = env.fake.lastCode(MOBILE);
    expect(code, 'the code went to the mapped attribute').to.match(/^\d{6}$/);

    await page.getByLabel('Verification code').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.getByRole('alert').textContent()).to.contain('That code is not correct or has expired');
    await check('wrong code');
    await page.getByLabel('Verification code').fill(code!);
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByLabel('New password', { exact: true }).fill('my new browser passphrase');
    await page.getByLabel('Confirm new password').fill('my new browser passphrase?');
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await page.getByRole('alert').textContent()).to.contain('The two passwords do not match.');
    await check('new password, not confirmed');
    await page.getByLabel('New password', { exact: true }).fill('my new browser passphrase');
    await page.getByLabel('Confirm new password').fill('my new browser passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();

    await page.getByRole('heading', { name: 'Your password was changed' }).waitFor();
    await check('done');
    await page.getByRole('link', { name: 'Back to sign-in' }).click();
    await page.getByLabel('Username or email').fill('grace');
    await page.getByLabel('Password').fill('my new browser passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${REDIRECT_URI}**`);
    expect(new URL(page.url()).searchParams.get('code')).to.be.a('string');

    await env.deliver();
    expect(env.fake.messagesTo(MOBILE).at(-1)!.body).to.match(/^Your Codeword password was changed/);
    await context.close();
    expect(problems).to.deep.equal([]);
  });

  it('shows the reset screens in French for a French browser', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await openReset(page);
    expect(await page.getByRole('heading', { name: 'Réinitialiser le mot de passe' }).count()).to.equal(1);
    await page.getByLabel('Nom d’utilisateur ou e-mail').fill('personne');
    await page.getByRole('button', { name: 'Continuer' }).click();
    expect(await page.getByRole('button', { name: 'Envoyer un code par SMS au mobile du compte' }).count()).to.equal(1);
    await context.close();
  });
});
