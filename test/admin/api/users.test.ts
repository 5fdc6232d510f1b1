// /users: profile, phone fields, custom attributes, roles, disabled, policy assignment; passwords write-only and checked.
import { expect } from 'chai';
import { verifyPassword } from '../../../src/security/passwords.ts';
import { type ApiHarness, startApi } from './harness.ts';

describe('admin API: users', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi({ env: { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'a long first admin password' } });
  });
  after(() => api.close());

  const alice = {
    username: 'Alice',
    email: 'alice@example.test',
    emailVerified: true,
    password: 'violet tangerine harbour',
    name: 'Alice Example',
    locale: 'fr',
    phoneNumber: '+61 491 570 156',
    phoneNumberVerified: true,
    customAttributes: { mobile: '+61491570157', employeeId: 42 },
  };
  let aliceId: string;

  it('creates a user; the password is stored hashed and never returned', async () => {
    const r = await api.call('POST', '/users', { body: alice });
    expect(r.status).to.equal(201);
    expect(r.body).to.include({ username: 'alice', email: 'alice@example.test', phoneNumber: '+61491570156', hasPassword: true, disabled: false, policyId: null });
    expect(r.body.customAttributes).to.deep.equal({ mobile: '+61491570157', employeeId: 42 });
    expect(r.text).not.to.include(alice.password);
    expect(r.text).not.to.match(/passwordHash|argon2/);
    aliceId = r.body.id;
    const stored = await api.server.container.users.findById(aliceId);
    expect(await verifyPassword(stored!.passwordHash, alice.password)).to.equal(true);
    const events = await api.call('GET', `/audit-events?target=${aliceId}`);
    expect(events.body.items[0]).to.include({ action: 'user.create', actor: 'client:admin-api-test' });
    expect(events.text).not.to.include(alice.password);
  });

  it('reads, searches and filters users', async () => {
    expect((await api.call('GET', `/users/${aliceId}`)).body.name).to.equal('Alice Example');
    const byName = await api.call('GET', '/users?q=EXAMPLE');
    expect(byName.body.items.map((u: { id: string }) => u.id)).to.deep.equal([aliceId]);
    const admins = await api.call('GET', '/users?role=admin');
    expect(admins.body.items.map((u: { username: string }) => u.username)).to.deep.equal(['root']);
    expect((await api.call('GET', '/users?disabled=true')).body.items).to.have.length(0);
    const bad = await api.call('GET', '/users?limit=0');
    expect(bad.status).to.equal(400);
    expect(bad.body.details).to.include({ in: 'query' });
  });

  it('merges custom attributes (null removes one) and changes phone fields and roles', async () => {
    const r = await api.call('PATCH', `/users/${aliceId}`, {
      body: { customAttributes: { employeeId: null, team: 'blue' }, phoneNumber: '+33612345678', phoneNumberVerified: false, roles: ['admin'] },
    });
    expect(r.status).to.equal(200);
    expect(r.body.customAttributes).to.deep.equal({ mobile: '+61491570157', team: 'blue' });
    expect(r.body).to.include({ phoneNumber: '+33612345678', phoneNumberVerified: false });
    expect(r.body.roles).to.deep.equal(['admin']);
    const events = await api.call('GET', `/audit-events?action=user.update&target=${aliceId}`);
    const details = events.body.items[0].details;
    expect(details.before.phoneNumber).to.equal('+61491570156');
    expect(details.after.phoneNumber).to.equal('+33612345678');
  });

  it('assigns and unassigns a policy', async () => {
    const policy = await api.call('POST', '/policies', { body: { name: 'Staff' } });
    const assigned = await api.call('PATCH', `/users/${aliceId}`, { body: { policyId: policy.body.id } });
    expect(assigned.body.policyId).to.equal(policy.body.id);
    expect((await api.call('GET', `/policies/${policy.body.id}`)).body.assignedUsers).to.equal(1);
    expect((await api.call('GET', `/users?policyId=${policy.body.id}`)).body.items).to.have.length(1);
    const unknown = await api.call('PATCH', `/users/${aliceId}`, { body: { policyId: 'no-such-policy' } });
    expect(unknown.status).to.equal(422);
    expect(unknown.body.error).to.equal('policy_not_found');
    expect((await api.call('PATCH', `/users/${aliceId}`, { body: { policyId: null } })).body.policyId).to.equal(null);
  });

  it("checks a new password against the user's policy (422, nothing changed)", async () => {
    const before = await api.server.container.users.findById(aliceId);
    for (const password of ['short', 'password123', 'alice1234']) {
      const r = await api.call('PATCH', `/users/${aliceId}`, { body: { password, name: 'Changed' } });
      expect(r.status, password).to.equal(422);
      expect(r.body.error).to.equal('password_rejected');
      expect(r.body.message).to.match(/^password: /);
    }
    const after = await api.server.container.users.findById(aliceId);
    expect(after!.passwordHash).to.equal(before!.passwordHash);
    expect(after!.name).to.equal('Alice Example');
    const ok = await api.call('PATCH', `/users/${aliceId}`, { body: { password: 'a different long passphrase' } });
    expect(ok.status).to.equal(200);
    expect(ok.body.passwordChangedAt).to.be.a('number');
  });

  it('refuses invalid input with a 400 naming the field, and creates nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [{ email: 'not-an-email' }, /^email: /],
      [{ username: 'bob', phoneNumber: '0412 345 678' }, /^phoneNumber: must be a valid phone number in E\.164/],
      [{ username: 'bob', customAttributes: { 'bad name': 'x' } }, /^customAttributes/],
      [{ username: 'bob', roles: ['Admin!'] }, /^roles\.0: /],
      [{ name: 'Nobody' }, /^username: set a username or an email/],
      [{ username: 'bob', passwordHash: 'x' }, /^passwordHash: is not a known field/],
    ];
    for (const [body, message] of cases) {
      const r = await api.call('POST', '/users', { body });
      expect(r.status, JSON.stringify(body)).to.equal(400);
      expect(r.body.message).to.match(message);
    }
    expect((await api.call('GET', '/users?q=bob')).body.items).to.have.length(0);
  });

  it('answers 409 when the username or email is taken, 404 for an unknown user', async () => {
    const dup = await api.call('POST', '/users', { body: { username: 'ALICE@example.test' } });
    expect(dup.status).to.equal(409);
    expect(dup.body).to.include({ error: 'user_exists' });
    expect((await api.call('POST', '/users', { body: { username: 'carol', email: 'Alice@Example.test' } })).status).to.equal(409);
    expect((await api.call('GET', '/users/00000000-0000-0000-0000-000000000000')).status).to.equal(404);
  });

  it('disables a user and ends their sessions; keeps at least one enabled admin', async () => {
    const root = (await api.call('GET', '/users?q=root')).body.items[0];
    // Alice is an admin too, so root may be disabled…
    expect((await api.call('PATCH', `/users/${root.id}`, { body: { disabled: true } })).body.disabled).to.equal(true);
    // …but then Alice is the last enabled admin.
    const last = await api.call('PATCH', `/users/${aliceId}`, { body: { roles: [] } });
    expect(last.status).to.equal(422);
    expect(last.body.error).to.equal('last_admin');
    expect((await api.call('DELETE', `/users/${aliceId}`)).status).to.equal(422);
    expect((await api.call('PATCH', `/users/${root.id}`, { body: { disabled: false } })).body.disabled).to.equal(false);
    const db = api.server.container.db;
    await db('oidc_payloads').insert({ model: 'Session', id: 'alice-session', payload: '{}', account_id: aliceId, expires_at: Date.now() + 60_000 });
    const disabled = await api.call('PATCH', `/users/${aliceId}`, { body: { disabled: true } });
    expect(disabled.body.disabled).to.equal(true);
    expect(await db('oidc_payloads').where({ account_id: aliceId })).to.have.length(0);
  });

  it('deletes a user (audited)', async () => {
    const u = await api.call('POST', '/users', { body: { email: 'temp@example.test' } });
    expect((await api.call('DELETE', `/users/${u.body.id}`)).status).to.equal(204);
    expect((await api.call('GET', `/users/${u.body.id}`)).status).to.equal(404);
    const events = await api.call('GET', `/audit-events?action=user.delete&target=${u.body.id}`);
    expect(events.body.items[0].details.before.email).to.equal('temp@example.test');
  });

  it('pages through users with limit and cursor', async () => {
    for (const n of [1, 2, 3]) await api.call('POST', '/users', { body: { username: `page${n}` } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { body: { items: { username: string }[]; nextCursor: string | null } } = await api.call('GET', `/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.body.items.length).to.be.at.most(2);
      seen.push(...r.body.items.map((u) => u.username));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen.filter((u) => u.startsWith('page')).sort()).to.deep.equal(['page1', 'page2', 'page3']);
    expect(new Set(seen).size).to.equal(seen.length);
    expect((await api.call('GET', '/users?cursor=garbage')).body.error).to.equal('invalid_cursor');
  });
});
