// Every SMS code screen has a way out, in a real browser: cancel returns to the app with access_denied, back to
// sign-in shows the sign-in screen, and "try another way" offers the password where the sign-in allows one.
import { expect } from 'chai';
import { policyInputSchema } from '../../src/policies/schema.ts';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { authorizationRequest, createUser, REDIRECT_URI } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';

describe('a way out on every SMS code screen', function () {
  this.timeout(60_000);
  let env: SmsTestEnv;
  let browser: TestBrowser;

  before(async () => {
    env = await startSmsEnv();
    const c = env.server.container;
    await c.smsFactor.save({ active: true, accountId: env.accountId });
    const strict = await c.policies.create(policyInputSchema.parse({ name: 'Staff', mfa: { factors: ['sms'], required: 'always' } }));
    await createUser(env.server, 'pia', 'pia has a long password', { phoneNumber: '+61491570156' });
    const quinn = await createUser(env.server, 'quinn', 'quinn has a long password', { phoneNumber: '+61491570158' });
    await c.policies.assignUser(quinn.id, strict.id);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env?.close();
  });
  beforeEach(() => env.clock.advance(60_000));

  async function smsCodeScreen(page: Page, phone: string) {
    await page.route('https://rp.example.test/**', (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' }));
    await page.goto((await authorizationRequest(env.rp.config)).url.href);
    await page.getByLabel('Phone number').fill(phone);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByLabel('Verification code').waitFor();
  }

  it('passwordless: "Sign in with a password instead" shows the password screen', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await smsCodeScreen(page, '+61491570156');
    await page.getByRole('link', { name: 'Sign in with a password instead' }).click();
    await page.getByLabel('Password', { exact: true }).waitFor();
    expect(await page.getByLabel('Username or email').count()).to.equal(1);
    await context.close();
  });

  it('passwordless: cancel returns to the app with access_denied', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await smsCodeScreen(page, '+61491570156');
    const landed = page.waitForRequest((r) => r.url().startsWith(REDIRECT_URI));
    await page.getByRole('button', { name: 'Cancel and return to the app' }).click();
    const url = new URL((await landed).url());
    expect(url.searchParams.get('error')).to.equal('access_denied');
    expect(url.searchParams.get('code')).to.equal(null);
    await context.close();
  });

  it('MFA: no "try another way" without another factor; back to sign-in shows the sign-in screen; cancel returns to the app', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.route('https://rp.example.test/**', (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' }));
    await page.goto((await authorizationRequest(env.rp.config)).url.href);
    await page.getByLabel('Username or email').fill('quinn');
    await page.getByLabel('Password', { exact: true }).fill('quinn has a long password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Verification code').waitFor();
    expect(page.url()).to.match(/\/mfa\/code$/);
    expect(await page.getByRole('link', { name: 'Sign in with a password instead' }).count()).to.equal(0);
    expect(await page.locator('[id^="alt-"]').count()).to.equal(0);
    await page.getByRole('link', { name: 'Back to sign-in' }).click();
    await page.getByLabel('Username or email').waitFor();
    await page.getByLabel('Username or email').fill('quinn');
    await page.getByLabel('Password', { exact: true }).fill('quinn has a long password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Verification code').waitFor();
    const landed = page.waitForRequest((r) => r.url().startsWith(REDIRECT_URI));
    await page.getByRole('button', { name: 'Cancel and return to the app' }).click();
    expect(new URL((await landed).url()).searchParams.get('error')).to.equal('access_denied');
    await context.close();
  });
});
