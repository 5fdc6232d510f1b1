// Console forms need the CSRF token of the admin's own sign-in, and only signed-in admins reach any console route.
import { expect } from 'chai';
import { userCreateInput } from '../../../src/admin/services/schemas/users.ts';
import { policyInputSchema } from '../../../src/policies/schema.ts';
import { createUser, submitLogin } from '../../helpers/rp.ts';
import type { TestServer } from '../../helpers/server.ts';
import { UserAgent } from '../../helpers/user-agent.ts';
import { type ConsoleSession, signIn, startConsoleServer } from './harness.ts';

describe('admin console security', () => {
  let server: TestServer;
  let admin: ConsoleSession;
  let ids: { user: string; policy: string; account: string; template: string };

  before(async () => {
    server = await startConsoleServer();
    admin = await signIn(server);
    const c = server.container;
    const pat = await createUser(server, 'pat', 'pat has a long password');
    const account = await c.sms.accounts.create({ name: 'Inbox', provider: 'dev', settings: {} });
    const policy = await c.policies.create(policyInputSchema.parse({ name: 'Staff' }));
    const saved = await c.admin.templates.save({ kind: 'user', id: pat.id }, { purpose: 'login', language: 'es', body: 'Tu código: {{ code }}' });
    ids = { user: pat.id, policy: policy.id, account: account.id, template: saved.template.id };
  });
  after(() => server.close());

  /** Every console POST, with a form that would change something if it were accepted. */
  const posts = (): [string, Record<string, string>][] => [
    ['/admin/apps', { client_name: 'Forged', redirect_uris: 'https://evil.example/cb', grant_types: 'authorization_code', token_endpoint_auth_method: 'client_secret_basic' }],
    ['/admin/apps/codeword-admin-console', { client_name: 'Renamed' }],
    ['/admin/apps/codeword-admin-console/secret', {}],
    ['/admin/apps/codeword-sms-try/delete', {}],
    ['/admin/users', { username: 'forged', roles: 'admin', password: 'a long forged password' }],
    [`/admin/users/${ids.user}`, { username: 'pat', roles: 'admin' }],
    [`/admin/users/${ids.user}/delete`, {}],
    ['/admin/sms-accounts', { provider: 'dev', name: 'Forged' }],
    [`/admin/sms-accounts/${ids.account}`, { name: 'Renamed' }],
    [`/admin/sms-accounts/${ids.account}/verify`, {}],
    [`/admin/sms-accounts/${ids.account}/test`, { to: '+61491570156' }],
    [`/admin/sms-accounts/${ids.account}/delete`, {}],
    ['/admin/templates/edit', { purpose: 'login', language: 'fr', body: 'Forged {{ code }}' }],
    ['/admin/templates/preview', { purpose: 'login', language: 'fr', body: 'Forged {{ code }}' }],
    [`/admin/templates/${ids.template}/delete`, {}],
    ['/admin/connection', { enabled: 'on', accountId: ids.account }],
    ['/admin/connection/try', {}],
    ['/admin/factor', { active: 'on', accountId: ids.account, phoneField: 'phone_number' }],
    ['/admin/policies', { name: 'Forged' }],
    [`/admin/policies/${ids.policy}`, { name: 'Forged', mfaSms: 'on' }],
    [`/admin/policies/${ids.policy}/default`, {}],
    [`/admin/policies/${ids.policy}/delete`, {}],
  ];

  async function snapshot() {
    const c = server.container;
    return JSON.stringify([
      await c.db('clients').select('client_id', 'client_name', 'client_secret').orderBy('client_id'),
      await c.db('users').select('id', 'username', 'roles').orderBy('id'),
      await c.db('sms_accounts').select().orderBy('id'),
      await c.db('sms_templates').select().orderBy('id'),
      await c.db('sms_messages').count({ n: '*' }),
      await c.smsConnection.get(),
      await c.smsFactor.get(),
      await c.db('policies').select().orderBy('id'),
      await c.db('audit_events').count({ n: '*' }),
    ]);
  }

  it('refuses every console POST without the CSRF token, or with a forged one, and changes nothing', async () => {
    const before = await snapshot();
    for (const [path, form] of posts()) {
      const missing = await admin.post(path, Object.entries(form).concat([['csrf', '']]));
      expect(missing.status, `${path} without a token`).to.equal(403);
      const forged = await admin.post(path, { ...form, csrf: 'x'.repeat(admin.csrf.length) });
      expect(forged.status, `${path} with a forged token`).to.equal(403);
    }
    expect(await snapshot()).to.equal(before);
  });

  it("refuses another admin sign-in's token (tokens are bound to the sign-in)", async () => {
    const other = await signIn(server);
    expect(other.csrf).not.to.equal(admin.csrf);
    const before = await snapshot();
    const res = await admin.post('/admin/policies', { name: 'Cross', csrf: other.csrf });
    expect(res.status).to.equal(403);
    expect(await snapshot()).to.equal(before);
  });

  it('sends visitors without a console session to sign in, and refuses their POSTs with 401', async () => {
    const visitor = new UserAgent();
    for (const path of ['/admin/apps', '/admin/users', `/admin/users/${ids.user}`, '/admin/sms-accounts', '/admin/templates', '/admin/connection', '/admin/connection/try/callback', '/admin/factor', '/admin/policies', '/admin/messages', '/admin/audit']) {
      const res = await visitor.request(`${server.url}${path}`);
      expect(res.status, path).to.equal(302);
      expect(res.headers.get('location'), path).to.equal('/admin/login');
    }
    const before = await snapshot();
    for (const [path, form] of posts()) {
      const res = await visitor.request(`${server.url}${path}`, { form: { ...form, csrf: admin.csrf } });
      expect(res.status, path).to.equal(401);
    }
    expect(await snapshot()).to.equal(before);
  });

  it('never lets a signed-in user without the admin role in', async () => {
    const ua = new UserAgent();
    const start = await ua.follow(`${server.url}/admin`);
    const page = await submitLogin(ua, start, 'pat', 'pat has a long password');
    expect(page.status).to.equal(403);
    expect((await ua.request(`${server.url}/admin/users`)).status).to.equal(302);
    expect((await ua.request(`${server.url}/admin/policies`, { form: { name: 'Sneaky', csrf: admin.csrf } })).status).to.equal(401);
    expect(await server.container.db('policies').where({ name: 'Sneaky' }).first()).to.equal(undefined);
  });

  it('shuts out an admin at once when their admin role is taken away', async () => {
    const c = server.container;
    const samUser = await c.admin.users.create({ kind: 'user', id: 'test' }, userCreateInput.parse({ username: 'sam', password: 'sam has a long password', roles: ['admin'] }));
    const sam = await signIn(server, 'sam', 'sam has a long password');
    expect((await sam.get('/admin/users')).status).to.equal(200);
    const res = await admin.post(`/admin/users/${samUser.id}`, { username: 'sam', roles: '' });
    expect(res.status).to.equal(303);
    expect((await sam.get('/admin/users')).status).to.equal(302);
    expect((await sam.post('/admin/policies', { name: 'Too late' })).status).to.equal(401);
    const event = await c.db('audit_events').where({ action: 'user.update', target: samUser.id }).first();
    expect(event.actor).to.match(/^user:/);
  });
});
