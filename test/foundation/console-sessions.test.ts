// Console sessions live on the server: logout, a password reset (revokeAccount) and their lifetime end them, a copied
// cookie is worth nothing afterwards, and the console's client secret survives restarts of other instances.
import { expect } from 'chai';
import { CONSOLE_CLIENT_ID } from '../../src/admin/constants.ts';
import { revokeAccount } from '../../src/oidc/adapter.ts';
import { ADMIN, signIn, startConsoleServer } from '../admin/console/harness.ts';
import type { TestServer } from '../helpers/server.ts';
import { UserAgent } from '../helpers/user-agent.ts';

/** A second browser holding the same cookies (what someone who copied them would send). */
function copyOf(ua: UserAgent): UserAgent {
  const copy = new UserAgent();
  const jar = (ua as unknown as { jar: Map<string, string> }).jar;
  for (const [k, v] of jar) (copy as unknown as { jar: Map<string, string> }).jar.set(k, v);
  return copy;
}

describe('admin console sessions', () => {
  let clock = Date.now();
  let server: TestServer;
  before(async () => {
    server = await startConsoleServer({ now: () => clock });
  });
  after(() => server.close());

  const adminId = async () => (await server.container.users.findByLogin(ADMIN.username))!.id;

  it('end at logout: the cookie copied before it no longer opens the console', async () => {
    const session = await signIn(server);
    const copied = copyOf(session.ua);
    expect((await copied.request(`${server.url}/admin`)).status).to.equal(200);
    const out = await session.post('/admin/logout');
    expect(out.status).to.equal(302);
    const replay = await copied.request(`${server.url}/admin`);
    expect(replay.status).to.equal(302);
    expect(replay.headers.get('location')).to.equal('/admin/login');
  });

  it('end when the account is revoked (password reset, admin "sign out everywhere")', async () => {
    const session = await signIn(server);
    expect((await session.get('/admin')).status).to.equal(200);
    expect(await revokeAccount(server.container.db, await adminId())).to.be.greaterThan(0);
    expect((await session.get('/admin')).status).to.equal(302);
    expect((await session.post('/admin/users', { username: 'mallory' })).status).to.equal(401);
  });

  it('end after eight hours', async () => {
    const session = await signIn(server);
    clock += 8 * 3600 * 1000 - 60_000;
    expect((await session.get('/admin')).status).to.equal(200);
    clock += 120_000;
    expect((await session.get('/admin')).status).to.equal(302);
  });

  it('keep no readable session id in the database', async () => {
    const session = await signIn(server);
    const rows = await server.container.db('oidc_payloads').where({ model: 'ConsoleSession' }).select('id', 'account_id');
    expect(rows.map((r) => r.account_id)).to.include(await adminId());
    const cookie = JSON.stringify((session.ua as unknown as { jar: Map<string, string> }).jar.get('cw_admin'));
    for (const r of rows) expect(cookie).not.to.contain(r.id);
  });
});

describe("the console's client secret", () => {
  let a: TestServer;
  let b: TestServer | undefined;
  before(async () => {
    a = await startConsoleServer();
  });
  after(async () => {
    await b?.close();
    await a.close();
  });

  it('is kept when another instance on the database starts, so both keep signing admins in', async () => {
    await signIn(a); // A now holds the secret it discovered
    const before = (await a.container.clients.find(CONSOLE_CLIENT_ID))?.metadata.client_secret;
    b = await startConsoleServer({ database: a.database, env: { ISSUER: a.url } });
    const after = (await b.container.clients.find(CONSOLE_CLIENT_ID))?.metadata.client_secret;
    expect(after).to.equal(before);
    await signIn(a);
    await signIn(b);
  });
});
