// Admin API for Alibaba accounts, signatures, provider templates and app grants: validation, audit, secrets never returned.
import { expect } from 'chai';
import { startFakeAlibaba, type FakeAlibaba } from '../../fakes/fake-alibaba.ts';
import { registerClient } from '../../helpers/rp.ts';
import { alibabaSettings, approveTemplates, DOMESTIC_LOGIN, INTERNATIONAL_LOGIN } from '../../sms/alibaba-setup.ts';
import { type ApiHarness, startApi } from './harness.ts';

describe('admin API: Alibaba accounts, signatures, provider templates and grants', () => {
  let api: ApiHarness;
  let fake: FakeAlibaba;
  let accountId: string;

  before(async () => {
    fake = await startFakeAlibaba();
    approveTemplates(fake);
    api = await startApi({ smsWorker: false });
    await registerClient(api.server, { clientId: 'shop' });
  });
  after(async () => {
    await api.close();
    await fake.close();
  });

  it('creates an Alibaba account whose AccessKey Secret is never returned and is masked in the audit log', async () => {
    const created = await api.call('POST', '/sms-accounts', { body: { name: 'Aliyun', provider: 'alibaba', settings: alibabaSettings(fake) } });
    expect(created.status, created.text).to.equal(201);
    accountId = created.body.id;
    expect(created.body).to.include({ provider: 'alibaba', homeCountry: 'CN', general: true });
    expect(created.body.settings).to.include({ accessKeyId: fake.accessKeyId, accessKeySecret: `••••••••${fake.accessKeySecret.slice(-4)}`, endpoint: fake.url });
    expect((await api.call('POST', `/sms-accounts/${accountId}/verify`)).body.verification.status).to.equal('valid');
    for (const r of [await api.call('GET', '/sms-accounts'), await api.call('GET', `/sms-accounts/${accountId}`), await api.call('GET', '/audit-events?limit=200')]) {
      expect(r.text).not.to.contain(fake.accessKeySecret);
    }
    expect((await api.call('GET', '/audit-events?limit=200')).text).to.contain(`••••••••${fake.accessKeySecret.slice(-4)}`);
    // A changed secret is masked in the change's audit event too (before and after), and never returned.
    const other = 'another-secret-that-is-long-enough-1234';
    const changed = await api.call('PATCH', `/sms-accounts/${accountId}`, { body: { settings: { accessKeySecret: other } } });
    expect(changed.status, changed.text).to.equal(200);
    expect(changed.text).not.to.contain(other);
    const restored = await api.call('PATCH', `/sms-accounts/${accountId}`, { body: { settings: { accessKeySecret: fake.accessKeySecret } } });
    expect(restored.status, restored.text).to.equal(200);
    const trail = (await api.call('GET', '/audit-events?limit=200')).text;
    expect(trail).not.to.contain(other).and.not.to.contain(fake.accessKeySecret);
    expect(trail).to.contain(`••••••••${other.slice(-4)}`);
    expect((await api.call('POST', `/sms-accounts/${accountId}/verify`)).body.verification.status).to.equal('valid');
    const bad = await api.call('POST', '/sms-accounts', { body: { name: 'Bad', provider: 'alibaba', settings: { accessKeyId: 'x', accessKeySecret: 'short' } } });
    expect(bad.status).to.equal(400);
    expect(bad.body.message).to.match(/accessKeyId/);
  });

  it('adds signatures and provider templates with the approved text, refusing bad input with clear 4xx errors', async () => {
    const sign = await api.call('POST', '/sms-signatures', { body: { accountId, signName: '码字科技', region: 'domestic', general: true } });
    expect(sign.status, sign.text).to.equal(201);
    expect((await api.call('POST', '/sms-signatures', { body: { accountId, signName: '码字科技', region: 'domestic' } })).status).to.equal(409);
    const brackets = await api.call('POST', '/sms-signatures', { body: { accountId, signName: '【码字】', region: 'domestic' } });
    expect(brackets.status).to.equal(400);
    expect(brackets.body.message).to.match(/^signName: /);
    expect((await api.call('POST', '/sms-signatures', { body: { accountId, signName: 'Codeword', region: 'moon' } })).status).to.equal(400);
    expect((await api.call('POST', '/sms-signatures', { body: { accountId: 'nope', signName: 'Codeword', region: 'domestic' } })).status).to.equal(404);
    const grantUnknown = await api.call('POST', '/sms-signatures', { body: { accountId, signName: 'Codeword', region: 'international', clientIds: ['no-such-app'] } });
    expect(grantUnknown.status).to.equal(400);
    expect(grantUnknown.body.message).to.match(/no app "no-such-app"/);

    const tpl = await api.call('POST', '/sms-provider-templates', { body: { accountId, code: DOMESTIC_LOGIN, purpose: 'login', region: 'domestic', params: { code: 'code' }, clientIds: ['shop'] } });
    expect(tpl.status, tpl.text).to.equal(201);
    expect(tpl.body).to.include({ textStatus: 'approved', general: false });
    expect(tpl.body.clientIds).to.deep.equal(['shop']);
    const preview = await api.call('POST', `/sms-provider-templates/${tpl.body.id}/preview`, { body: { values: { code: '777888' } } });
    expect(preview.status).to.equal(200);
    expect(preview.body.text).to.match(/^【码字科技】您的验证码为：777888/);
    expect(preview.body).to.include({ encoding: 'UCS-2', segments: 1 });

    const unmapped = await api.call('POST', '/sms-provider-templates', { body: { accountId, code: INTERNATIONAL_LOGIN, purpose: 'login', region: 'international', params: { code: 'code' } } });
    expect(unmapped.status).to.equal(400);
    expect(unmapped.body).to.include({ error: 'sms_provider_template_invalid' });
    expect(unmapped.body.message).to.match(/needs \$\{product\}/);
    const badVar = await api.call('POST', '/sms-provider-templates', { body: { accountId, code: INTERNATIONAL_LOGIN, purpose: 'login', region: 'international', params: { code: 'password' } } });
    expect(badVar.status).to.equal(400);

    const problems = await api.call('GET', `/sms-accounts/${accountId}/problems`);
    expect(problems.body.problems).to.include('no provider template for mfa: those messages cannot be sent through Aliyun');
    // Before anything is sent: a purpose with no mapping at all, and a region a purpose has no template for.
    expect(problems.body.problems).to.include('no provider template for password_changed: those messages cannot be sent through Aliyun');
    expect(problems.body.problems).to.include('no international provider template for login: numbers outside CN cannot get those messages');
    expect(problems.body.problems.filter((p: string) => / login:/.test(p)), 'the domestic login template is there').to.have.length(1);
    expect(problems.body.reportUrl).to.match(new RegExp(`/sms/reports/${accountId}/[A-Za-z0-9_-]{40,}$`));

    const map = await api.call('GET', `/sms-accounts/${accountId}/template-map`);
    expect(map.status, map.text).to.equal(200);
    const at = (purpose: string, region: string) => map.body.items.find((i: { purpose: string; region: string }) => i.purpose === purpose && i.region === region);
    expect(at('login', 'domestic').otherLanguages).to.include({ code: DOMESTIC_LOGIN, language: null, fallback: false });
    expect(at('signup', 'domestic')).to.include({ via: 'login' });
    expect(at('login', 'international').otherLanguages).to.equal(null);
    expect((await api.call('GET', '/sms-accounts/nope/template-map')).status).to.equal(404);

    const audit = await api.call('GET', '/audit-events?limit=200');
    expect(audit.text).to.contain('sms_signature.create').and.contain('sms_provider_template.create');
  });

  it('authorizes apps on an account and records it; deleting a template removes its grants', async () => {
    const set = await api.call('PUT', `/sms-accounts/${accountId}/access`, { body: { general: false, clientIds: ['shop'] } });
    expect(set.status, set.text).to.equal(200);
    expect(set.body).to.deep.equal({ general: false, clientIds: ['shop'] });
    expect((await api.call('GET', `/sms-accounts/${accountId}`)).body.general).to.equal(false);
    expect((await api.call('PUT', `/sms-accounts/${accountId}/access`, { body: { general: 'yes' } })).status).to.equal(400);
    const [tpl] = (await api.call('GET', `/sms-provider-templates?accountId=${accountId}`)).body.items;
    // A PATCH changes only what it names: the grants keep the mapping, the note keeps the grants.
    const regrant = await api.call('PATCH', `/sms-provider-templates/${tpl.id}`, { body: { general: true } });
    expect(regrant.status, regrant.text).to.equal(200);
    expect(regrant.body).to.deep.include({ general: true, clientIds: ['shop'], params: { code: 'code' }, purpose: 'login' });
    const [sign] = (await api.call('GET', `/sms-signatures?accountId=${accountId}`)).body.items;
    const noted = await api.call('PATCH', `/sms-signatures/${sign.id}`, { body: { note: 'approved in November' } });
    expect(noted.status, noted.text).to.equal(200);
    expect(noted.body).to.deep.include({ note: 'approved in November', general: sign.general, clientIds: sign.clientIds, signName: sign.signName });
    expect((await api.call('GET', '/audit-events?limit=200')).text).to.contain('sms_signature.update').and.contain('sms_provider_template.update');
    expect((await api.call('DELETE', `/sms-provider-templates/${tpl.id}`)).status).to.equal(204);
    expect((await api.call('GET', `/sms-provider-templates/${tpl.id}`)).status).to.equal(404);
    const grants = await api.server.container.db('sms_grants').where({ resource_id: tpl.id });
    expect(grants).to.have.length(0);
  });

  it('documents the new operations in the OpenAPI document', async () => {
    const doc = await (await fetch(`${api.server.url}/admin/api/openapi.json`)).json();
    expect(doc.paths).to.include.keys(
      '/sms-signatures',
      '/sms-signatures/{id}',
      '/sms-provider-templates',
      '/sms-provider-templates/{id}',
      '/sms-provider-templates/{id}/refresh',
      '/sms-provider-templates/{id}/preview',
    );
    expect(doc.paths['/sms-accounts/{id}/access'].put).to.be.an('object');
    expect(doc.paths['/sms-accounts/{id}/access'].get).to.be.an('object');
    expect(doc.paths).to.include.keys('/sms-accounts/{id}/problems', '/sms-accounts/{id}/template-map');
    // The alibaba provider's settings are part of the account schema, read from its descriptor.
    const create = JSON.stringify(doc.paths['/sms-accounts'].post.requestBody);
    const resolved = create.includes('$ref') ? JSON.stringify(doc.components ?? {}) : create;
    expect(resolved).to.contain('"alibaba"').and.to.contain('accessKeySecret').and.to.contain('pollAfterMinutes');
  });
});
