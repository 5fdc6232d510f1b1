// Templates: Liquid and @@code@@ rendering, strict variables, SMS rules on save, preview with segment cost, narrowing.
import { expect } from 'chai';
import { AppError } from '../../src/errors.ts';
import { BUILTIN_TEMPLATES } from '../../src/sms/templates/defaults.ts';
import { PURPOSES } from '../../src/sms/types.ts';
import { AU_MOBILE, createHarness, type Harness } from './harness.ts';

async function rejects(p: Promise<unknown>, code: string, message?: RegExp): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    const e = err as AppError;
    expect(e.code).to.equal(code);
    expect(e.status).to.equal(400);
    if (message) expect(e.message).to.match(message);
    return e;
  }
  expect.fail(`expected ${code}`);
}

describe('SMS templates', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness({ config: { supportContact: 'help@example.com' }, options: { homeCountry: 'AU' } });
  });
  after(async () => h.close());

  it('ships a built-in text for every purpose in en, es, pt-BR, fr, de, zh-CN and ja, each valid for SMS', async () => {
    for (const lang of ['en', 'es', 'pt-BR', 'fr', 'de', 'zh-CN', 'ja']) {
      for (const purpose of PURPOSES) {
        const body = BUILTIN_TEMPLATES[lang]?.[purpose];
        expect(body, `${lang}/${purpose}`).to.be.a('string');
        const preview = await h.sms.templates.preview({ purpose, language: lang, body });
        expect(preview.segments, `${lang}/${purpose}`).to.be.within(1, 3);
      }
    }
  });

  it('renders Liquid variables: code, password alias, phone number, application, user, expiry, support contact, language', async () => {
    const body =
      '{{ code }}/{{ password }} for {{ phone_number }} on {{ application.name }} to {{ user.name }} ({{ user.login }}), {{ expires_in_minutes }} min, {{ support_contact }}, {{ request_language }}';
    const p = await h.sms.templates.preview({
      purpose: 'login',
      language: 'en',
      body,
      values: { code: '246810', phone_number: '+61491570156', application: { name: 'Acme' }, user: { name: 'Kim', login: 'kim' }, expires_in_minutes: 5 },
    });
    expect(p.text).to.equal('246810/246810 for +61491570156 on Acme to Kim (kim), 5 min, help@example.com, en\n@id.example.com #246810');
  });

  it('accepts Auth0-style @@code@@ and @@password@@ placeholders', async () => {
    const p = await h.sms.templates.preview({ purpose: 'mfa', language: 'en', body: 'Code @@code@@ (again: @@password@@)', values: { code: '135790' } });
    expect(p.text.split('\n')[0]).to.equal('Code 135790 (again: 135790)');
    await rejects(h.sms.templates.preview({ purpose: 'mfa', body: 'Code @@otp@@' }), 'sms_template_invalid', /unknown placeholder @@otp@@/);
  });

  it('rejects unknown variables and filters (strict), with the offending name in the message', async () => {
    await rejects(h.sms.templates.save({ purpose: 'login', language: 'en', body: 'Your code: {{ cod }}' }), 'sms_template_invalid', /undefined variable: cod/);
    await rejects(h.sms.templates.save({ purpose: 'login', language: 'en', body: '{{ code }} {{ user.email }}' }), 'sms_template_invalid', /undefined variable: user\.email/);
    await rejects(h.sms.templates.save({ purpose: 'login', language: 'en', body: '{{ code | shout }}' }), 'sms_template_invalid', /undefined filter: shout/);
    await rejects(h.sms.templates.save({ purpose: 'login', language: 'en', body: '{{ code }} {% if %}' }), 'sms_template_invalid');
  });

  it('refuses file includes', async () => {
    await rejects(h.sms.templates.save({ purpose: 'login', language: 'en', body: '{{ code }} {% include "secrets" %}' }), 'sms_template_invalid', /cannot include/);
    await rejects(h.sms.templates.save({ purpose: 'login', language: 'en', body: '{{ code }} {% render "x" %}' }), 'sms_template_invalid', /cannot include/);
  });

  it('enforces SMS rules: one line, text only, the code in code messages, at most 10 segments', async () => {
    await rejects(h.sms.templates.save({ purpose: 'login', language: 'en', body: 'Code:\n{{ code }}' }), 'sms_template_invalid', /single line/);
    await rejects(h.sms.templates.save({ purpose: 'login', language: 'en', body: '<b>{{ code }}</b>' }), 'sms_template_invalid', /plain text/);
    await rejects(h.sms.templates.save({ purpose: 'login', language: 'en', body: 'Your code is 123456' }), 'sms_template_invalid', /must contain the code/);
    await rejects(h.sms.templates.save({ purpose: 'login', language: 'en', body: '   ' }), 'sms_template_invalid', /required/);
    // 1540 GSM characters + the code and autofill line exceed 10 × 153 = 1530 septets.
    const long = `${'a'.repeat(1540)} {{ code }}`;
    const e = await rejects(h.sms.templates.save({ purpose: 'login', language: 'en', body: long }), 'sms_template_too_long', /at most 10/);
    expect(e.params.segments).to.be.greaterThan(10);
    // Non-code purposes need no code.
    const saved = await h.sms.templates.save({ purpose: 'password_changed', language: 'en', body: 'Password changed for {{ user.login }}.' });
    expect(saved.body).to.equal('Password changed for {{ user.login }}.');
  });

  it('validates purpose, language tag and account', async () => {
    await rejects(h.sms.templates.save({ purpose: 'welcome', language: 'en', body: 'x' }), 'sms_template_invalid', /^purpose: must be one of/);
    await rejects(h.sms.templates.save({ purpose: 'login', language: 'english!', body: '{{ code }}' }), 'sms_template_invalid', /^language: must be a BCP 47/);
    try {
      await h.sms.templates.save({ purpose: 'login', language: 'en', accountId: 'nope', body: '{{ code }}' });
      expect.fail('expected an error');
    } catch (err) {
      expect(err).to.include({ code: 'sms_account_not_found', status: 404 });
    }
  });

  it('previews: characters, encoding and segments, with the autofill line on code messages', async () => {
    // "123456 is your Codeword sign-in code. It expires in 10 minutes. Do not share it." is 80 GSM characters;
    // the autofill line "\n@id.example.com #123456" adds 24: 104 septets ≤ 160, one segment.
    const en = await h.sms.templates.preview({ purpose: 'login', language: 'en' });
    expect(en).to.include({ language: 'en', encoding: 'GSM-7', units: 104, segments: 1 });
    expect(en.text).to.equal('123456 is your Codeword sign-in code. It expires in 10 minutes. Do not share it.\n@id.example.com #123456');
    // Japanese is UCS-2: "Codewordコード123456。10分有効。共有禁止" is 28 units + 24 of autofill = 52 ≤ 70, one segment.
    const ja = await h.sms.templates.preview({ purpose: 'login', language: 'ja' });
    expect(ja).to.include({ encoding: 'UCS-2', segments: 1 });
    expect(ja.units).to.equal(52);
    // No autofill line on messages without a code.
    const changed = await h.sms.templates.preview({ purpose: 'test', language: 'en' });
    expect(changed.text).to.equal('Test message from Codeword: your SMS settings work.');
  });

  it('an override replaces the built-in text of its language only; deleting it restores the built-in', async () => {
    const t = await h.sms.templates.save({ purpose: 'signup', language: 'fr', body: 'Bienvenue ! Code : {{ code }}' });
    expect((await h.sms.templates.preview({ purpose: 'signup', language: 'fr' })).text).to.match(/^Bienvenue ! Code : 123456\n/);
    expect((await h.sms.templates.preview({ purpose: 'signup', language: 'de' })).text).to.match(/^123456 bestätigt Ihre Nummer bei Codeword\./);
    // Saving the same scope again replaces the text.
    const again = await h.sms.templates.save({ purpose: 'signup', language: 'fr', body: 'Code : {{ code }}' });
    expect(again.id).to.equal(t.id);
    await h.sms.templates.remove(t.id);
    expect((await h.sms.templates.preview({ purpose: 'signup', language: 'fr' })).text).to.match(/^123456 est votre code/);
  });

  it('narrows templates to an account and to domestic/international numbers', async () => {
    const dev = await h.sms.accounts.create({ name: 'Narrow dev', provider: 'dev', settings: {} });
    await h.sms.templates.save({ purpose: 'mfa', language: 'en', body: 'generic {{ code }}' });
    await h.sms.templates.save({ purpose: 'mfa', language: 'en', region: 'international', body: 'intl {{ code }}' });
    await h.sms.templates.save({ purpose: 'mfa', language: 'en', accountId: dev.id, body: 'account {{ code }}' });
    await h.sms.templates.save({ purpose: 'mfa', language: 'en', accountId: dev.id, region: 'domestic', body: 'account domestic {{ code }}' });
    const line = async (to: string, accountId?: string) => (await h.sms.templates.preview({ purpose: 'mfa', language: 'en', to, accountId })).text.split('\n')[0];
    expect(await line(AU_MOBILE)).to.equal('generic 123456'); // home country AU: domestic, no domestic generic text
    expect(await line('+33612345678')).to.equal('intl 123456');
    expect(await line('+33612345678', dev.id)).to.equal('account 123456');
    expect(await line(AU_MOBILE, dev.id)).to.equal('account domestic 123456');
    // Deleting the account deletes the templates narrowed to it.
    await h.sms.accounts.remove(dev.id);
    expect((await h.sms.templates.list({ accountId: dev.id })).length).to.equal(0);
  });

  it("takes domestic and international from the account's home country, else from the installation default", async () => {
    const fr = await h.sms.accounts.create({ name: 'French sender', provider: 'dev', homeCountry: 'fr', settings: {} });
    expect(fr.homeCountry).to.equal('FR');
    await h.sms.templates.save({ purpose: 'login', language: 'en', region: 'domestic', body: 'home {{ code }}' });
    await h.sms.templates.save({ purpose: 'login', language: 'en', region: 'international', body: 'abroad {{ code }}' });
    const sentText = async (to: string, accountId: string) => {
      const sent = await h.sms.sender.enqueue({ purpose: 'login', to, code: '246810', accountId, hints: { requestLanguage: 'en' } });
      await h.sms.worker.runOnce();
      return (await h.sms.devInbox!.list({ to })).find((m) => m.id === sent.id)!.text.split('\n')[0];
    };
    expect(await sentText('+33612345678', fr.id)).to.equal('home 246810');
    expect(await sentText(AU_MOBILE, fr.id)).to.equal('abroad 246810');
    // Without its own, an account uses the installation default (AU here); clearing it goes back to the default.
    const plain = await h.sms.accounts.create({ name: 'Default country', provider: 'dev', settings: {} });
    expect(await sentText(AU_MOBILE, plain.id)).to.equal('home 246810');
    await h.sms.accounts.update(fr.id, { homeCountry: null });
    expect(await sentText('+33612345678', fr.id)).to.equal('abroad 246810');
    expect((await h.sms.templates.preview({ purpose: 'login', language: 'en', to: AU_MOBILE, accountId: fr.id })).text).to.match(/^home /);
    const bad = await rejects(h.sms.accounts.update(fr.id, { homeCountry: 'Atlantis' }), 'sms_account_invalid');
    expect(bad.message).to.match(/^homeCountry: must be an ISO 3166-1 alpha-2 country code/);
    for (const t of await h.sms.templates.list({ purpose: 'login' })) await h.sms.templates.remove(t.id);
    for (const a of [fr, plain]) await h.sms.accounts.remove(a.id);
  });

  it('falls back to the built-in text if a stored override cannot render, so the code still goes out', async () => {
    await h.db('sms_templates').insert({
      id: 'broken-template',
      purpose: 'reset_password',
      language: 'en',
      account_id: '',
      region: '',
      body: '{{ nope }} {{ code }}',
      created_at: 0,
      updated_at: 0,
    });
    const sent = await h.sms.sender.enqueue({ purpose: 'reset_password', to: AU_MOBILE, code: '777111' });
    await h.sms.worker.runOnce();
    const [m] = await h.sms.devInbox!.list({ to: AU_MOBILE });
    expect(m!.id).to.equal(sent.id);
    expect(m!.text).to.match(/^777111 is your Codeword password reset code/);
  });
});
