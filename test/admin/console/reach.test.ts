// The console for more people: in the admin's language (Spanish here) with a switch, and usable on a 390 px phone.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.ts';
import type { TestServer } from '../../helpers/server.ts';
import { ADMIN, startConsoleServer } from './harness.ts';

const PAGES = ['/admin', '/admin/apps', '/admin/users', '/admin/users/new', '/admin/sms-accounts', '/admin/templates', '/admin/connection', '/admin/factor', '/admin/policies', '/admin/messages', '/admin/audit'];

describe('admin console: language and small screens', function () {
  this.timeout(120_000);
  let server: TestServer;
  let browser: TestBrowser;
  let page: Page;

  before(async () => {
    server = await startConsoleServer({ smsWorker: false });
    browser = await launchBrowser();
    page = await (await browser.browser.newContext({ locale: 'es-ES', viewport: { width: 390, height: 844 } })).newPage();
    await page.goto(`${server.url}/admin`);
    await page.getByLabel('Usuario o correo electrónico').fill(ADMIN.username);
    await page.getByLabel('Contraseña').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.getByRole('heading', { name: 'Panel' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('speaks the admin\'s accept-language: Spanish sections, labels and error sentences', async () => {
    expect(await page.locator('html').getAttribute('lang')).to.equal('es');
    await page.getByRole('navigation', { name: 'Secciones' }).getByRole('link', { name: 'Usuarios', exact: true }).click();
    await page.getByRole('heading', { name: 'Usuarios' }).waitFor();
    await page.getByRole('link', { name: 'Añadir un usuario' }).click();
    await page.getByLabel('Número de teléfono', { exact: true }).fill('12');
    await page.getByRole('button', { name: 'Crear usuario' }).click();
    expect(await page.getByRole('alert').textContent()).to.contain('Los datos del usuario no son válidos.');
    expect(await page.getByLabel('Número de teléfono', { exact: true }).getAttribute('aria-invalid')).to.equal('true');
    expect(await page.getByLabel('Número de teléfono', { exact: true }).inputValue()).to.equal('12');
  });

  it('switches language from the header and keeps the choice', async () => {
    await page.getByLabel('Idioma', { exact: true }).first().selectOption('fr');
    await page.getByRole('button', { name: 'Cambiar' }).click();
    await page.waitForURL(/\/admin\/users/);
    expect(await page.locator('html').getAttribute('lang')).to.equal('fr');
    await page.goto(`${server.url}/admin/messages`);
    expect(await page.locator('html').getAttribute('lang')).to.equal('fr');
    await page.getByLabel('Langue', { exact: true }).selectOption('es');
    await page.getByRole('button', { name: 'Changer' }).click();
    await page.getByRole('heading', { name: 'Mensajes' }).waitFor();
  });

  it('fits every console page into a 390 px wide screen', async () => {
    for (const path of PAGES) {
      await page.goto(`${server.url}${path}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${path} is ${width} px wide`).to.be.at.most(390);
    }
  });

  it('draws the dashboard chart with axes and values, and says what sent, delivered and verified mean', async () => {
    await page.goto(`${server.url}/admin`);
    expect(await page.locator('svg.chart .y-axis text').allTextContents()).to.include('0');
    expect(await page.locator('svg.chart .x-axis').count()).to.equal(1);
    expect(await page.locator('#definitions').textContent()).to.contain('Enviado: entregado al proveedor y no fallido');
  });
});
