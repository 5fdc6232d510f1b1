// An admin runs Codeword from the console in a real browser, by label and role: SMS account, template, factor, policy, "Try".
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { type FakeTwilio, startFakeTwilio } from '../../fakes/fake-twilio.ts';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.ts';
import type { TestServer } from '../../helpers/server.ts';
import { ADMIN, startConsoleServer } from './harness.ts';

describe('admin console in a browser', function () {
  this.timeout(120_000);
  let server: TestServer;
  let fake: FakeTwilio;
  let browser: TestBrowser;
  let page: Page;

  before(async () => {
    server = await startConsoleServer();
    fake = await startFakeTwilio();
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
  });
  after(async () => {
    await browser?.close();
    await fake?.close();
    await server?.close();
  });

  const nav = (name: string) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true }).click();
  const notice = () => page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

  it('signs the admin in through Codeword', async () => {
    await page.goto(`${server.url}/admin`);
    await page.getByLabel('Username or email').fill(ADMIN.username);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  });

  it('adds a Twilio account pointed at the fake Twilio and verifies it', async () => {
    await nav('SMS accounts');
    await page.getByRole('link', { name: 'Add a Twilio account' }).click();
    await page.getByLabel('Account name').fill('Twilio');
    await page.getByLabel('Account SID').fill(fake.accountSid);
    await page.getByLabel('Auth Token', { exact: true }).fill(fake.authToken);
    await page.getByLabel('From (number, short code or sender ID)').fill(fake.fromNumber);
    await page.getByLabel('API base URL').fill(fake.url);
    await page.getByRole('button', { name: 'Create account' }).click();
    await notice();
    expect(await page.locator('#verification-status').textContent()).to.equal('Not verified');
    expect(await page.content()).not.to.contain(fake.authToken);
    await page.getByRole('button', { name: 'Verify credentials' }).click();
    await page.getByRole('status').filter({ hasText: 'Verification finished' }).waitFor();
    expect(await page.locator('#verification-status').textContent()).to.equal('Verified');
  });

  it('edits the Spanish sign-in template and sees the preview segments update while typing', async () => {
    await nav('Templates');
    await page.getByRole('link', { name: 'Edit Sign-in code in es' }).click();
    const body = page.getByLabel('Message text');
    expect(await body.inputValue()).to.contain('Usa {{ code }} para entrar en');
    const segments = page.locator('#preview-segments');
    expect(await segments.textContent()).to.equal('1');
    await body.fill(`{{ code }} ${'es tu codigo de acceso '.repeat(20)}`);
    await page.waitForFunction(() => document.getElementById('preview-segments')?.textContent === '4');
    expect(await page.locator('#preview-encoding').textContent()).to.equal('GSM-7');
    await body.fill('Tu codigo: {{ code }}');
    await page.waitForFunction(() => document.getElementById('preview-segments')?.textContent === '1');
    await body.fill('Tu codigo: nada');
    await page.getByText('must contain the code').waitFor();
    await body.fill('Tu codigo: {{ code }}');
    await page.waitForFunction(() => document.getElementById('preview-error')?.hidden === true);
    await page.getByRole('button', { name: 'Save' }).click();
    await notice();
    const stored = await server.container.sms.templates.list({ purpose: 'login', language: 'es' });
    expect(stored.map((t) => t.body)).to.deep.equal(['Tu codigo: {{ code }}']);
  });

  it('adds a user with a phone number and turns the SMS factor on', async () => {
    await nav('Users');
    await page.getByRole('link', { name: 'Add a user' }).click();
    await page.getByLabel('Username').fill('kim');
    await page.getByLabel('Phone number', { exact: true }).fill('+61 491 570 156');
    await page.getByLabel('Phone number verified').check();
    await page.getByRole('button', { name: 'Create user' }).click();
    await notice();

    await nav('SMS factor');
    const field = page.getByLabel('Phone field');
    expect(await field.locator('option').allTextContents()).to.include('Phone number (built-in phone_number)');
    await page.getByLabel('SMS factor active').check();
    await page.getByLabel('SMS account that sends the codes').selectOption({ label: 'Twilio (Verified)' });
    await page.getByRole('button', { name: 'Save' }).click();
    await notice();
    await page.getByText('SMS options are offered to users.').waitFor();
  });

  it('enables the SMS factor and then SMS reset in a policy, and sees the error the other way round', async () => {
    await nav('Policies');
    await page.getByLabel('Policy name').fill('Staff');
    await page.getByRole('button', { name: 'Create policy' }).click();
    const reset = page.getByLabel('Password reset by SMS');
    const factor = page.getByLabel('SMS factor', { exact: true });
    expect(await reset.isDisabled()).to.equal(true);
    expect(await page.getByText('Password reset by SMS needs the SMS factor: tick').isVisible()).to.equal(true);

    // SMS reset first (a form sent with the box forced on): the service's 422, shown inline.
    await reset.evaluate((el) => {
      (el as HTMLInputElement).disabled = false;
    });
    await reset.check();
    await page.getByRole('button', { name: 'Save' }).click();
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).to.contain('Password reset by SMS needs the SMS factor: enable sms');
    expect(await reset.isDisabled()).to.equal(true);

    // The right order: the SMS factor, then SMS reset (ticking the factor makes the box available at once).
    await factor.check();
    expect(await reset.isDisabled()).to.equal(false);
    await page.getByRole('button', { name: 'Save' }).click();
    await notice();
    await reset.check();
    await page.getByRole('button', { name: 'Save' }).click();
    await notice();
    expect(await reset.isChecked()).to.equal(true);

    // And the factor cannot go while SMS reset uses it.
    await factor.uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.getByRole('alert').textContent()).to.contain('The SMS factor cannot be removed while password reset by SMS uses it');
    const stored = (await server.container.policies.list()).find((p) => p.name === 'Staff');
    expect(stored!.mfa.factors).to.deep.equal(['sms']);
    expect(stored!.passwordUpdate.methods).to.deep.equal(['sms']);
  });

  it('runs "Try" on the SMS connection: a passwordless sign-in by text message, then the ID token claims', async () => {
    await nav('SMS connection');
    expect(await page.getByRole('button', { name: 'Try', exact: true }).isDisabled()).to.equal(true);
    await page.getByLabel('Offer sign-in by text message').check();
    await page.getByLabel('SMS account', { exact: true }).selectOption({ label: 'Twilio (Verified)' });
    await page.getByLabel('SMS sign-in test (admin console)').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await notice();
    await page.getByRole('button', { name: 'Try', exact: true }).click();

    await page.getByLabel('Phone number').fill('+61491570156');
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByLabel('Verification code').waitFor();
    let code: string | undefined;
    for (let i = 0; i < 100 && !code; i++) {
      code = fake.lastCode('+61491570156');
      if (!code) await page.waitForTimeout(100);
    }
    expect(code, 'the worker delivered the code to the fake Twilio').to.be.a('string');
    expect(fake.messagesTo('+61491570156').at(-1)?.body).to.match(/^\d{6}\b/);
    await page.getByLabel('Verification code').fill(code!);
    await page.getByRole('button', { name: 'Verify' }).click();

    await page.getByRole('heading', { name: 'SMS sign-in test' }).waitFor();
    const claims = page.getByRole('table', { name: 'ID token claims' });
    const value = async (name: string) => (await claims.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) }).getByRole('cell').first().textContent())?.trim();
    const kim = await server.container.users.findByLogin('kim');
    expect((await value('sub'))?.startsWith(kim!.id)).to.equal(true);
    expect(await value('aud')).to.equal('codeword-sms-try');
    expect(await value('amr')).to.contain('"sms"');
    expect(await value('iss')).to.equal(server.url);
    // The console session is untouched by the test sign-in.
    await nav('Dashboard');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  });
});
