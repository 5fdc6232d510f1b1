// The console's branding page in a real browser: an uploaded logo survives a wrong colour, errors show beside their
// field, a save redirects, and an app gets branding of its own from the list.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { registerClient } from '../helpers/rp.ts';
import type { TestServer } from '../helpers/server.ts';
import { auditListQuery } from '../../src/admin/services/schemas/audit.ts';
import { ADMIN, startConsoleServer } from '../admin/console/harness.ts';
import { png } from './fixtures.ts';

describe('console: branding page', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: TestBrowser;
  let page: Page;

  before(async () => {
    server = await startConsoleServer({ smsWorker: false });
    await registerClient(server, { clientId: 'shop' });
    browser = await launchBrowser();
    const context = await browser.newContext();
    page = await context.newPage();
    await page.goto(`${server.url}/admin`);
    await page.getByLabel('Username or email').fill(ADMIN.username);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('keeps the chosen logo while the colour is wrong, then saves both', async () => {
    await page.getByRole('link', { name: 'Branding' }).click();
    await page.getByRole('heading', { name: 'Branding', level: 1 }).waitFor();
    await page.getByLabel('Name').fill('Acme');
    await page.getByLabel('Primary colour').fill('teal');
    await page.getByLabel('Upload a logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png(40, 20) });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.locator('#error-primaryColor').textContent()).to.contain('must be a colour as #rrggbb');
    expect(await page.getByLabel('Primary colour').getAttribute('aria-invalid')).to.equal('true');
    expect(await page.getByLabel('Name').inputValue(), 'what was typed is kept').to.equal('Acme');
    expect(await page.getByText('The image you chose is kept').count()).to.equal(1);

    await page.getByLabel('Primary colour').fill('#0A7D5A');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').waitFor();
    expect(page.url(), 'a save redirects').to.match(/\/admin\/branding\?saved=1$/);
    expect(await page.getByRole('img', { name: 'Current logo' }).evaluate((i: HTMLImageElement) => i.naturalWidth)).to.equal(40);
    const stored = await server.container.admin.branding.get(null);
    expect(stored).to.include({ name: 'Acme', primaryColor: '#0a7d5a' });
    expect(stored.logo).to.include({ type: 'image/png' });
  });

  it('refuses a file that is not an image of its type, beside the logo field', async () => {
    await page.getByLabel('Upload a logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('not a png at all') });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.locator('#error-logo').textContent()).to.contain('is not an image of type image/png');
    expect((await server.container.admin.branding.get(null)).logo, 'the stored logo stays').to.not.equal(null);
  });

  it('gives an app branding of its own; removing the logo leaves the rest', async () => {
    await page.goto(`${server.url}/admin/branding`);
    await page.getByRole('link', { name: 'Test RP' }).click();
    await page.getByRole('heading', { name: 'Branding of Test RP' }).waitFor();
    await page.getByLabel('Name').fill('Shop Deluxe');
    await page.getByLabel('Support contact').fill('help@shop.example');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').waitFor();
    expect(await server.container.admin.branding.get('shop')).to.include({ name: 'Shop Deluxe', supportContact: 'help@shop.example', primaryColor: null });
    await page.goto(`${server.url}/admin/branding`);
    expect(await page.locator('li', { hasText: 'Test RP' }).textContent()).to.contain('own branding');

    await page.getByLabel('Remove the logo').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').waitFor();
    expect(await server.container.admin.branding.get(null)).to.include({ name: 'Acme', logo: null });
    const events = await server.container.admin.audit.list(auditListQuery.parse({ limit: 5, action: 'branding.update' }));
    expect(events.items.map((e) => e.target)).to.include.members(['global', 'shop']);
  });
});
