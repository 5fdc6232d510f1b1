// The API reference page renders the served OpenAPI document with the renderer served from our own origin, under a
// policy relaxed for that page only.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.ts';
import type { TestServer } from '../../helpers/server.ts';
import { ADMIN, signIn, startConsoleServer } from './harness.ts';

const GLOBAL_CSP = "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;object-src 'none';base-uri 'none';frame-ancestors 'none'";

describe('admin console: API reference', function () {
  this.timeout(120_000);
  let server: TestServer;
  let browser: TestBrowser;

  before(async () => {
    server = await startConsoleServer({ smsWorker: false });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(): Promise<{ page: Page; blocked: string[]; requests: string[] }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const blocked: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) blocked.push(m.text());
    });
    page.on('request', (r) => requests.push(r.url()));
    // Every refusal of the page policy, as the page itself hears of it.
    await page.exposeFunction('reportCspViolation', (v: string) => blocked.push(v));
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportCspViolation(v: string): void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`)),
    );
    await page.goto(`${server.url}/admin`);
    await page.getByLabel('Username or email').fill(ADMIN.username);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    return { page, blocked, requests };
  }

  it('is linked from the console nav and renders the operations of the admin API, fetching nothing from elsewhere', async () => {
    const { page, blocked, requests } = await signedIn();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'API reference' }).click();
    await page.getByRole('heading', { name: 'API reference', level: 1 }).waitFor();
    const reference = page.locator('#api-reference');
    // Operations as Swagger UI lists them: method, path and summary.
    await reference.getByText('/messages/{id}', { exact: true }).first().waitFor({ timeout: 30_000 });
    await expect(await reference.getByText('/users', { exact: true }).count()).to.be.greaterThan(0);
    expect(await reference.getByText('Codeword admin API').count()).to.be.greaterThan(0);
    // Opening an operation shows its parameters, e.g. the message log's recipient search.
    await reference.locator('.opblock-summary-path', { hasText: /^\/messages$/ }).first().click();
    await reference.getByText('The whole recipient number', { exact: false }).first().waitFor();
    expect(blocked, 'nothing refused by the page policy').to.deep.equal([]);
    const origin = new URL(server.url).origin;
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:')), 'no request leaves the server').to.deep.equal([]);
  });

  it('relaxes the policy on that page only: other pages keep the global one', async () => {
    const admin = await signIn(server);
    const docs = await admin.get('/admin/api-docs');
    expect(docs.status).to.equal(200);
    const relaxed = docs.headers.get('content-security-policy');
    // The global policy plus calls to the issuer (the document's server and token URL); scripts and styles as strict.
    expect(relaxed).to.equal(`${GLOBAL_CSP};connect-src 'self' ${new URL(server.url).origin}`);
    for (const path of ['/admin', '/admin/messages', '/admin/users', '/admin/api-docs/assets/swagger-ui-bundle.js', '/assets/admin.css']) {
      const res = await admin.get(path);
      expect(res.status, path).to.equal(200);
      expect(res.headers.get('content-security-policy'), path).to.equal(GLOBAL_CSP);
    }
    const signedOut = await fetch(`${server.url}/interaction/none`);
    expect(signedOut.headers.get('content-security-policy')).to.equal(GLOBAL_CSP);
  });

  it('serves the renderer files from disk, and nothing else of the package, to signed-in admins only', async () => {
    const admin = await signIn(server);
    const bundle = await admin.get('/admin/api-docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).to.equal(200);
    expect(bundle.headers.get('content-type')).to.contain('javascript');
    expect(bundle.html).to.contain('SwaggerUIBundle');
    const css = await admin.get('/admin/api-docs/assets/swagger-ui.css');
    expect(css.headers.get('content-type')).to.contain('text/css');
    for (const name of ['package.json', 'index.html', '..%2Fpackage.json', 'swagger-initializer.js']) {
      expect((await admin.get(`/admin/api-docs/assets/${name}`)).status, name).to.equal(404);
    }
    const anonymous = await fetch(`${server.url}/admin/api-docs/assets/swagger-ui-bundle.js`, { redirect: 'manual' });
    expect(anonymous.status).to.not.equal(200);
  });
});
