// Policies (SMS reset offered only with the SMS factor, the rule's 422 shown inline) and the message and audit logs.
import { expect } from 'chai';
import type { TestServer } from '../../helpers/server.ts';
import { alertText, type ConsoleSession, signIn, startConsoleServer } from './harness.ts';

describe('admin console: policies and logs', () => {
  let server: TestServer;
  let admin: ConsoleSession;
  let policyId: string;

  before(async () => {
    server = await startConsoleServer({ smsWorker: false });
    admin = await signIn(server);
  });
  after(() => server.close());

  const resetBox = (html: string) => html.match(/<input type="checkbox" id="resetSms"[^>]*>/)?.[0] ?? '';
  const form = (extra: Record<string, string> = {}) => ({ name: 'Staff', mfaRequired: 'never', minLength: '12', maxLength: '128', blocklist: 'on', resetCodeLifetimeSeconds: '600', ...extra });

  it('adds a policy; SMS reset is disabled with the reason while the policy has no SMS factor', async () => {
    const empty = await admin.post('/admin/policies', { name: ' ' });
    expect(empty.status).to.equal(422);
    expect(alertText(empty.html)).to.contain('name: must not be empty');
    const res = await admin.post('/admin/policies', { name: 'Staff' });
    expect(res.status).to.equal(303);
    policyId = res.headers.get('location')!.match(/\/admin\/policies\/([^?]+)/)![1]!;
    const page = await admin.get(`/admin/policies/${policyId}`);
    expect(resetBox(page.html)).to.contain(' disabled').and.to.contain('aria-describedby="resetSms-reason"');
    expect(page.html).to.match(/<p class="hint" id="resetSms-reason">Password reset by SMS needs the SMS factor/);
  });

  it("shows the service's 422 inline when SMS reset is submitted without the SMS factor", async () => {
    const res = await admin.post(`/admin/policies/${policyId}`, form({ resetSms: 'on' }));
    expect(res.status).to.equal(422);
    expect(alertText(res.html)).to.contain('Password reset by SMS needs the SMS factor');
    expect((await server.container.policies.get(policyId))!.passwordUpdate.methods).to.deep.equal([]);
  });

  it('enables the SMS factor, then SMS reset', async () => {
    expect((await admin.post(`/admin/policies/${policyId}`, form({ mfaSms: 'on' }))).status).to.equal(303);
    const page = await admin.get(`/admin/policies/${policyId}`);
    expect(resetBox(page.html)).not.to.contain(' disabled');
    expect(page.html).to.match(/id="resetSms-reason" hidden>/);
    expect((await admin.post(`/admin/policies/${policyId}`, form({ mfaSms: 'on', resetSms: 'on' }))).status).to.equal(303);
    const stored = await server.container.policies.get(policyId);
    expect(stored!.mfa.factors).to.deep.equal(['sms']);
    expect(stored!.passwordUpdate.methods).to.deep.equal(['sms']);
  });

  it('refuses to remove the SMS factor while SMS reset uses it', async () => {
    const res = await admin.post(`/admin/policies/${policyId}`, form({ resetSms: 'on' }));
    expect(res.status).to.equal(422);
    expect(alertText(res.html)).to.contain('The SMS factor cannot be removed while password reset by SMS uses it');
    expect(res.html).to.match(/id="mfaSms"[^>]*aria-invalid="true"/);
  });

  it('keeps bounds from the service and clears optional numbers', async () => {
    const bad = await admin.post(`/admin/policies/${policyId}`, form({ mfaSms: 'on', resetSms: 'on', minLength: '2' }));
    expect(bad.status).to.equal(422);
    expect(bad.html).to.match(/id="minLength"[^>]*value="2"[^>]*aria-invalid="true"/);
    const ok = await admin.post(`/admin/policies/${policyId}`, form({ mfaSms: 'on', resetSms: 'on', maxAgeDays: '90', reminderDays: '' }));
    expect(ok.status).to.equal(303);
    expect((await server.container.policies.get(policyId))!.password).to.deep.include({ maxAgeDays: 90, reminderDays: null });
  });

  it('sets what follows an SMS sign-in under MFA, and whether admins may reset by SMS', async () => {
    const page = await admin.get(`/admin/policies/${policyId}`);
    expect(page.html).to.match(/<option value="password" selected>Ask for the password</);
    expect(page.html).to.match(/<input type="checkbox" id="smsForAdmins" name="smsForAdmins">/);
    const ok = await admin.post(`/admin/policies/${policyId}`, form({ mfaSms: 'on', resetSms: 'on', afterSms: 'refuse', smsForAdmins: 'on' }));
    expect(ok.status).to.equal(303);
    const stored = (await server.container.policies.get(policyId))!;
    expect(stored.mfa.afterSms).to.equal('refuse');
    expect(stored.passwordUpdate.smsForAdmins).to.equal(true);
    const bad = await admin.post(`/admin/policies/${policyId}`, form({ mfaSms: 'on', resetSms: 'on', afterSms: 'sometimes' }));
    expect(bad.status).to.equal(422);
  });

  it('makes a policy the default, and will not delete the default', async () => {
    expect((await admin.post(`/admin/policies/${policyId}/default`)).status).to.equal(303);
    expect((await server.container.policies.getDefault()).id).to.equal(policyId);
    const list = await admin.get('/admin/policies');
    expect(list.html).to.match(/Staff<\/a> <span class="badge">default</);
    const refused = await admin.post(`/admin/policies/${policyId}/delete`);
    expect(refused.status).to.equal(422);
    expect(refused.html).to.contain('The default policy cannot be deleted');
  });

  it('filters the audit log and pages through it', async () => {
    const all = await admin.get('/admin/audit?action=policy.update');
    expect(all.status).to.equal(200);
    const rows = (html: string) => [...html.matchAll(/<tr>\s*<td><time[^>]*>[^<]+<\/time><\/td>\s*<td>[^<]*<code>([^<]*)<\/code><\/td>\s*<td><code>([^<]*)<\/code>/g)].map((m) => m[2]);
    expect(rows(all.html)).to.have.length(4).and.to.satisfy((a: string[]) => a.every((x) => x === 'policy.update'));
    const first = await admin.get('/admin/audit?action=policy.update&limit=2');
    expect(rows(first.html)).to.have.length(2);
    const next = first.html.match(/<a href="([^"]+)" rel="next">/)?.[1]?.replace(/&amp;/g, '&');
    expect(next).to.contain('action=policy.update').and.to.contain('cursor=');
    const second = await admin.get(next!);
    expect(rows(second.html)).to.have.length(2);
    expect(second.html).not.to.contain('rel="next"');
    expect(second.html).to.contain('First page');
    const bad = await admin.get('/admin/audit?since=yesterday');
    expect(bad.status).to.equal(400);
    expect(alertText(bad.html)).to.match(/since: /);
  });

  it('filters the messages log', async () => {
    const c = server.container;
    const account = await c.sms.accounts.create({ name: 'Inbox', provider: 'dev', settings: {} });
    await c.admin.smsAccounts.testSend({ kind: 'user', id: 'test' }, account.id, { to: '+61491570156' });
    const page = await admin.get('/admin/messages?purpose=test');
    expect(page.html).to.contain('+61').and.to.contain('Test message').and.not.to.contain('+61491570156');
    const none = await admin.get('/admin/messages?purpose=login');
    expect(none.html).to.contain('Nothing here yet.');
    const since = await admin.get(`/admin/messages?since=${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}`);
    expect(since.html).to.contain('Nothing here yet.');
  });
});
