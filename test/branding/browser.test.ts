// A real browser on the hosted sign-in screen, reached by a real OIDC authorization request: one app shows its own
// branding (name, colour, logo), another the installation's; with no branding the screen looks as built in.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { authorizationRequest, registerClient } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { brand, ICO, PNG } from './fixtures.ts';

describe('branding on the hosted sign-in screen', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: TestBrowser;
  let shop: Awaited<ReturnType<typeof registerClient>>;
  let blog: Awaited<ReturnType<typeof registerClient>>;

  before(async () => {
    server = await startServer();
    shop = await registerClient(server, { clientId: 'shop' });
    blog = await registerClient(server, { clientId: 'blog' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens the app's sign-in screen through its authorization URL; collects what the CSP refused on the way. */
  async function signInScreen(rp: typeof shop): Promise<{ page: Page; refused: string[]; close: () => Promise<void> }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
    });
    const req = await authorizationRequest(rp.config);
    await page.goto(req.url.href);
    await page.waitForURL(/\/interaction\//);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    return { page, refused, close: () => context.close() };
  }

  const look = (page: Page) =>
    page.evaluate(() => {
      const logo = document.querySelector<HTMLImageElement>('.brand-logo');
      return {
        name: document.querySelector('.brand-name')?.textContent?.trim(),
        title: document.title,
        button: ((b) => (b ? getComputedStyle(b).backgroundColor : null))(document.querySelector('button[type=submit]')),
        logo: logo ? { loaded: logo.complete && logo.naturalWidth > 0, width: logo.naturalWidth, src: new URL(logo.src).origin } : null,
        favicon: document.querySelector<HTMLLinkElement>('link[rel=icon]')?.href ?? null,
      };
    });

  it('without branding, every app shows the built-in look', async () => {
    const { page, close } = await signInScreen(shop);
    const seen = await look(page);
    expect(seen).to.include({ name: 'Codeword', button: 'rgb(79, 70, 229)', logo: null, favicon: null });
    expect(seen.title).to.match(/· Codeword$/);
    await close();
  });

  it("shows the app's own name, colour and logo for one app, the installation's for another", async () => {
    await brand(server, null, { name: 'Acme', primaryColor: '#0A7D5A', favicon: ICO });
    await brand(server, 'shop', { name: 'Shop Deluxe', primaryColor: '#b91c1c', logo: PNG });

    const own = await signInScreen(shop);
    const seenShop = await look(own.page);
    expect(seenShop).to.include({ name: 'Shop Deluxe', button: 'rgb(185, 28, 28)' });
    expect(seenShop.title).to.match(/· Shop Deluxe$/);
    expect(seenShop.logo, 'the logo is shown, served by this server').to.deep.equal({ loaded: true, width: 40, src: server.url });
    expect(seenShop.favicon, "the installation's favicon where the app has none").to.match(/\/branding\/global\/favicon-[0-9a-f]{16}$/);
    expect(await own.page.getByRole('img').count(), 'the logo beside the name is decorative').to.equal(0);
    expect(own.refused, 'nothing was refused by the Content-Security-Policy').to.deep.equal([]);
    // An error screen of the app's sign-in (here a form whose CSRF token is stale) is branded as the app too.
    await own.page.locator('input[name=csrf]').evaluate((i: HTMLInputElement) => (i.value = 'stale'));
    await own.page.getByLabel('Username or email').fill('someone');
    await own.page.getByLabel('Password').fill('anything at all');
    await own.page.getByRole('button', { name: 'Sign in' }).click();
    await own.page.getByRole('heading', { level: 1 }).waitFor();
    expect((await look(own.page)).name, own.page.url()).to.equal('Shop Deluxe');
    expect(await own.page.locator('h1').textContent()).to.not.contain('Sign in');
    await own.close();

    const other = await signInScreen(blog);
    const seenBlog = await look(other.page);
    expect(seenBlog).to.include({ name: 'Acme', button: 'rgb(10, 125, 90)', logo: null });
    expect(seenBlog.title).to.match(/· Acme$/);
    expect(other.refused).to.deep.equal([]);
    await other.close();
  });

  it('serves the branded stylesheet and images from this origin, under the one CSP, cached by their hash', async () => {
    const { page, close } = await signInScreen(shop);
    const sheets = await page.evaluate(() => [...document.querySelectorAll<HTMLLinkElement>('link[rel=stylesheet]')].map((l) => l.getAttribute('href')));
    await close();
    expect(sheets[0]).to.equal('/assets/style.css');
    expect(sheets[1], 'the branded stylesheet, after the built-in one').to.match(/^\/branding\/apps\/shop\/style-[0-9a-f]{16}\.css$/);
    const res = await fetch(`${server.url}${sheets[1]}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/css/);
    expect(res.headers.get('cache-control')).to.contain('immutable');
    expect(await res.text()).to.contain('--brand-primary:#b91c1c');
    const stale = await fetch(`${server.url}/branding/apps/shop/style-0000000000000000.css`);
    expect(stale.headers.get('cache-control'), 'an old hash is answered, never cached').to.equal('no-cache');
    expect((await fetch(`${server.url}/branding/apps/shop/secrets`)).status).to.equal(404);
    // The screens' policy needs no 'unsafe-inline' for any of it.
    expect(res.headers.get('content-security-policy')).to.contain("style-src 'self'").and.not.contain('unsafe-inline');
  });

  it('an app left with nothing of its own shows the installation again; with no branding at all, the built-in look', async () => {
    await brand(server, 'shop', { name: null, primaryColor: null, logo: null });
    const a = await signInScreen(shop);
    expect(await look(a.page)).to.include({ name: 'Acme', button: 'rgb(10, 125, 90)', logo: null });
    await a.close();
    await server.container.admin.branding.remove({ kind: 'user', id: 'branding-test' }, null);
    const b = await signInScreen(shop);
    expect(await look(b.page)).to.include({ name: 'Codeword', button: 'rgb(79, 70, 229)', favicon: null });
    await b.close();
  });
});
