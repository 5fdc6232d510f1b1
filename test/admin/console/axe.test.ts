// Every console page, with data on it, passes axe-core with no violations and does not overflow a 390 px phone screen.
import { expect } from 'chai';
import type { Middleware } from 'koa';
import type { Page } from 'playwright-core';
import { consoleRoutes } from '../../../src/admin/console/routes.ts';
import { type FakeAlibaba, startFakeAlibaba } from '../../fakes/fake-alibaba.ts';
import { axeViolations } from '../../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.ts';
import { registerClient } from '../../helpers/rp.ts';
import { brandingPatchInput } from '../../../src/branding/schema.ts';
import { policyInputSchema } from '../../../src/policies/schema.ts';
import { ICO, PNG } from '../../branding/fixtures.ts';
import type { TestServer } from '../../helpers/server.ts';
import { alibabaAccount } from '../../sms/alibaba-setup.ts';
import { ADMIN, startConsoleServer } from './harness.ts';

/** Anything at all: the route table is read without running a handler, so its dependencies are never used. */
const anything: unknown = new Proxy(() => anything, { get: (_t, p) => (p === 'then' ? undefined : anything), apply: () => anything });

/** The console's GET pages, straight from its route table. */
function consoleGetRoutes(): string[] {
  const pass: Middleware = (_ctx, next) => next();
  const router = consoleRoutes({ screens: anything, csrf: anything, dashboard: anything, requireAdmin: pass, services: anything, issuer: 'http://127.0.0.1' } as Parameters<typeof consoleRoutes>[0]);
  return router.stack.filter((l) => l.methods.includes('GET')).flatMap((l) => (typeof l.path === 'string' ? [l.path] : []));
}

/** Routes that are not pages an admin opens: the end of a "Try" sign-in needs the state the provider sends back; the
 * API reference's renderer files are scripts and styles. */
const NOT_PAGES = new Set(['/admin/connection/try/callback', '/admin/api-docs/assets/:name']);

/** Pages drawn after load: what shows they are drawn (the API reference renders the OpenAPI document in the browser). */
const DRAWN: Record<string, string> = { '/admin/api-docs': '#api-reference .opblock' };

/**
 * Third-party markup left out of axe, and only it: Swagger UI's rendering breaks rules we cannot fix from outside
 * (buttons nested in its operation summaries, a `main` of its own, method badges' contrast); the page around it is checked.
 */
const THIRD_PARTY: Record<string, string[]> = { '/admin/api-docs': ['#api-reference'] };


