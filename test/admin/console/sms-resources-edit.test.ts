// An admin edits an Alibaba provider template (purpose, region, language, ${param} ← variable, apps) and a signature in a
// real browser: errors beside the field, Saved after the redirect, the change audited; the Templates page shows the mapping.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { type FakeAlibaba, startFakeAlibaba } from '../../fakes/fake-alibaba.ts';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.ts';
import { registerClient } from '../../helpers/rp.ts';
import type { TestServer } from '../../helpers/server.ts';
import { alibabaAccount, DOMESTIC_LOGIN, INTERNATIONAL_LOGIN } from '../../sms/alibaba-setup.ts';
import { ADMIN, startConsoleServer } from './harness.ts';

describe('admin console: editing Alibaba provider templates and signatures in a browser', function () {
  this.timeout(120_000);
  let server: TestServer;
  let fake: FakeAlibaba;
  let browser: TestBrowser;
  let page: Page;
  let setup: Awaited<ReturnType<typeof alibabaAccount>>;

  before(async () => {
    server = await startConsoleServer({ smsWorker: false });
    fake = await startFakeAlibaba();
    setup = await alibabaAccount(server.container.sms, fake, { name: 'Aliyun' });
    await registerClient(server, { clientId: 'shop' });
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
    await fake?.close();
    await server?.close();
  });

  const resources = () => page.goto(`${server.url}/admin/sms-accounts/${encodeURIComponent(setup.account.id)}/resources`);
  /** Clicks Save and waits for the answer page (the form again with its errors, or the page redirected to). */
  const save = () => Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save' }).click()]);
  const saved = async () => {
    const alert = await page.getByRole('alert').allTextContents();
    expect(alert, 'no error').to.deep.equal([]);
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  };
  const audited = async (action: string, target: string) => (await server.container.db('audit_events').where({ action, target })).length;

  it('edits a provider template: an unmapped parameter is refused beside its select, then purpose, language, mapping and apps are saved', async () => {
    await resources();
    await page.getByRole('link', { name: `${INTERNATIONAL_LOGIN} (Edit, login, international)` }).click();
    await page.getByRole('heading', { name: `Provider template ${INTERNATIONAL_LOGIN}` }).waitFor();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
    expect(await page.locator('#approved-text').textContent()).to.contain('Your ${product} verification code is ${code}');
    expect(await page.locator('#preview-text').textContent()).to.equal('Your Codeword verification code is 123456. It expires in 10 minutes.');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
    const product = page.getByLabel('${product} ←');
    expect(await product.inputValue()).to.equal('application_name');

    await product.selectOption({ label: '— not mapped —' });
    await save();
    await page.getByRole('alert').waitFor();
    expect(await product.getAttribute('aria-invalid')).to.equal('true');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
    expect(await page.locator('#error-params-product').textContent()).to.contain('the provider template needs ${product}');
    expect((await server.container.sms.resources.templates.get(setup.international.id)).params.product, 'nothing saved').to.equal('application_name');

    await product.selectOption('user_name');
    await page.getByLabel('Purpose').selectOption({ label: 'Second-factor code' });
    await page.getByLabel('Language of the approved text (blank: any)').fill('en');
    await page.getByLabel('General: any app may use it').uncheck();
    await page.getByLabel('Authorize apps (client ids, separated by commas)').fill('shop');
    await save();
    await saved();
    expect(page.url()).to.match(/\/templates\/[^/?]+\?saved=1$/);
    const t = await server.container.sms.resources.templates.get(setup.international.id);
    expect(t).to.deep.include({ purpose: 'mfa', region: 'international', language: 'en', general: false, clientIds: ['shop'] });
    expect(t.params).to.deep.equal({ code: 'code', product: 'user_name', minutes: 'expires_in_minutes' });
    expect(await audited('sms_provider_template.update', t.id)).to.equal(1);
  });

  it('refuses the wrong region, an unknown app and a wrong language tag beside their fields', async () => {
    await page.getByRole('heading', { name: `Provider template ${INTERNATIONAL_LOGIN}` }).waitFor();
    await page.getByLabel('Region').selectOption({ label: 'Domestic numbers' });
    await save();
    expect(await page.getByLabel('Region').getAttribute('aria-invalid')).to.equal('true');
    expect(await page.locator('#error-region').textContent()).to.contain('approved template SMS_200000001 for international messages');
    await page.getByLabel('Region').selectOption('international');
    await page.getByLabel('Language of the approved text (blank: any)').fill('not a language');
    await save();
    await page.getByRole('alert').waitFor();
    expect(await page.locator('#error-language').textContent()).to.contain('BCP 47');
    expect(await page.getByLabel('Language of the approved text (blank: any)').inputValue(), 'what was typed is kept').to.equal('not a language');
    await page.getByLabel('Language of the approved text (blank: any)').fill('');
    await page.getByLabel('Authorize apps (client ids, separated by commas)').fill('shop, nobody');
    await save();
    await page.getByRole('alert').waitFor();
    expect(await page.locator('#error-clientIds').textContent()).to.contain('there is no app "nobody"');
  });

  it('edits a signature: brackets in the sign name are refused beside it; name, note and access are saved', async () => {
    await resources();
    await page.getByRole('link', { name: 'Codeword (Edit, international)' }).click();
    const name = page.getByLabel('Sign name');
    await name.fill('【Codeword】');
    await save();
    await page.getByRole('alert').waitFor();
    expect(await name.getAttribute('aria-invalid')).to.equal('true');
    expect(await page.locator('#error-signName').textContent()).to.contain('without brackets');
    await name.fill('Codeword Intl');
    await page.getByLabel('Note').fill('approved 2026-11-02');
    await page.getByLabel('General: any app may use it').uncheck();
    await page.getByLabel('Authorize apps (client ids, separated by commas)').fill('shop');
    await save();
    await saved();
    const s = await server.container.sms.resources.signatures.get(setup.internationalSign.id);
    expect(s).to.deep.include({ signName: 'Codeword Intl', region: 'international', note: 'approved 2026-11-02', general: false, clientIds: ['shop'] });
    expect(await audited('sms_signature.update', s.id)).to.equal(1);
  });

  it("shows on the Templates page which provider template each purpose, region and language resolves to, and what is not mapped", async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Templates', exact: true }).click();
    await page.getByRole('heading', { name: 'Aliyun: provider templates by purpose, region and language' }).waitFor();
    const row = (purpose: string, region: string) => page.locator(`tr[data-purpose="${purpose}"][data-region="${region}"]`);
    expect(await row('login', 'domestic').textContent()).to.contain(DOMESTIC_LOGIN).and.to.contain('Other languages');
    // Sign-up has no template of its own: the sign-in one.
    expect(await row('signup', 'domestic').textContent()).to.contain(DOMESTIC_LOGIN).and.to.contain('uses Sign-in code');
    // The international template now serves MFA in English, and other languages fall back to it.
    const mfa = await row('mfa', 'international').allTextContents();
    expect(mfa.join('|')).to.contain('en').and.to.contain(INTERNATIONAL_LOGIN).and.to.contain('falls back to en');
    expect(await row('password_changed', 'domestic').textContent()).to.contain('Not mapped');
    await row('mfa', 'international').first().getByRole('link', { name: INTERNATIONAL_LOGIN }).click();
    await page.getByRole('heading', { name: `Provider template ${INTERNATIONAL_LOGIN}` }).waitFor();
  });

  it('fetches the approved text again from the template form and stays on it', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
    fake.templates.set(INTERNATIONAL_LOGIN, '${product}: your code is ${code} (${minutes} min)');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Fetch text again' }).click()]);
    await saved();
    expect(page.url()).to.match(/\/templates\/[^/?]+\?saved=1$/);
    expect(await page.locator('#preview-text').textContent()).to.equal('Alex Example: your code is 123456 (10 min)');
  });
});
