// SMS accounts, templates, the SMS connection and the SMS factor through the console's plain forms, against the fake Twilio.
import { expect } from 'chai';
import { type FakeTwilio, startFakeTwilio } from '../../fakes/fake-twilio.ts';
import type { TestServer } from '../../helpers/server.ts';
import { alertText, type ConsoleSession, signIn, startConsoleServer } from './harness.ts';

describe('admin console: SMS accounts, templates, connection and factor', () => {
  let server: TestServer;
  let fake: FakeTwilio;
  let admin: ConsoleSession;
  let accountId: string;

  before(async () => {
    server = await startConsoleServer({ smsWorker: false });
    fake = await startFakeTwilio();
    admin = await signIn(server);
  });
  after(async () => {
    await fake.close();
    await server.close();
  });

  const twilio = (extra: Record<string, string> = {}) => ({
    provider: 'twilio',
    name: 'Twilio',
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    from: fake.fromNumber,
    apiBaseUrl: fake.url,
    ...extra,
  });

  it('adds a Twilio account; its Auth Token is never shown again', async () => {
    const bad = await admin.post('/admin/sms-accounts', twilio({ accountSid: 'AC123' }));
    expect(bad.status).to.equal(400);
    expect(alertText(bad.html)).to.match(/settings\.accountSid: must be AC followed by 32 hexadecimal characters/);
    expect(bad.html).to.match(/id="accountSid"[^>]*value="AC123"[^>]*aria-invalid="true"/);
    expect(bad.html).not.to.contain(fake.authToken);

    const res = await admin.post('/admin/sms-accounts', twilio());
    expect(res.status).to.equal(303);
    accountId = res.headers.get('location')!.match(/\/admin\/sms-accounts\/([^?]+)/)![1]!;
    const page = await admin.get(`/admin/sms-accounts/${accountId}`);
    expect(page.html).to.contain('Not verified').and.to.contain(fake.accountSid).and.to.contain(`••••${fake.authToken.slice(-4)}`);
    expect(page.html).not.to.contain(fake.authToken);
    const audit = JSON.stringify(await server.container.db('audit_events').select('details'));
    expect(audit).not.to.contain(fake.authToken);
  });

  it('verifies it with the provider and shows the status', async () => {
    const res = await admin.post(`/admin/sms-accounts/${accountId}/verify`);
    expect(res.status).to.equal(303);
    const page = await admin.get(res.headers.get('location')!);
    expect(page.html).to.match(/id="verification-status">Verified</);
    const list = await admin.get('/admin/sms-accounts');
    expect(list.html).to.contain('Verified');
  });

  it('keeps the stored secret when the field is left empty, and asks for a new verification when credentials change', async () => {
    const same = await admin.post(`/admin/sms-accounts/${accountId}`, twilio({ authToken: '', name: 'Twilio main' }));
    expect(same.status).to.equal(303);
    expect((await server.container.sms.accounts.get(accountId)).verification.status).to.equal('valid');
    const changed = await admin.post(`/admin/sms-accounts/${accountId}`, twilio({ authToken: 'f'.repeat(32), name: 'Twilio main' }));
    expect(changed.status).to.equal(303);
    expect((await server.container.sms.accounts.get(accountId)).verification.status).to.equal('unverified');
    await admin.post(`/admin/sms-accounts/${accountId}`, twilio({ name: 'Twilio main' }));
    await admin.post(`/admin/sms-accounts/${accountId}/verify`);
    expect((await server.container.sms.accounts.get(accountId)).verification.status).to.equal('valid');
  });

  it('adds an HTTP gateway whose secret header is stored but never shown, and kept when left empty', async () => {
    const secret = 'Bearer gateway-secret-0123456789';
    const gateway = {
      provider: 'http',
      name: 'Gateway',
      url: 'https://sms.example/send',
      method: 'POST',
      headers: 'X-Tenant: acme',
      secretHeaders: `Authorization: ${secret}`,
      bodyTemplate: '{"to":"{{to}}","text":"{{body}}"}',
    };
    const res = await admin.post('/admin/sms-accounts', gateway);
    expect(res.status).to.equal(303);
    const id = res.headers.get('location')!.match(/\/admin\/sms-accounts\/([^?]+)/)![1]!;
    const page = await admin.get(`/admin/sms-accounts/${id}`);
    expect(page.html).to.contain('X-Tenant: acme').and.to.contain('Authorization:').and.not.to.contain(secret);
    const edited = await admin.post(`/admin/sms-accounts/${id}`, { ...gateway, secretHeaders: 'Authorization:', headers: 'X-Tenant: other' });
    expect(edited.status).to.equal(303);
    const c = server.container;
    const stored = await c.db('sms_accounts').where({ id }).first();
    expect(JSON.stringify(stored)).not.to.contain(secret);
    const headers = (await c.sms.accounts.get(id)).settings.headers as { name: string; value: string }[];
    expect(headers.find((h) => h.name === 'Authorization')?.value).to.equal(`••••••••${secret.slice(-4)}`);
    expect(headers.find((h) => h.name === 'X-Tenant')?.value).to.equal('other');
    expect((await admin.post(`/admin/sms-accounts/${id}/delete`)).status).to.equal(303);
  });

  it('sends a test message and shows a refused number inline', async () => {
    const sent = await admin.post(`/admin/sms-accounts/${accountId}/test`, { to: '+61491570156', language: 'es' });
    expect(sent.status).to.equal(202);
    expect(sent.html).to.contain('Test message queued');
    await server.container.sms.worker.runOnce();
    expect(fake.messagesTo('+61491570156').at(-1)?.body).to.contain('Mensaje de prueba');
    const bad = await admin.post(`/admin/sms-accounts/${accountId}/test`, { to: 'nope' });
    expect(bad.status).to.equal(400);
    expect(bad.html).to.match(/role="alert" id="test-error">to: /);
  });

  it('shows the template grid, previews without JavaScript and saves a Spanish template', async () => {
    const grid = await admin.get('/admin/templates');
    expect(grid.html).to.contain('href="/admin/templates/edit?purpose=login&amp;language=es"');
    const editor = await admin.get('/admin/templates/edit?purpose=login&language=es');
    // The built-in Spanish text is GSM-7: one segment with the autofill line.
    expect(editor.html).to.contain('Usa {{ code }} para entrar en').and.to.match(/id="preview-encoding">GSM-7</).and.to.match(/id="preview-segments">1</);
    const long = `{{ code }} ${'es tu codigo de acceso '.repeat(20)}`;
    const preview = await admin.post('/admin/templates/edit', { purpose: 'login', language: 'es', body: long, intent: 'preview' });
    expect(preview.status).to.equal(200);
    expect(preview.html).to.match(/id="preview-segments">4</).and.to.match(/id="preview-encoding">GSM-7</);
    expect(preview.html).to.contain('es tu codigo de acceso es tu codigo');
    expect(await server.container.db('sms_templates').count({ n: '*' }).first()).to.deep.include({ n: 0 });
    const missing = await admin.post('/admin/templates/edit', { purpose: 'login', language: 'es', body: 'sin código', intent: 'save' });
    expect(missing.status).to.equal(400);
    expect(alertText(missing.html)).to.contain('must contain the code');
    const saved = await admin.post('/admin/templates/edit', { purpose: 'login', language: 'es', body: 'Tu codigo es {{ code }} 😀', intent: 'save' });
    expect(saved.status).to.equal(303);
    const after = await admin.get(saved.headers.get('location')!);
    expect(after.html).to.contain('Saved.').and.to.match(/id="preview-encoding">UCS-2</);
    expect((await admin.get('/admin/templates')).html).to.match(/language=es"[^>]*class="custom"/);
  });

  it('answers the live preview as JSON from the same service preview', async () => {
    const res = await admin.ua.request(`${server.url}/admin/templates/preview`, {
      headers: { accept: 'application/json' },
      form: { csrf: admin.csrf, purpose: 'login', language: 'es', body: 'Codigo {{ code }}' },
    });
    expect(res.status).to.equal(200);
    expect(JSON.parse(res.html)).to.deep.include({ encoding: 'GSM-7', segments: 1 });
    const bad = await admin.ua.request(`${server.url}/admin/templates/preview`, {
      headers: { accept: 'application/json' },
      form: { csrf: admin.csrf, purpose: 'login', language: 'es', body: 'no code' },
    });
    expect(bad.status).to.equal(400);
    expect(JSON.parse(bad.html).message).to.contain('must contain the code');
  });

  it('saves the SMS connection and shows refused settings inline', async () => {
    const bad = await admin.post('/admin/connection', { enabled: 'on', accountId, codeLength: '3' });
    expect(bad.status).to.equal(400);
    expect(alertText(bad.html)).to.contain('codeLength');
    expect(bad.html).to.match(/id="codeLength"[^>]*value="3"[^>]*aria-invalid="true"/);
    const unlisted = await admin.post('/admin/connection', { enabled: 'on', accountId, codeLength: '6', allowedCountries: 'AU NZ', defaultCountry: 'AU' });
    expect(unlisted.status).to.equal(303);
    expect(await server.container.smsConnection.get()).to.deep.include({ enabled: true, accountId, codeLength: 6, allowedCountries: ['AU', 'NZ'], defaultCountry: 'AU' });
    // The test app obeys the app list like any app: "Try" waits until it is listed.
    expect((await admin.get('/admin/connection')).html).to.match(/<button type="submit" aria-describedby="try-hint" disabled>Try</);
    const listed = await admin.post('/admin/connection', { enabled: 'on', accountId, codeLength: '6', allowedCountries: 'AU NZ', defaultCountry: 'AU', clientIds: 'codeword-sms-try' });
    expect(listed.status).to.equal(303);
    const page = await admin.get('/admin/connection');
    expect(page.html).to.match(/<button type="submit" aria-describedby="try-hint">Try</);
  });

  it('refuses to delete an account the connection uses', async () => {
    const res = await admin.post(`/admin/sms-accounts/${accountId}/delete`);
    expect(res.status).to.equal(409);
    expect(res.html).to.contain('used by connections/sms');
  });

  it('lists built-in and custom user fields for the SMS factor, and activates it', async () => {
    await server.container.users.create({ username: 'erin', customAttributes: { work_mobile: '+61491570159' } });
    const page = await admin.get('/admin/factor');
    expect(page.html).to.contain('<option value="phone_number" selected>').and.to.contain('<option value="custom:work_mobile">');
    expect(page.html).to.contain('the SMS factor is not active');
    const res = await admin.post('/admin/factor', { active: 'on', accountId, phoneField: 'custom:work_mobile', mfaLength: '8', mfaMaxAttempts: '', mfaLifetimeSeconds: '', resetLength: '', resetMaxAttempts: '' });
    expect(res.status).to.equal(303);
    const stored = await server.container.smsFactor.get();
    expect(stored).to.deep.include({ active: true, accountId, phoneField: { source: 'custom_attribute', attribute: 'work_mobile' } });
    expect(stored.mfaCode.length).to.equal(8);
    expect((await admin.get('/admin/factor')).html).to.contain('SMS options are offered to users.');
  });

  it('shows why the factor cannot be active on an unverified account', async () => {
    const other = await server.container.sms.accounts.create({ name: 'Second', provider: 'twilio', settings: { accountSid: fake.accountSid, authToken: fake.authToken, from: fake.fromNumber, apiBaseUrl: fake.url } });
    const res = await admin.post('/admin/factor', { active: 'on', accountId: other.id, phoneField: 'phone_number' });
    expect(res.status).to.equal(422);
    expect(alertText(res.html)).to.contain('verified SMS account');
    expect(res.html).to.match(/id="accountId"[^>]*aria-invalid="true"/);
    expect((await server.container.smsFactor.get()).accountId).to.equal(accountId);
  });
});