describe('admin console accessibility (axe-core) and small screens', function () {
  this.timeout(300_000);
  let server: TestServer;
  let fake: FakeAlibaba;
  let browser: TestBrowser;
  let urls: string[];

  before(async () => {
    server = await startConsoleServer({ smsWorker: false });
    fake = await startFakeAlibaba();
    const c = server.container;
    const actor = { kind: 'user' as const, id: 'axe-seed' };
    await registerClient(server, { clientId: 'shop' });
    const admin = (await c.users.findByLogin(ADMIN.username))!;
    const inbox = await c.sms.accounts.create({ name: 'Inbox', provider: 'dev', settings: {} });
    const aliyun = await alibabaAccount(c.sms, fake, { name: 'Aliyun', isDefault: false });
    await c.sms.routing.create({ country: 'CN', clientId: 'shop', accountId: aliyun.account.id, fallbackAccountId: inbox.id, note: 'Mainland' });
    await c.sms.routing.create({ accountId: inbox.id });
    const policy = await c.policies.create(policyInputSchema.parse({ name: 'Staff' }));
    await c.admin.templates.save(actor, { purpose: 'login', language: 'es', body: 'Tu código: {{ code }}' });
    await c.admin.branding.update(actor, null, brandingPatchInput.parse({ name: 'Acme', primaryColor: '#0a7d5a', favicon: ICO }));
    await c.admin.branding.update(actor, 'shop', brandingPatchInput.parse({ name: 'Shop', logo: PNG, css: '.card{border-radius:0}' }));
    await c.admin.smsAccounts.testSend(actor, inbox.id, { to: '+61491570156' });
    const message = (await c.admin.messages.list({ limit: 1 })).items[0]!;
    await c.spend.settings.update({ countryCaps: [{ country: 'FR', hourly: 1, daily: 50 }], mfaReserve: 0, conversion: { windowSeconds: 3600, minSendsPrefix: 2, minSendsIp: 1000, minSendsCountry: 1000, threshold: 0.5 } });
    await c.spend.limits.reserve({ to: '+33612345678', provider: 'twilio', purpose: 'login', segments: 1 });
    for (const n of ['+33698760001', '+33698760002']) await c.spend.conversion.recordSend(n, '198.51.100.9');
    await c.spend.conversion.check('+33698760003', '198.51.100.9').catch(() => undefined);
    expect((await c.admin.audit.list({ limit: 1 })).items, 'an audit entry').to.have.length(1);

    // Each route as the URLs that show all of it; a new route without an entry here fails the test below.
    const providers = c.admin.smsAccounts.providers.list().map((d) => d.kind);
    const concrete: Record<string, string[]> = {
      '/admin/apps/:id': ['/admin/apps/shop'],
      '/admin/users/:id': [`/admin/users/${admin.id}`],
      '/admin/sms-accounts/new': providers.map((p) => `/admin/sms-accounts/new?provider=${p}`),
      '/admin/sms-accounts/:id': [`/admin/sms-accounts/${inbox.id}`, `/admin/sms-accounts/${aliyun.account.id}`],
      '/admin/sms-accounts/:id/resources': [`/admin/sms-accounts/${aliyun.account.id}/resources`],
      '/admin/sms-accounts/:id/signatures/:sid': [`/admin/sms-accounts/${aliyun.account.id}/signatures/${aliyun.domesticSign.id}`],
      '/admin/sms-accounts/:id/templates/:tid': [`/admin/sms-accounts/${aliyun.account.id}/templates/${aliyun.international.id}`],
      '/admin/templates/edit': ['/admin/templates/edit?purpose=login&language=es', '/admin/templates/edit?purpose=mfa&language=fr'],
      '/admin/policies/:id': [`/admin/policies/${policy.id}`],
      '/admin/messages/:id': [`/admin/messages/${message.id}`],
      '/admin/branding/apps/:clientId': ['/admin/branding/apps/shop'],
    };
    const routes = consoleGetRoutes().filter((r) => !NOT_PAGES.has(r));
    const missing = routes.filter((r) => r.includes(':') && !concrete[r]);
    expect(missing, 'console routes with parameters need concrete URLs in this test').to.deep.equal([]);
    urls = routes.flatMap((r) => concrete[r] ?? [r]);

    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await fake?.close();
    await server?.close();
  });

  async function signedInPage(width: number): Promise<Page> {
    const context = await browser.browser.newContext({ locale: 'en-US', viewport: { width, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/admin`);
    await page.getByLabel('Username or email').fill(ADMIN.username);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    return page;
  }

  const violations = axeViolations;

  /** Forms sent with wrong values (the server's answer, as an admin sees it): each shows its errors beside the fields. */
  const ERROR_STATES: { name: string; open: string; fill?: Record<string, string>; form?: string }[] = [
    { name: 'new app, a redirect URI that is not a URL', open: '/admin/apps/new', fill: { '#client_name': 'Shop', '#redirect_uris': 'not a url' }, form: 'form[action="/admin/apps"]' },
    { name: 'new Twilio account, several fields wrong at once', open: '/admin/sms-accounts/new?provider=twilio', fill: { '#name': 'Twilio', '#accountSid': 'AC123' }, form: 'form[action="/admin/sms-accounts"]' },
    { name: 'policy without a name', open: 'policy', fill: { '#name': '' }, form: '#policy-form' },
    { name: 'message search by a number that is not whole', open: '/admin/messages?to=0491570156&country=XX' },
    { name: 'audit filter with a date that is not one', open: '/admin/audit?since=yesterday' },
  ];

  for (const width of [1280, 390]) {
    it(`has no axe violations on console pages showing form errors at ${width} px`, async () => {
      const page = await signedInPage(width);
      const policyUrl = urls.find((u) => /^\/admin\/policies\/[^/]+$/.test(u))!;
      const problems: string[] = [];
      for (const state of ERROR_STATES) {
        await page.goto(`${server.url}${state.open === 'policy' ? policyUrl : state.open}`);
        if (state.form) {
          for (const [selector, value] of Object.entries(state.fill ?? {})) await page.locator(selector).fill(value);
          await page.locator(`${state.form} button[type="submit"]`).click();
        }
        const alert = page.getByRole('alert').first();
        await alert.waitFor();
        expect(await page.locator('[aria-invalid="true"]').count(), `${state.name}: a field is marked invalid`).to.be.greaterThan(0);
        for (const v of await violations(page)) problems.push(`${state.name}: ${v}`);
        if (width < 500) {
          const wide = await page.evaluate(() => document.documentElement.scrollWidth);
          if (wide > width) problems.push(`${state.name}: scrollWidth ${wide} > ${width}`);
        }
      }
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });
  }

  for (const width of [1280, 390]) {
    it(`has no axe violations on any console page at ${width} px${width < 500 ? ', and nothing wider than the screen' : ''}`, async () => {
      expect(urls).to.include.members(['/admin', '/admin/apps', '/admin/templates', '/admin/audit', '/admin/spend', '/admin/messages']);
      const page = await signedInPage(width);
      const problems: string[] = [];
      for (const url of urls) {
        const res = await page.goto(`${server.url}${url}`);
        expect(res?.status(), url).to.equal(200);
        expect(page.url(), `${url} stays in the console`).to.contain('/admin');
        if (DRAWN[url]) await page.locator(DRAWN[url]).first().waitFor();
        for (const v of await violations(page, THIRD_PARTY[url])) problems.push(`${url}: ${v}`);
        if (width < 500) {
          const wide = await page.evaluate(() => document.documentElement.scrollWidth);
          if (wide > width) problems.push(`${url}: scrollWidth ${wide} > ${width}`);
          // Nor may the page's content scroll sideways as a whole: only a wide table scrolls, in its own box.
          const main = await page.evaluate(() => {
            const m = document.querySelector('main')!;
            return { scroll: m.scrollWidth, client: m.clientWidth };
          });
          if (main.scroll > main.client) problems.push(`${url}: main scrollWidth ${main.scroll} > ${main.client}`);
        }
      }
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });
  }
});
