// Alibaba Cloud SMS through the official SDK against a fake that checks ACS3-HMAC-SHA256: sending, lookups, errors, reports, polling.
import { expect } from 'chai';
import { alibabaNumber, chinaDate } from '../../src/sms/providers/alibaba/client.ts';
import { type FakeAlibaba, startFakeAlibaba } from '../fakes/fake-alibaba.ts';
import { alibabaAccount, alibabaSettings, approve, CN_MOBILE, DOMESTIC_LOGIN, INTERNATIONAL_LOGIN } from './alibaba-setup.ts';
import { AU_MOBILE, AU_MOBILE_2, createHarness, type Harness } from './harness.ts';

async function failure(p: Promise<unknown>): Promise<{ code: string; status: number; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; status: number; message: string };
  }
  throw new Error('expected a failure');
}

describe('Alibaba Cloud SMS provider', () => {
  let fake: FakeAlibaba;
  let h: Harness;
  let setup: Awaited<ReturnType<typeof alibabaAccount>>;

  before(async () => {
    fake = await startFakeAlibaba();
    // A generous timeout: the machine running the suites may be busy; the timeout test answers later still.
    h = await createHarness({ options: { worker: { backoffBaseMs: 1000 }, providerTimeoutMs: 5000 } });
    setup = await alibabaAccount(h.sms, fake);
  });
  after(async () => {
    await h.close();
    await fake.close();
  });

  it('formats numbers and dates as Alibaba expects', () => {
    expect(alibabaNumber('+8613800138000')).to.equal('13800138000');
    expect(alibabaNumber('+61491570156')).to.equal('61491570156');
    // 20:00 UTC is already the next day in China.
    expect(chinaDate(Date.UTC(2026, 0, 31, 20))).to.equal('20260201');
  });

  it('verifies credentials with a read-only call the fake accepted by signature; a wrong secret is refused and recorded', async () => {
    expect(setup.account.homeCountry, 'Alibaba accounts default to CN').to.equal('CN');
    expect(fake.actions).to.include('QuerySmsSignList');
    const bad = await h.sms.accounts.create({ name: 'Wrong secret', provider: 'alibaba', settings: alibabaSettings(fake, { accessKeySecret: 'not-the-right-secret-at-all' }) });
    const before = fake.badSignatures;
    const v = (await h.sms.accounts.verify(bad.id)).verification;
    expect(v).to.include({ status: 'invalid', reason: 'credentials refused' });
    expect(fake.badSignatures).to.equal(before + 1);
    const unknown = await h.sms.accounts.create({ name: 'Unknown key', provider: 'alibaba', settings: alibabaSettings(fake, { accessKeyId: 'LTAI5tUnknownKey0000' }) });
    expect((await h.sms.accounts.verify(unknown.id)).verification.reason).to.equal('credentials refused');
    await h.sms.accounts.remove(bad.id);
    await h.sms.accounts.remove(unknown.id);
  });

  it('goes through the host allow-list: a listed name resolving to an unlisted internal address is never called', async () => {
    const h2 = await createHarness({ options: { providerHosts: ['localhost'] } });
    try {
      const port = new URL(fake.url).port;
      const a = await h2.sms.accounts.create({ name: 'Local', provider: 'alibaba', settings: alibabaSettings(fake, { endpoint: `http://localhost:${port}` }) });
      const calls = fake.actions.length;
      expect((await h2.sms.accounts.verify(a.id)).verification.reason).to.equal('host not allowed');
      expect(fake.actions.length, 'nothing reached the fake').to.equal(calls);
      const refused = await failure(h2.sms.accounts.create({ name: 'Elsewhere', provider: 'alibaba', settings: alibabaSettings(fake, { endpoint: 'https://sms.example.net' }) }));
      expect(refused.message).to.match(/^settings\.endpoint: the host sms\.example\.net is not an allowed SMS provider host/);
    } finally {
      await h2.close();
    }
  });

  it('keeps the approved text fetched from the provider and previews it with 【SignName】 counted', async () => {
    expect(setup.domestic).to.include({ textStatus: 'approved', code: DOMESTIC_LOGIN });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
    expect(setup.domestic.text).to.contain('${code}');
    const p = await h.sms.resources.templates.preview(setup.domestic.id);
    expect(p.text).to.equal('【码字科技】您的验证码为：123456，该验证码5分钟内有效，请勿泄漏于他人！');
    expect(p).to.include({ encoding: 'UCS-2', segments: 1, characters: [...p.text!].length });
    const intl = await h.sms.resources.templates.preview(setup.international.id);
    expect(intl.text).to.equal('Your Codeword verification code is 123456. It expires in 10 minutes.');
    expect(intl.encoding).to.equal('GSM-7');
  });

  it('marks a template whose text cannot be fetched as unavailable, one in review as pending, and fetches it again on refresh', async () => {
    const code = 'SMS_600000001';
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
    approve(fake, code, '验证码${code}');
    fake.unavailableTemplates.add(code);
    const t = await h.sms.resources.templates.create({ accountId: setup.account.id, code, purpose: 'mfa', region: 'domestic', params: { code: 'code' } });
    try {
      expect(t).to.include({ textStatus: 'unavailable', text: null });
      expect(await h.sms.resources.templates.preview(t.id)).to.include({ textStatus: 'unavailable', text: null, segments: null });
      expect(await h.sms.resources.problems(setup.account.id)).to.include(`template ${code}: the approved text could not be fetched from the provider`);

      fake.unavailableTemplates.delete(code);
      fake.pendingTemplates.add(code);
      expect(await h.sms.resources.templates.refresh(t.id)).to.include({ textStatus: 'pending' });
      expect(await h.sms.resources.problems(setup.account.id)).to.include(`template ${code}: the approved text is not approved yet`);

      fake.pendingTemplates.delete(code);
      // Approved with one more parameter than mapped: the text is kept, and the problem is listed before any send.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
      approve(fake, code, '${product}验证码${code}');
      const fresh = await h.sms.resources.templates.refresh(t.id);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
      expect(fresh).to.include({ textStatus: 'approved', text: '${product}验证码${code}' });
      const problems = await h.sms.resources.problems(setup.account.id);
      expect(problems.filter((p) => p.startsWith(`template ${code}`))).to.deep.equal([`template ${code} (mfa, domestic): params.product: the provider template needs \${product}; map it to one of our variables (e.g. {"product": "code"})`]);
    } finally {
      fake.unavailableTemplates.delete(code);
      fake.pendingTemplates.delete(code);
      await h.sms.resources.templates.remove(t.id);
    }
  });

  it('never appends the autofill line to an approved template; one whose approved text has it sends it once', async () => {
    const plain = await h.sms.sender.enqueue({ purpose: 'login', to: CN_MOBILE, code: '246802', autofill: true });
    expect(plain.characters, 'the approved text and 【SignName】, nothing appended').to.equal([...'【码字科技】您的验证码为：246802，该验证码5分钟内有效，请勿泄漏于他人！'].length);
    const code = 'SMS_700000001';
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
    approve(fake, code, '您的验证码为${code}\n@id.example.com #${code}');
    const t = await h.sms.resources.templates.create({ accountId: setup.account.id, code, purpose: 'mfa', region: 'domestic', params: { code: 'code' }, general: true });
    try {
      expect((await h.sms.resources.templates.preview(t.id)).text).to.equal('【码字科技】您的验证码为123456\n@id.example.com #123456');
      const withLine = await h.sms.sender.enqueue({ purpose: 'mfa', to: CN_MOBILE, code: '135791', autofill: true });
      expect(withLine.characters, 'the line once, as approved').to.equal([...'【码字科技】您的验证码为135791\n@id.example.com #135791'].length);
      await h.sms.worker.runOnce();
      expect(fake.messages.find((m) => m.outId === withLine.id)).to.deep.include({ templateCode: code, params: { code: '135791' } });
    } finally {
      await h.sms.resources.templates.remove(t.id);
    }
  });

  it('refuses a mapping that leaves a provider parameter unmapped, or a code template without the code', async () => {
    const base = { accountId: setup.account.id, code: INTERNATIONAL_LOGIN, purpose: 'mfa', region: 'international' };
    const e1 = await failure(h.sms.resources.templates.create({ ...base, params: { code: 'code' } }));
    expect(e1).to.include({ code: 'sms_provider_template_invalid', status: 400 });
    expect(e1.message).to.match(/needs \$\{product\}/);
    const e2 = await failure(h.sms.resources.templates.create({ ...base, params: { code: 'user_name', product: 'application_name', minutes: 'expires_in_minutes' } }));
    expect(e2.message).to.match(/must map a parameter to the code/);
    const e3 = await failure(h.sms.resources.templates.create({ ...base, code: 'SMS_999', params: { code: 'code' } }));
    expect(e3.message).to.match(/does not know template "SMS_999"/);
  });

  it('refuses a template set up for the other region than the provider approved it for, on create, edit and refresh', async () => {
    const e1 = await failure(h.sms.resources.templates.create({ accountId: setup.account.id, code: DOMESTIC_LOGIN, purpose: 'mfa', region: 'international', params: { code: 'code' } }));
    expect(e1).to.include({ code: 'sms_provider_template_invalid', status: 400 });
    expect(e1.message).to.match(/^region: the provider approved template SMS_100000001 for domestic messages/);
    const e2 = await failure(
      h.sms.resources.templates.create({ accountId: setup.account.id, code: INTERNATIONAL_LOGIN, purpose: 'mfa', region: 'domestic', params: { code: 'code', product: 'application_name', minutes: 'expires_in_minutes' } }),
    );
    expect(e2.message).to.match(/^region: the provider approved template SMS_200000001 for international messages/);
    const e3 = await failure(h.sms.resources.templates.update(setup.domestic.id, { region: 'international' }));
    expect(e3.message).to.match(/^region: /);
    expect((await h.sms.resources.templates.get(setup.domestic.id)).region, 'unchanged').to.equal('domestic');
    // The provider moved the code to the other region since: refreshing says so.
    fake.templateTypes.set(DOMESTIC_LOGIN, 3);
    try {
      expect((await failure(h.sms.resources.templates.refresh(setup.domestic.id))).message).to.match(/^region: .*for international messages/);
    } finally {
      fake.templateTypes.delete(DOMESTIC_LOGIN);
    }
  });

  it('sends a +86 number the domestic template (11 digits, {"code":…}, OutId) and a +61 number the international one', async () => {
    const cn = await h.sms.sender.enqueue({ purpose: 'login', to: CN_MOBILE, code: '482913' });
    const au = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '551207', applicationName: 'Shop' });
    expect(cn).to.include({ encoding: 'UCS-2' });
    // 【码字科技】 is part of what the recipient's phone counts.
    expect(cn.characters).to.equal([...'【码字科技】您的验证码为：482913，该验证码5分钟内有效，请勿泄漏于他人！'].length);
    await h.sms.worker.runOnce();
    // The worker sends a batch concurrently: find each by its OutId, not by arrival order.
    const [m1, m2] = [cn.id, au.id].map((id) => fake.messages.find((m) => m.outId === id));
    expect(m1).to.deep.include({ phone: '13800138000', signName: '码字科技', templateCode: DOMESTIC_LOGIN, params: { code: '482913' }, outId: cn.id });
    expect(m2).to.deep.include({ phone: '61491570156', signName: 'Codeword', templateCode: INTERNATIONAL_LOGIN, outId: au.id });
    expect(m2!.params).to.deep.equal({ code: '551207', product: 'Shop', minutes: '10' });
    const status = await h.sms.sender.status(cn.id);
    expect(status).to.include({ status: 'accepted', providerMessageId: m1!.bizId });
  });

  it('after a timeout, looks the message up by number and date, matches OutId, and does not send it again', async () => {
    fake.script({ delayMs: 6000, record: true });
    const { id } = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE_2, code: '700111' });
    const sendsBefore = fake.sendCalls;
    await h.sms.worker.runOnce();
    expect((await h.sms.sender.status(id)).status).to.equal('pending');
    h.clock.advance(60_000);
    await h.sms.worker.runOnce();
    expect(fake.sendCalls, 'one SendSms in all').to.equal(sendsBefore + 1);
    expect(fake.messages.filter((m) => m.outId === id)).to.have.length(1);
    expect(fake.actions).to.include('QuerySendDetails');
    // Found waiting for its delivery receipt.
    expect((await h.sms.sender.status(id)).status).to.equal('sent');
  });

  it('retries isv.BUSINESS_LIMIT_CONTROL (rate limited) and then sends', async () => {
    fake.script({ code: 'isv.BUSINESS_LIMIT_CONTROL' });
    const { id } = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '313131' });
    await h.sms.worker.runOnce();
    const waiting = await h.sms.sender.status(id);
    expect(waiting).to.include({ status: 'pending', errorCode: 'isv.BUSINESS_LIMIT_CONTROL', reason: 'rate_limited' });
    h.clock.advance(60_000);
    await h.sms.worker.runOnce();
    expect((await h.sms.sender.status(id)).status).to.equal('accepted');
  });

  it('fails the message on isv.MOBILE_NUMBER_ILLEGAL and on a configuration error, without retrying', async () => {
    fake.script({ code: 'isv.MOBILE_NUMBER_ILLEGAL' }, { code: 'isv.AMOUNT_NOT_ENOUGH' });
    // One at a time: the worker sends a batch concurrently, and the scripted answers go in arrival order.
    const a = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '111222' });
    await h.sms.worker.runOnce();
    const b = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE_2, code: '333444' });
    await h.sms.worker.runOnce();
    expect(await h.sms.sender.status(a.id)).to.include({ status: 'failed', reason: 'invalid_number' });
    expect(await h.sms.sender.status(b.id)).to.include({ status: 'failed', reason: 'configuration' });
    expect((await h.sms.accounts.get(setup.account.id)).verification.status, 'an unpaid account is not a credentials problem').to.equal('valid');
  });

  it('marks the account invalid when Alibaba refuses the signature while sending', async () => {
    const other = await startFakeAlibaba();
    const h2 = await createHarness();
    try {
      const s = await alibabaAccount(h2.sms, other);
      const { id } = await h2.sms.sender.enqueue({ purpose: 'login', to: CN_MOBILE, code: '909090' });
      other.script({ code: 'SignatureDoesNotMatch', httpStatus: 400 });
      await h2.sms.worker.runOnce();
      expect(await h2.sms.sender.status(id)).to.include({ status: 'failed', errorCode: 'SignatureDoesNotMatch', reason: 'configuration' });
      expect((await h2.sms.accounts.get(s.account.id)).verification.status).to.equal('invalid');
    } finally {
      await h2.close();
      await other.close();
    }
  });

  it('refuses a number whose region has no signature or template before anything is stored', async () => {
    await h.sms.resources.signatures.remove(setup.internationalSign.id);
    try {
      const e = await failure(h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '121212' }));
      expect(e).to.include({ code: 'sms_not_configured', status: 503 });
      expect(e.message).to.match(/no international signature and international provider template for login/);
      const e2 = await failure(h.sms.sender.enqueue({ purpose: 'password_changed', to: CN_MOBILE }));
      expect(e2.message).to.match(/provider template for password_changed/);
      expect(await h.sms.resources.problems(setup.account.id)).to.include(`template ${INTERNATIONAL_LOGIN} (login, international) has no international signature on this account`);
    } finally {
      setup.internationalSign = await h.sms.resources.signatures.create({ accountId: setup.account.id, signName: 'Codeword', region: 'international', general: true });
    }
  });

  it('uses the template in the message language, else a mapped language, and records which', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
    approve(fake, 'SMS_400000001', 'Your code is ${code}', 'international');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
    approve(fake, 'SMS_400000002', '您的验证码是${code}', 'international');
    const base = { accountId: setup.account.id, purpose: 'mfa', region: 'international', params: { code: 'code' }, general: true };
    const en = await h.sms.resources.templates.create({ ...base, code: 'SMS_400000001', language: 'en' });
    const zh = await h.sms.resources.templates.create({ ...base, code: 'SMS_400000002', language: 'zh-cn' });
    expect(zh.language).to.equal('zh-CN');
    const inZh = await h.sms.sender.enqueue({ purpose: 'mfa', to: AU_MOBILE, code: '818181', hints: { requestLanguage: 'zh-CN' } });
    const inEs = await h.sms.sender.enqueue({ purpose: 'mfa', to: AU_MOBILE_2, code: '828282', hints: { requestLanguage: 'es' } });
    expect(inZh).to.include({ language: 'zh-CN' });
    expect(inEs).to.include({ language: 'en', languageSource: 'fallback' });
    await h.sms.worker.runOnce();
    expect(fake.messages.find((m) => m.outId === inZh.id)!.templateCode).to.equal('SMS_400000002');
    expect(fake.messages.find((m) => m.outId === inEs.id)!.templateCode).to.equal('SMS_400000001');
    expect((await h.sms.sender.status(inEs.id)).language, 'the message log says which language was used').to.equal('en');
    await h.sms.resources.templates.remove(en.id);
    await h.sms.resources.templates.remove(zh.id);
  });

  it("uses an app's own signature for that app only; other apps and sends with no app get the general one", async () => {
    const own = await h.sms.resources.signatures.create({ accountId: setup.account.id, signName: '码字商城', region: 'domestic', clientIds: ['shop'] });
    try {
      const forShop = await h.sms.sender.enqueue({ purpose: 'login', to: CN_MOBILE, code: '102030', clientId: 'shop' });
      const forOther = await h.sms.sender.enqueue({ purpose: 'login', to: CN_MOBILE, code: '405060', clientId: 'blog' });
      const noApp = await h.sms.sender.enqueue({ purpose: 'login', to: CN_MOBILE, code: '708090' });
      await h.sms.worker.runOnce();
      const signOf = (id: string) => fake.messages.find((m) => m.outId === id)?.signName;
      expect([signOf(forShop.id), signOf(forOther.id), signOf(noApp.id)]).to.deep.equal(['码字商城', '码字科技', '码字科技']);
    } finally {
      await h.sms.resources.signatures.remove(own.id);
    }
  });

  it('deleting a template removes its grants and fails a queued message that named it with a clear reason', async () => {
    const extra = await h.sms.resources.templates.create({ accountId: setup.account.id, code: DOMESTIC_LOGIN, purpose: 'mfa', region: 'domestic', params: { code: 'code' }, general: true, clientIds: ['shop'] });
    expect(await h.db('sms_grants').where({ kind: 'template', resource_id: extra.id })).to.have.length(1);
    const { id } = await h.sms.sender.enqueue({ purpose: 'mfa', to: CN_MOBILE, code: '454545' });
    await h.sms.resources.templates.remove(extra.id);
    expect(await h.db('sms_grants').where({ kind: 'template', resource_id: extra.id }), 'its grants are gone').to.have.length(0);
    const sends = fake.sendCalls;
    await h.sms.worker.runOnce();
    expect(await h.sms.sender.status(id)).to.include({ status: 'failed', errorCode: 'template_deleted', reason: 'configuration' });
    expect(fake.sendCalls, 'nothing sent').to.equal(sends);
  });

  it('deleting a signature removes its grants and fails a queued message that named it with a clear reason', async () => {
    const own = await h.sms.resources.signatures.create({ accountId: setup.account.id, signName: '码字商城', region: 'domestic', clientIds: ['shop'] });
    expect(await h.db('sms_grants').where({ kind: 'signature', resource_id: own.id })).to.have.length(1);
    await h.sms.resources.signatures.remove(own.id);
    expect(await h.db('sms_grants').where({ kind: 'signature', resource_id: own.id }), 'its grants are gone').to.have.length(0);

    const { id } = await h.sms.sender.enqueue({ purpose: 'login', to: CN_MOBILE, code: '565656' });
    await h.sms.resources.signatures.remove(setup.domesticSign.id);
    try {
      const sends = fake.sendCalls;
      await h.sms.worker.runOnce();
      expect(await h.sms.sender.status(id)).to.include({ status: 'failed', errorCode: 'signature_deleted', reason: 'configuration' });
      expect(fake.sendCalls, 'nothing sent').to.equal(sends);
    } finally {
      setup.domesticSign = await h.sms.resources.signatures.create({ accountId: setup.account.id, signName: '码字科技', region: 'domestic', general: true });
    }
  });

  describe('delivery reports', () => {
    it('accepts an SmsReport push only at the account URL with its token, answers {"code":0}, and moves status forward only', async () => {
      const { id } = await h.sms.sender.enqueue({ purpose: 'login', to: CN_MOBILE, code: '246810' });
      await h.sms.worker.runOnce();
      const url = h.sms.accounts.reportUrl(setup.account.id);
      const app = await import('./report-server.ts');
      const server = await app.startReportServer(h.sms);
      try {
        const local = url.replace('https://id.example.com', server.url);
        const wrong = `${local.slice(0, -4)}AAAA`;
        expect((await fake.pushReports(wrong, [{ outId: id, success: true }])).status).to.equal(403);
        expect((await h.sms.sender.status(id)).status).to.equal('accepted');
        const ok = await fake.pushReports(local, [{ outId: id, success: true }]);
        expect(ok.status).to.equal(200);
        expect(JSON.parse(ok.body)).to.include({ code: 0 });
        expect((await h.sms.sender.status(id)).status).to.equal('delivered');
        // A late failure report cannot move a delivered message back.
        await fake.pushReports(local, [{ outId: id, success: false, errCode: 'MK:0001' }]);
        expect((await h.sms.sender.status(id)).status).to.equal('delivered');

        const failed = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '135799' });
        await h.sms.worker.runOnce();
        const bizId = fake.messages.find((m) => m.outId === failed.id)!.bizId;
        await fake.pushReports(local, [{ bizId, outId: null, success: false, errCode: 'MK:0001' }]);
        expect(await h.sms.sender.status(failed.id)).to.include({ status: 'undelivered', errorCode: 'MK:0001', reason: 'unreachable' });

        const bad = await fetch(local, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"not":"an array"}' });
        expect(bad.status).to.equal(400);
      } finally {
        await server.close();
      }
    });

    it('keeps accepting the report URL of a previous SECRET_KEY while it is listed, and refuses it after', async () => {
      const { createSecretBox } = await import('../../src/security/secrets.ts');
      const { reportToken } = await import('../../src/sms/batch-reports.ts');
      const { TEST_SECRET } = await import('./harness.ts');
      const oldToken = reportToken(h.box, setup.account.id);
      const rotated = createSecretBox('a-new-secret-key-that-is-long-enough-0123456789', [TEST_SECRET]);
      const later = await import('./report-server.ts');
      const { createSms } = await import('../../src/sms/index.ts');
      const { pino } = await import('pino');
      for (const [box, accepted] of [
        [rotated, 200],
        [createSecretBox('a-new-secret-key-that-is-long-enough-0123456789'), 403],
      ] as const) {
        const sms = createSms({ db: h.db, box, config: h.config, logger: pino({ level: 'silent' }), now: h.clock.now, options: { providerHosts: ['127.0.0.1'] } });
        const server = await later.startReportServer(sms);
        try {
          const res = await fake.pushReports(`${server.url}/sms/reports/${setup.account.id}/${oldToken}`, []);
          expect(res.status).to.equal(accepted);
        } finally {
          await server.close();
        }
      }
      expect(reportToken(rotated, setup.account.id)).not.to.equal(oldToken);
    });

    it('polls QuerySendDetails for messages without a report after the configured time', async () => {
      const { id } = await h.sms.sender.enqueue({ purpose: 'login', to: CN_MOBILE, code: '864200' });
      await h.sms.worker.runOnce();
      const bizId = fake.messages.find((m) => m.outId === id)!.bizId;
      fake.settle(bizId, true);
      const queries = fake.actions.filter((a) => a === 'QuerySendDetails').length;
      await h.sms.worker.runOnce();
      expect(fake.actions.filter((a) => a === 'QuerySendDetails').length, 'not before the time').to.equal(queries);
      h.clock.advance(5 * 60_000 + 1000);
      await h.sms.worker.runOnce();
      expect((await h.sms.sender.status(id)).status).to.equal('delivered');
    });
  });
});
