// Support in a real browser: "I never got the SMS" answered from the message log by the whole number, down to the provider's error meaning.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { type FakeTwilio, startFakeTwilio } from '../../fakes/fake-twilio.ts';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.ts';
import type { TestServer } from '../../helpers/server.ts';
import { twilioSettings } from '../../sms/harness.ts';
import { ADMIN, startConsoleServer } from './harness.ts';

const KIM = '+61491570156';

describe('admin console: support answers from the message log', function () {
  this.timeout(120_000);
  let server: TestServer;
  let fake: FakeTwilio;
  let browser: TestBrowser;
  let page: Page;
  let kimId: string;

  before(async () => {
    fake = await startFakeTwilio();
    server = await startConsoleServer({ smsWorker: false });
    const { sms, users } = server.container;
    const account = await sms.accounts.create({ name: 'Twilio', provider: 'twilio', isDefault: true, settings: twilioSettings(fake) });
    await sms.accounts.verify(account.id);
    kimId = (await users.create({ username: 'kim', phoneNumber: KIM, phoneNumberVerified: true })).id;
    // Kim's code is refused by the provider; someone else's goes out.
    fake.failFor(KIM, 21211);
    await sms.sender.enqueue({ purpose: 'login', to: KIM, code: '482913' });
    await sms.sender.enqueue({ purpose: 'login', to: '+61491570157', code: '111222' });
    await sms.worker.runOnce();
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/admin`);
    await page.getByLabel('Username or email').fill(ADMIN.username);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await fake?.close();
  });

  it('finds the user\'s failed message by their whole number and shows what the provider\'s error means', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Messages', exact: true }).click();
    expect(await page.locator('table.grid tbody tr').count()).to.equal(2);
    await page.getByLabel('Recipient number').fill('+61 491 570 156');
    await page.getByRole('button', { name: 'Filter' }).click();
    const rows = page.locator('table.grid tbody tr');
    expect(await rows.count()).to.equal(1);
    expect(await rows.first().textContent()).to.contain('+61•••••••56').and.contain('failed');
    await rows.first().getByRole('link').click();
    await page.getByRole('heading', { name: 'Message' }).waitFor();
    expect(await page.locator('#message-status').textContent()).to.equal('failed');
    expect(await page.locator('#message-reason').textContent()).to.contain('The number does not exist.');
    const facts = await page.getByRole('table', { name: 'Message details' }).textContent();
    expect(facts).to.contain('21211').and.contain('Sign-in code');
    const html = await page.content();
    expect(html).not.to.contain('482913');
    expect(html).not.to.contain(KIM);
  });

  it('a wrong number in the search reads as a sentence beside the field', async () => {
    await page.goto(`${server.url}/admin/messages?to=0491570156`);
    expect(await page.getByRole('alert').textContent()).to.contain('must be a whole phone number in international form');
  });

  it('the user\'s page lists their recent messages, with a link to the detail', async () => {
    await page.goto(`${server.url}/admin/users/${kimId}`);
    const recent = page.getByRole('region', { name: 'Recent text messages' });
    expect(await recent.locator('tbody tr').count()).to.equal(1);
    expect(await recent.textContent()).to.contain('The number does not exist.');
  });
});
