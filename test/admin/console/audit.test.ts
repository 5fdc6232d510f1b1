// The audit log as people read it: names beside ids, a field-by-field diff, times with their zone, prefix filters and sign-in events.
import { expect } from 'chai';
import { submitLogin } from '../../helpers/rp.ts';
import type { TestServer } from '../../helpers/server.ts';
import { UserAgent } from '../../helpers/user-agent.ts';
import { ADMIN, type ConsoleSession, signIn, startConsoleServer } from './harness.ts';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#34;/g, '"').replace(/\s+/g, ' ');
const rowsOf = (html: string) => [...html.matchAll(/<tr>\s*<td><time[\s\S]*?<\/td>\s*<\/tr>/g)].map((m) => text(m[0]));

describe('admin console: a readable audit log', () => {
  let server: TestServer;
  let admin: ConsoleSession;
  let t = Date.parse('2026-05-04T10:00:00Z');
  let kimId: string;

  before(async () => {
    server = await startConsoleServer({ smsWorker: false, now: () => t });
    // A wrong password first (a failed sign-in), then the admin signs in.
    const ua = new UserAgent();
    await submitLogin(ua, await ua.follow(`${server.url}/admin`), ADMIN.username, 'not the password');
    t += 1000;
    admin = await signIn(server);
    kimId = (await server.container.users.create({ username: 'kim', name: 'Kim' })).id;
  });
  after(() => server.close());

  it('shows a change as a field-by-field diff, with the actor and target by name beside their ids', async () => {
    t += 1000;
    const res = await admin.post(`/admin/users/${kimId}`, { username: 'kim', name: 'Kim Lee', roles: 'support' });
    expect(res.status).to.equal(303);
    const page = await admin.get('/admin/audit?action=user.');
    const [row] = rowsOf(page.html);
    const adminUser = await server.container.users.findByLogin(ADMIN.username);
    expect(row).to.contain('2026-05-04 10:00:02 UTC');
    expect(row).to.contain(`${ADMIN.username} user:${adminUser!.id}`);
    expect(row).to.contain('user.update');
    expect(row).to.contain(`kim ${kimId}`);
    expect(page.html).to.match(/<th scope="row"><code>name<\/code><\/th><td><del>&#34;Kim&#34;<\/del><\/td><td><ins>&#34;Kim Lee&#34;<\/ins><\/td>/);
    expect(page.html).to.match(/<code>roles<\/code><\/th><td><del>\[\]<\/del><\/td><td><ins>\[&#34;support&#34;\]<\/ins>/);
    // Unchanged fields are not listed.
    expect(page.html).not.to.match(/<code>username<\/code><\/th>/);
  });

  it('filters by action prefix, by actor name and by target name', async () => {
    expect(rowsOf((await admin.get('/admin/audit?action=user')).html)).to.have.length(1);
    expect(rowsOf((await admin.get('/admin/audit?action=user.create')).html)).to.have.length(0);
    expect(rowsOf((await admin.get(`/admin/audit?actor=${ADMIN.username}&action=user.`)).html)).to.have.length(1);
    expect(rowsOf((await admin.get('/admin/audit?target=kim')).html)).to.have.length(1);
    expect(rowsOf((await admin.get('/admin/audit?actor=nobody')).html)).to.have.length(0);
  });

  it('lists the failed and the successful sign-in with method, app, IP and reason', async () => {
    const rows = rowsOf((await admin.get('/admin/audit?action=signin.')).html);
    expect(rows).to.have.length(2);
    expect(rows[1]).to.contain('signin.failure').and.contain('Failed').and.contain('password').and.contain('Wrong username, email or password').and.contain('127.0.0.1');
    expect(rows[0]).to.contain('signin.success').and.contain('Signed in').and.contain('codeword-admin-console');
    const page = await admin.get(`/admin/users/${(await server.container.users.findByLogin(ADMIN.username))!.id}`);
    expect(text(page.html)).to.match(/Recent sign-ins.*Signed in password codeword-admin-console 127\.0\.0\.1.*Failed password 127\.0\.0\.1 Wrong username, email or password/);
  });

  it('drops sign-in events older than the retention period, and nothing else', async () => {
    const before = (await server.container.db('audit_events').count({ n: '*' }))[0]!.n;
    t += 91 * 86_400_000;
    await server.container.db('audit_events').insert({ id: 'recent-signin', at: t, actor: null, action: 'signin.failure', target: null, details: '{}' });
    const { createSignInEvents } = await import('../../../src/db/sign-in-events.ts');
    const purge = createSignInEvents({ audit: { record: async () => undefined } as never, db: server.container.db, now: () => t, retentionDays: 90, phoneOf: async () => null }).purgeExpired;
    expect(await purge()).to.equal(2);
    const left = await server.container.db('audit_events').select('id', 'action');
    expect(left.map((e) => e.action)).to.include('user.update').and.include('signin.failure');
    expect(left).to.have.length(Number(before) - 2 + 1);
  });
});
