// Support in a real browser: "I never got the SMS" answered from the message log by the whole number, down to the provider's error meaning,
// every attempt and every delivery report.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { type FakeTwilio, startFakeTwilio } from '../../fakes/fake-twilio.ts';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.ts';
import { registerClient } from '../../helpers/rp.ts';
import type { TestServer } from '../../helpers/server.ts';
import { twilioSettings } from '../../sms/harness.ts';
import { ADMIN, startConsoleServer } from './harness.ts';

const KIM = '+61491570156';
const LEE = '+61491570157';

describe('admin console: support answers from the message log', function () {
  this.timeout(120_000);
  let server: TestServer;
  let fake: FakeTwilio;
  let browser: TestBrowser;
  let page: Page;
  let kimId: string;
  let leeMessage: string;
  let t = Date.now();

  before(async () => {
    fake = await startFakeTwilio({ now: () => t });
    server = await startConsoleServer({ smsWorker: false, now: () => t });
    const { sms, users } = server.container;
    for (const clientId of ['shop', 'blog']) await registerClient(server, { clientId });
    const account = await sms.accounts.create({ name: 'Twilio', provider: 'twilio', isDefault: true, settings: twilioSettings(fake, { statusCallbacks: true }) });
    await sms.accounts.verify(account.id);
    kimId = (await users.create({ username: 'kim', phoneNumber: KIM, phoneNumberVerified: true })).id;
    // Kim's code, for the shop: Twilio is unavailable at first, then refuses the number. Lee's, for the blog, goes out
    // and is reported undelivered by a status callback (then a late "sent" that changes nothing).
    fake.script({ status: 503 });
    await sms.sender.enqueue({ purpose: 'login', to: KIM, code: '482913', clientId: 'shop' });
    await sms.worker.runOnce();
    fake.failFor(KIM, 21211);
    t += 60_000;
    leeMessage = (await sms.sender.enqueue({ purpose: 'login', to: LEE, code: '111222', clientId: 'blog' })).id;
    await sms.worker.runOnce();
    const sid = (await sms.sender.status(leeMessage)).providerMessageId!;
    t += 5_000;
    expect(await fake.postStatus(sid, 'undelivered', { errorCode: 30003 })).to.equal(204);
    t += 5_000;
    expect(await fake.postStatus(sid, 'sent')).to.equal(204);
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
    // Segments, and the price the spend limits counted for it (the default price per segment, no price set for AU).
    expect(await page.locator('#message-price').textContent()).to.equal('0.0500 USD (estimate: 1 × 0.05, the price set for AU)');
    const html = await page.content();
    expect(html).not.to.contain('482913');
    expect(html).not.to.contain(KIM);
  });

  it('filters by app next to the other filters, and the detail shows every attempt with its HTTP status, code and meaning, never the provider\'s answer', async () => {
    await page.goto(`${server.url}/admin/messages`);
    await page.getByLabel('App').selectOption('shop');
    await page.getByRole('button', { name: 'Filter' }).click();
    const rows = page.locator('table.grid tbody tr');
    expect(await rows.count()).to.equal(1);
    expect(await rows.first().textContent()).to.contain('+61•••••••56');
    // With the number too; and the other app has none of Kim's.
    await page.getByLabel('Recipient number').fill(KIM);
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await rows.count()).to.equal(1);
    await page.getByLabel('App').selectOption('blog');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await rows.first().textContent()).to.equal('Nothing here yet.');

    await page.goto(`${server.url}/admin/messages?clientId=shop`);
    await rows.first().getByRole('link').click();
    await page.getByRole('heading', { name: 'Message', exact: true }).waitFor();
    expect(await page.getByRole('table', { name: 'Message details' }).textContent()).to.contain('shop');
    const attempts = page.getByRole('table', { name: 'Attempts at the provider' }).locator('tbody tr');
    expect(await attempts.count()).to.equal(2);
    const [first, second] = [await attempts.nth(0).textContent(), await attempts.nth(1).textContent()];
    expect(first).to.contain('503').and.contain('Failed; tried again later').and.contain('Our text message provider is unavailable.').and.contain('twilio · Twilio');
    expect(second).to.contain('400').and.contain('21211').and.contain('The number does not exist.').and.contain('Failed; not tried again');
    // Twilio's own answer (its message text) is never kept or shown.
    expect(await page.content()).not.to.contain("The 'To' number is not a valid phone number.");
    expect(await page.getByRole('table', { name: 'Delivery reports received' }).textContent()).to.contain('None received.');
  });

  it('shows the delivery reports received, in order, and which of them changed nothing', async () => {
    await page.goto(`${server.url}/admin/messages/${leeMessage}`);
    const attempts = page.getByRole('table', { name: 'Attempts at the provider' }).locator('tbody tr');
    expect(await attempts.count()).to.equal(1);
    expect(await attempts.first().textContent()).to.contain('Accepted by the provider');
    const reports = page.getByRole('table', { name: 'Delivery reports received' }).locator('tbody tr');
    expect(await reports.count()).to.equal(2);
    const undelivered = await reports.nth(0).textContent();
    expect(undelivered).to.contain('Sent by the provider').and.contain('undelivered').and.contain('30003');
    expect(undelivered).to.contain('The phone could not be reached.');
    expect(undelivered).not.to.contain('status unchanged');
    expect(await reports.nth(1).textContent()).to.contain('sent').and.contain('(repeated or late: status unchanged)');
    expect(await page.locator('#message-status').textContent()).to.equal('undelivered');
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
