// The second factor's screens in a real browser, at a phone's and a desktop's width: the code screen (with a wrong
// code's error) and the screen that stops a user who must confirm by text message but has no usable phone. Each passes
// axe-core and nothing is wider than the screen.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { policyInputSchema } from '../../src/policies/schema.ts';
import { screenProblems } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { authorizationRequest, createUser } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';

describe('SMS second factor: accessibility (axe-core) and small screens', function () {
  this.timeout(120_000);
  let env: SmsTestEnv;
  let browser: TestBrowser;

  before(async () => {
    env = await startSmsEnv();
    const c = env.server.container;
    await c.smsFactor.save({ active: true, accountId: env.accountId });
    const strict = await c.policies.create(policyInputSchema.parse({ name: 'Staff', mfa: { factors: ['sms'], required: 'always' } }));
    const rita = await createUser(env.server, 'rita', 'rita has a long password', { phoneNumber: '+61491570156', phoneNumberVerified: true });
    await c.policies.assignUser(rita.id, strict.id);
    const sam = await createUser(env.server, 'sam', 'sam has a long password', { phoneNumber: null });
    await c.policies.assignUser(sam.id, strict.id);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env?.close();
  });

  async function signIn(page: Page, login: string) {
    await page.goto((await authorizationRequest(env.rp.config)).url.href);
    await page.getByLabel('Username or email').fill(login);
    await page.getByLabel('Password').fill(`${login} has a long password`);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  for (const width of [390, 1280]) {
    it(`passes at ${width} px: the code screen, a wrong code, and the screen without a usable phone`, async () => {
      env.clock.advance(3_600_000);
      const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      const problems: string[] = [];
      const check = async (name: string) => {
        problems.push(...(await screenProblems(page, name)));
      };
      try {
        await signIn(page, 'rita');
        await page.getByLabel('Verification code').waitFor();
        await check('code screen');
        await env.deliver();
        const code = env.fake.lastCode('+61491570156');
        await page.getByLabel('Verification code').fill(code === '000000' ? '111111' : '000000');
        await page.getByRole('button', { name: 'Verify' }).click();
        await page.getByRole('alert').waitFor();
        await check('wrong code');
        await context.clearCookies();
        await signIn(page, 'sam');
        await page.getByText('Confirmation by text message required').waitFor();
        await check('no usable phone');
      } finally {
        await context.close();
      }
      expect(problems).to.deep.equal([]);
    });
  }
});
