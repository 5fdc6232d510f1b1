// What a new user meets first, in a real browser: the landing page, error screens with a way back (also after Back following a sign-in), the inbox.
import { expect } from 'chai';
import { screenProblems } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { authorizationRequest, createUser, registerClient } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

describe('first screens in a browser', function () {
  this.timeout(60_000);
  let server: TestServer;
  let browser: TestBrowser;
  let thirdParty: Awaited<ReturnType<typeof registerClient>>;

  before(async () => {
    server = await startServer({ env: { DEMO_CLIENT: 'true', NODE_ENV: 'development' } });
    await createUser(server, 'dora', 'dora has a long passphrase');
    thirdParty = await registerClient(server, { firstParty: false, clientId: 'third-party-app' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves a landing page at / in the screen language, linking the demo, the console, discovery and the inbox', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    const res = await page.goto(`${server.url}/`);
    expect(res!.status()).to.equal(200);
    expect(await page.locator('html').getAttribute('lang')).to.equal('ja');
    expect(await page.getByRole('link', { name: 'デモアプリを試す' }).getAttribute('href')).to.equal('/demo');
    expect(await page.getByRole('link', { name: '管理コンソール' }).getAttribute('href')).to.equal('/admin');
    expect(await page.getByRole('link', { name: 'OpenID Connect ディスカバリードキュメント' }).getAttribute('href')).to.equal('/.well-known/openid-configuration');
    expect(await page.getByRole('link', { name: /開発用 SMS 受信箱/ }).getAttribute('href')).to.equal('/dev/sms');
    await page.getByRole('link', { name: 'OpenID Connect ディスカバリードキュメント' }).click();
    expect(JSON.parse((await page.textContent('body')) ?? '{}').issuer).to.equal(server.container.config.issuer);
    await context.close();
  });

  it('after a sign-in, the Back button shows a localized explanation and a link back to the app', async () => {
    const context = await browser.newContext({ locale: 'es-ES' });
    const page = await context.newPage();
    await page.goto(`${server.url}/demo`);
    await page.getByRole('link', { name: 'Sign in with Codeword' }).click(); // the demo app itself is in English
    await page.getByLabel('Usuario o correo electrónico').fill('dora');
    await page.getByLabel('Contraseña').fill('dora has a long passphrase');
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.waitForURL(`${server.url}/demo`);
    await page.goBack();
    await page.waitForURL(/\/interaction\//);
    const alert = await page.getByRole('alert').textContent();
    expect(alert).to.contain('Tu inicio de sesión caducó');
    const back = page.getByRole('link', { name: 'Volver a Codeword demo' });
    expect(await back.count(), await page.content()).to.equal(1);
    await back.click();
    await page.waitForURL(`${server.url}/demo`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Demo application');
    await context.close();
  });

  it('translates what a user can act on in oidc-provider errors, and offers the start page when the app is unknown', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    const res = await page.goto(`${server.url}/auth?client_id=nobody&response_type=code&scope=openid&redirect_uri=https://evil.example/cb`);
    expect(res!.status()).to.equal(400);
    expect(await page.getByRole('alert').textContent()).to.equal('Cette application nous est inconnue.');
    await page.getByRole('link', { name: "Aller à la page d'accueil" }).click();
    await page.waitForURL(`${server.url}/`);
    {
      const wrong = await page.goto(`${server.url}/auth?client_id=codeword-demo&response_type=code&scope=openid&redirect_uri=https://evil.example/cb`);
      expect(wrong!.status()).to.equal(400);
      expect(await page.getByRole('alert').textContent()).to.contain('une adresse qu’elle n’a pas enregistrée');
      expect(await page.getByRole('link', { name: 'Retour à Codeword demo' }).count()).to.equal(1);
    }
    await context.close();
  });

  it('passes axe-core on a phone and a desktop: landing page, demo, sign-in with a wrong password, sign-out, consent, error screen, inbox', async () => {
    const problems: string[] = [];
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      const check = async (name: string) => {
        problems.push(...(await screenProblems(page, `${width} px, ${name}`)));
      };
      await page.goto(`${server.url}/`);
      await check('landing page');
      await page.goto(`${server.url}/demo`);
      await check('demo');
      await page.getByRole('link', { name: 'Sign in with Codeword' }).click();
      await page.getByLabel('Username or email').fill('dora');
      await page.getByLabel('Password').fill('not her passphrase');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
      await check('sign-in, wrong password');
      await page.getByLabel('Password').fill('dora has a long passphrase');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${server.url}/demo`);
      await page.getByRole('link', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Stay signed in' }).waitFor();
      await check('sign-out question');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForLoadState();
      await check(`after signing out (${new URL(page.url()).pathname})`);
      // A third-party app asks for consent.
      await page.route('https://rp.example.test/**', (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' }));
      await page.goto((await authorizationRequest(thirdParty.config)).url.href);
      await page.getByLabel('Username or email').fill('dora');
      await page.getByLabel('Password').fill('dora has a long passphrase');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Allow' }).waitFor();
      await check('consent');
      await page.goto(`${server.url}/auth?client_id=nobody&response_type=code&scope=openid&redirect_uri=https://evil.example/cb`);
      await check('error screen');
      await page.goto(`${server.url}/dev/sms`);
      await check('development inbox');
      await context.close();
    }
    expect(problems).to.deep.equal([]);
  });

  it('shows the development inbox with whole numbers, newest first, refreshing by itself', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/dev/sms`);
    await server.container.sms.sender.enqueue({ purpose: 'test', to: '+61491570156' });
    await server.container.sms.worker.runOnce();
    const message = page.locator('.sms').first();
    await message.waitFor({ timeout: 10_000 });
    expect(await message.locator('[data-to]').textContent()).to.equal('+61491570156');
    expect(await message.locator('.sms-text').evaluate((el) => getComputedStyle(el).wordBreak)).to.equal('normal');
    await context.close();
  });
});
