// In development, SMS sign-in works out of the box: the server started as `npm start` starts it, on a fresh empty
// SQLite database, signs the demo user in by SMS in a real browser, the code read from the development inbox page.
import { expect } from 'chai';
import { DEMO_PHONE } from '../../src/dev/sms.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { type SpawnedServer, spawnServer } from '../helpers/spawn.ts';

describe('development: SMS sign-in out of the box', function () {
  this.timeout(300_000);
  let server: SpawnedServer;
  let browser: TestBrowser;

  before(async () => {
    server = await spawnServer({ defaultDatabase: true, env: { NODE_ENV: 'development' } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('says once how to sign in by SMS and where the codes appear', () => {
    const output = server.output();
    expect(output, output).to.contain('SMS sign-in is ready').and.contain(DEMO_PHONE).and.contain('/dev/sms');
  });

  it('the demo app signs the demo user in by SMS, with the code read from the development inbox page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/demo`);
    await page.getByRole('link', { name: 'Sign in with Codeword' }).click();
    await page.getByLabel('Phone number').fill(DEMO_PHONE);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByLabel('Verification code').waitFor();

    // The user opens the development inbox in another tab and reads the code there (it refreshes by itself).
    const inbox = await context.newPage();
    await inbox.goto(`${server.url}/dev/sms`);
    const text = inbox.locator('.sms-text').first();
    await text.waitFor({ timeout: 30_000 });
    const code = /\b(\d{6})\b/.exec((await text.textContent()) ?? '')?.[1];
    expect(code, 'the code is in the development inbox').to.be.a('string');
    expect(await inbox.locator('[data-to]').first().textContent()).to.contain(DEMO_PHONE);

    await page.getByLabel('Verification code').fill(code!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${server.url}/demo`);
    const claims = JSON.parse((await page.locator('#claims').textContent()) ?? '{}') as Record<string, unknown>;
    expect(claims).to.include({ aud: 'codeword-demo' });
    expect(claims.amr).to.include('sms');
    await context.close();
  });
});
