// A real browser signs in through the demo relying party by label, and sees errors announced on the sign-in screen.
import { expect } from 'chai';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { createUser } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

describe('sign-in screen in a browser', function () {
  this.timeout(60_000);
  let server: TestServer;
  let browser: TestBrowser;

  before(async () => {
    server = await startServer({ env: { DEMO_CLIENT: 'true' } });
    await createUser(server, 'carol', 'a perfectly long passphrase');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in by label and the demo app shows amr pwd', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/demo`);
    await page.getByRole('link', { name: 'Sign in with Codeword' }).click();
    await page.getByLabel('Username or email').fill('carol');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(await page.getByRole('alert').textContent()).to.contain('not correct');
    expect(await page.getByLabel('Username or email').inputValue(), 'the login is kept').to.equal('carol');
    await page.getByLabel('Password').fill('a perfectly long passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/demo`);
    const claims = JSON.parse((await page.locator('#claims').textContent()) ?? '{}');
    expect(claims.amr).to.deep.equal(['pwd']);
    expect(claims.acr).to.equal('urn:codeword:acr:pwd');
    expect(claims.sub).to.equal((await server.container.users.findByLogin('carol'))!.id);
    await context.close();
  });

  it('renders the sign-in screen in French for a French browser', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${server.url}/demo/login`);
    await expect(await page.getByLabel('Nom d’utilisateur ou e-mail').count()).to.equal(1);
    expect(await page.getByRole('button', { name: 'Se connecter' }).count()).to.equal(1);
    await context.close();
  });
});
