// Apps and users through the console's plain forms (no JavaScript): changes go through the admin services, errors show inline.
import { expect } from 'chai';
import { CONSOLE_CLIENT_ID } from '../../../src/admin/constants.ts';
import { policyInputSchema } from '../../../src/policies/schema.ts';
import type { TestServer } from '../../helpers/server.ts';
import { alertText, type ConsoleSession, fieldErrorText, signIn, startConsoleServer } from './harness.ts';

describe('admin console: apps and users', () => {
  let server: TestServer;
  let admin: ConsoleSession;
  let adminId: string;

  before(async () => {
    server = await startConsoleServer();
    admin = await signIn(server);
    adminId = (await server.container.users.findByLogin('root-admin'))!.id;
  });
  after(() => server.close());

  const app = (extra: [string, string][] = []): [string, string][] => [
    ['client_name', 'Shop'],
    ['client_id', 'shop-web'],
    ['redirect_uris', 'https://shop.example/cb\nhttps://shop.example/cb2'],
    ['grant_types', 'authorization_code'],
    ['grant_types', 'refresh_token'],
    ['token_endpoint_auth_method', 'client_secret_basic'],
    ['first_party', 'on'],
    ...extra,
  ];

  it('adds an app and shows its secret once', async () => {
    const res = await admin.post('/admin/apps', app());
    expect(res.status).to.equal(201);
    const secret = res.html.match(/id="new-secret"[^>]*value="([^"]+)"/)?.[1];
    const stored = await server.container.clients.find('shop-web');
    expect(secret).to.equal(stored!.metadata.client_secret);
    expect(stored!.firstParty).to.equal(true);
    expect(stored!.metadata.redirect_uris).to.deep.equal(['https://shop.example/cb', 'https://shop.example/cb2']);
    const later = await admin.get('/admin/apps/shop-web');
    expect(later.status).to.equal(200);
    expect(later.html).not.to.contain(stored!.metadata.client_secret!);
    const list = await admin.get('/admin/apps');
    expect(list.html).to.contain('shop-web').and.not.to.contain(stored!.metadata.client_secret!);
    const event = await server.container.db('audit_events').where({ action: 'client.create', target: 'shop-web' }).first();
    expect(event.actor).to.equal(`user:${adminId}`);
    expect(event.details).not.to.contain(stored!.metadata.client_secret!);
  });

  it('shows the service error inline with the values entered (4xx)', async () => {
    const res = await admin.post('/admin/apps', app([['client_id', 'shop-2']]).map(([k, v]): [string, string] => (k === 'redirect_uris' ? [k, 'not a url'] : [k, v])));
    expect(res.status).to.equal(400);
    expect(alertText(res.html)).to.match(/redirect_uris\.0: /);
    expect(res.html).to.contain('not a url');
    expect(res.html).to.match(/id="redirect_uris"[^>]*aria-invalid="true"/);
    expect(await server.container.clients.exists('shop-2')).to.equal(false);
    const taken = await admin.post('/admin/apps', app());
    expect(taken.status).to.equal(409);
    expect(alertText(taken.html)).to.contain('already exists');
  });

  it('edits an app, rotates its secret, and deletes it; the console client stays', async () => {
    const edited = await admin.post('/admin/apps/shop-web', app([['disabled', 'on']]).filter(([k]) => k !== 'first_party'));
    expect(edited.status).to.equal(303);
    const stored = await server.container.clients.find('shop-web');
    expect(stored).to.include({ firstParty: false, disabled: true });
    const rotated = await admin.post('/admin/apps/shop-web/secret');
    expect(rotated.status).to.equal(200);
    const secret = rotated.html.match(/id="new-secret"[^>]*value="([^"]+)"/)?.[1];
    expect(secret).to.equal((await server.container.clients.find('shop-web'))!.metadata.client_secret).and.not.equal(stored!.metadata.client_secret);
    expect((await admin.post('/admin/apps/shop-web/delete')).status).to.equal(303);
    expect(await server.container.clients.exists('shop-web')).to.equal(false);
    const refused = await admin.post(`/admin/apps/${CONSOLE_CLIENT_ID}/delete`);
    expect(refused.status).to.equal(422);
    expect(alertText(refused.html)).to.equal('This built-in application cannot be changed or deleted.');
    expect(await server.container.clients.exists(CONSOLE_CLIENT_ID)).to.equal(true);
  });

  let userId: string;
  const user = (extra: Record<string, string> = {}) => ({
    username: 'dana',
    email: 'dana@example.test',
    name: 'Dana Example',
    phoneNumber: '+61 491 570 156',
    phoneNumberVerified: 'on',
    attributes: 'mobile = +61491570157\nteam = blue',
    roles: 'staff',
    password: 'dana has a long password',
    ...extra,
  });

  it('adds a user with phone fields, custom attributes and roles', async () => {
    const res = await admin.post('/admin/users', user());
    expect(res.status).to.equal(303);
    userId = res.headers.get('location')!.match(/\/admin\/users\/([^?]+)/)![1]!;
    const stored = await server.container.users.findById(userId);
    expect(stored).to.include({ username: 'dana', phoneNumber: '+61491570156', phoneNumberVerified: true, disabled: false });
    expect(stored!.customAttributes).to.deep.equal({ mobile: '+61491570157', team: 'blue' });
    expect(stored!.roles).to.deep.equal(['staff']);
    const page = await admin.get(`/admin/users/${userId}`);
    expect(page.html).to.contain('mobile = +61491570157').and.not.to.contain('dana has a long password');
  });

  it('searches users', async () => {
    const found = await admin.get('/admin/users?q=DANA');
    expect(found.html).to.contain(`/admin/users/${userId}`).and.not.to.contain('>root-admin<');
    const all = await admin.get('/admin/users');
    expect(all.html).to.contain(`/admin/users/${userId}`).and.to.contain('>root-admin<');
  });

  it('edits attributes (a removed line removes the attribute), policy and disabled', async () => {
    const policy = await server.container.policies.create(policyInputSchema.parse({ name: 'Staff' }));
    const res = await admin.post(`/admin/users/${userId}`, { ...user({ attributes: 'mobile = +61491570158\nbadge = 7', password: '' }), policyId: policy.id, disabled: 'on' });
    expect(res.status).to.equal(303);
    const stored = await server.container.users.findById(userId);
    expect(stored!.customAttributes).to.deep.equal({ mobile: '+61491570158', badge: '7' });
    expect(stored).to.include({ policyId: policy.id, disabled: true });
  });

  it('shows every error of the form at once, each as a sentence beside its field', async () => {
    const res = await admin.post(`/admin/users/${userId}`, user({ email: 'not an email', phoneNumber: '12', password: '' }));
    expect(res.status).to.equal(400);
    expect(alertText(res.html)).to.match(/^The user details are not valid\. Correct the highlighted fields and save again\./);
    expect(fieldErrorText(res.html, 'email')).to.be.a('string').and.not.equal('');
    expect(fieldErrorText(res.html, 'phoneNumber')).to.contain('must be a valid phone number');
    expect(res.html).to.match(/id="email"[^>]*aria-invalid="true" aria-describedby="form-error error-email"/);
    expect(res.html).to.match(/id="phoneNumber"[^>]*aria-invalid="true" aria-describedby="form-error error-phoneNumber phone-hint"/);
    expect(fieldErrorText(res.html, 'username')).to.equal(undefined);
  });

  it('keeps what was typed and marks the field when the service refuses it', async () => {
    const res = await admin.post(`/admin/users/${userId}`, user({ phoneNumber: '12', password: '' }));
    expect(res.status).to.equal(400);
    expect(alertText(res.html)).to.match(/phoneNumber: must be a valid phone number/);
    expect(res.html).to.match(/id="phoneNumber"[^>]*value="12"[^>]*aria-invalid="true"/);
    expect((await server.container.users.findById(userId))!.phoneNumber).to.equal('+61491570156');
    const bad = await admin.post(`/admin/users/${userId}`, user({ attributes: 'no equals sign', password: '' }));
    expect(bad.status).to.equal(400);
    expect(alertText(bad.html)).to.contain('line 1 must look like name = value');
  });

  it('will not remove the last admin, and deletes other users', async () => {
    const refused = await admin.post(`/admin/users/${adminId}/delete`);
    expect(refused.status).to.equal(422);
    expect(alertText(refused.html)).to.contain('Make another user an administrator first');
    expect((await admin.post(`/admin/users/${userId}/delete`)).status).to.equal(303);
    expect(await server.container.users.findById(userId)).to.equal(undefined);
  });
});
