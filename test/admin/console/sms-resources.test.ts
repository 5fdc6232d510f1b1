// The console's Alibaba pages: add the account, its signatures and templates (approved text previewed), authorize apps, delete.
import { expect } from 'chai';
import { type FakeAlibaba, startFakeAlibaba } from '../../fakes/fake-alibaba.ts';
import { registerClient } from '../../helpers/rp.ts';
import type { TestServer } from '../../helpers/server.ts';
import { approveTemplates, DOMESTIC_LOGIN, INTERNATIONAL_LOGIN } from '../../sms/alibaba-setup.ts';
import { alertText, type ConsoleSession, signIn, startConsoleServer } from './harness.ts';

describe('admin console: Alibaba signatures, provider templates and app grants', () => {
  let server: TestServer;
  let fake: FakeAlibaba;
  let admin: ConsoleSession;
  let base: string;

  before(async () => {
    server = await startConsoleServer({ smsWorker: false });
    fake = await startFakeAlibaba();
    approveTemplates(fake);
    admin = await signIn(server);
    await registerClient(server, { clientId: 'shop' });
  });
  after(async () => {
    await fake.close();
    await server.close();
  });

  it('adds an Alibaba account from its descriptor form; the AccessKey Secret is never shown again', async () => {
    const form = await admin.get('/admin/sms-accounts/new?provider=alibaba');
    expect(form.html).to.contain('AccessKey Secret').and.to.match(/<input id="accessKeySecret" name="accessKeySecret" type="password"/);
    const res = await admin.post('/admin/sms-accounts', { provider: 'alibaba', name: 'Aliyun', accessKeyId: fake.accessKeyId, accessKeySecret: fake.accessKeySecret, endpoint: fake.url, pollAfterMinutes: '5' });
    expect(res.status, res.html.slice(0, 400)).to.equal(303);
    const page = await admin.get(res.headers.get('location')!);
    expect(page.html).not.to.contain(fake.accessKeySecret);
    expect(page.html).to.contain('id="resources-link"');
    base = page.html.match(/href="(\/admin\/sms-accounts\/[^"]+\/resources)"/)![1]!;
  });

  it('adds signatures and templates, previews the approved text with 【SignName】, and shows clear errors', async () => {
    expect((await admin.post(base.replace(/resources$/, 'signatures'), { signName: '码字科技', region: 'domestic', general: 'on', clientIds: '' })).status).to.equal(303);
    const bad = await admin.post(base.replace(/resources$/, 'templates'), { code: INTERNATIONAL_LOGIN, purpose: 'login', region: 'international', params: 'code=code', clientIds: '' });
    expect(bad.status).to.equal(400);
    expect(alertText(bad.html)).to.match(/needs \$\{product\}/);
    expect(bad.html).to.match(/id="params"[^>]*aria-invalid="true"/);
    expect((await admin.post(base.replace(/resources$/, 'templates'), { code: DOMESTIC_LOGIN, purpose: 'login', region: 'domestic', params: 'code=code', general: 'on', clientIds: '' })).status).to.equal(303);
    const page = await admin.get(base);
    expect(page.status).to.equal(200);
    expect(page.html).to.contain('【码字科技】您的验证码为：123456').and.to.contain('UCS-2');
    expect(page.html).to.contain('id="report-url"').and.to.contain('no provider template for mfa');
    // Shown before anything is sent: a purpose with no mapping, and the region the login template does not cover.
    expect(page.html).to.contain('no provider template for password_changed').and.to.contain('no international provider template for login');
  });

  it('answers 404 for a signature or template that is not there or belongs to another account', async () => {
    const [sign] = await server.container.sms.resources.signatures.list();
    const [tpl] = await server.container.sms.resources.templates.list();
    expect((await admin.get(base.replace(/resources$/, 'signatures/no-such-id'))).status).to.equal(404);
    expect((await admin.get(base.replace(/resources$/, 'templates/no-such-id'))).status).to.equal(404);
    const other = await server.container.sms.accounts.create({ name: 'Other', provider: 'alibaba', settings: { accessKeyId: fake.accessKeyId, accessKeySecret: fake.accessKeySecret, endpoint: fake.url } });
    const elsewhere = `/admin/sms-accounts/${other.id}`;
    expect((await admin.get(`${elsewhere}/signatures/${sign!.id}`)).status).to.equal(404);
    expect((await admin.get(`${elsewhere}/templates/${tpl!.id}`)).status).to.equal(404);
    expect((await admin.post(`${elsewhere}/signatures/${sign!.id}`, { signName: 'Taken over', region: 'domestic' })).status).to.equal(404);
    expect((await server.container.sms.resources.signatures.get(sign!.id)).signName, 'unchanged').not.to.equal('Taken over');
    // Nor can another account's URL delete or refresh them.
    expect((await admin.post(`${elsewhere}/signatures/${sign!.id}/delete`, {})).status).to.equal(404);
    expect((await admin.post(`${elsewhere}/templates/${tpl!.id}/delete`, {})).status).to.equal(404);
    expect((await admin.post(`${elsewhere}/templates/${tpl!.id}/refresh`, {})).status).to.equal(404);
    expect((await admin.post(`${elsewhere}/signatures/no-such-id/delete`, {})).status).to.equal(404);
    expect(await server.container.sms.resources.signatures.get(sign!.id), 'still there').to.include({ id: sign!.id });
    expect(await server.container.sms.resources.templates.get(tpl!.id), 'still there').to.include({ id: tpl!.id });
    await server.container.sms.accounts.remove(other.id);
  });

  it('authorizes an app on the account, refusing an unknown one', async () => {
    const unknown = await admin.post(base.replace(/resources$/, 'access'), { clientIds: 'nobody' });
    expect(unknown.status).to.equal(400);
    expect(alertText(unknown.html)).to.match(/no app "nobody"/);
    expect((await admin.post(base.replace(/resources$/, 'access'), { clientIds: 'shop' })).status).to.equal(303);
    const page = await admin.get(base);
    expect(page.html).to.match(/id="access-clients"[^>]*value="shop"/);
    expect(page.html).not.to.match(/name="general" checked/);
  });
});
