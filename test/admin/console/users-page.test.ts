// The users page as support reads it: policy in effect, MFA, phone verified, last sign-in; search by phone; sign out everywhere; lift sign-in delays.
import { expect } from 'chai';
import { submitLogin } from '../../helpers/rp.ts';
import type { TestServer } from '../../helpers/server.ts';
import { UserAgent } from '../../helpers/user-agent.ts';
import { ADMIN, type ConsoleSession, signIn, startConsoleServer } from './harness.ts';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const KIM_PASSWORD = 'kim has a long password';

describe('admin console: the users page', () => {
  let server: TestServer;
  let admin: ConsoleSession;
  let kimId: string;

  before(async () => {
    server = await startConsoleServer({ smsWorker: false, throttle: { freeAccountFailures: 1, freeIpFailures: 100, firstDelaySeconds: 600, maxDelaySeconds: 600, windowSeconds: 3600 } });
    admin = await signIn(server);
    const res = await admin.post('/admin/users', { username: 'kim', phoneNumber: '+61491570156', phoneNumberVerified: 'on', password: KIM_PASSWORD });
    kimId = res.headers.get('location')!.match(/\/admin\/users\/([^?]+)/)![1]!;
    await admin.post('/admin/users', { username: 'pat', phoneNumber: '+61491570157' });
  });
  after(() => server.close());

  const tryKim = async (password: string) => {
    const ua = new UserAgent();
    return submitLogin(ua, await ua.follow(`${server.url}/admin`), 'kim', password);
  };
  const rowOf = (html: string, name: string) => text(html.match(new RegExp(`<tr>\\s*<td><a href="/admin/users/[^"]+">${name}</a>[\\s\\S]*?</tr>`))?.[0] ?? '');

  it('lists the policy in effect, MFA, whether the phone is verified, and the last sign-in', async () => {
    const list = await admin.get('/admin/users');
    const adminRow = rowOf(list.html, ADMIN.username);
    expect(adminRow).to.match(/Default \(default\)/).and.to.match(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC password/);
    const kim = rowOf(list.html, 'kim');
    expect(kim).to.contain('+61491570156 Verified').and.contain('Never').and.contain('Default (default)');
    expect(rowOf(list.html, 'pat')).to.contain('+61491570157 Not verified');
  });

  it('counts every user following the default policy on the policies page', async () => {
    const page = await admin.get('/admin/policies');
    expect(text(page.html)).to.match(/Default default \S+ \S+ 3 /);
  });

  it('offers the default policy once in the user form', async () => {
    const page = await admin.get(`/admin/users/${kimId}`);
    const options = [...page.html.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => m[2]!.trim());
    expect(options.filter((o) => /default/i.test(o))).to.deep.equal(['Default (default)']);
  });

  it('finds a user by a phone number written with spaces', async () => {
    const list = await admin.get(`/admin/users?q=${encodeURIComponent('+61 491 570 157')}`);
    expect(rowOf(list.html, 'pat')).to.not.equal('');
    expect(rowOf(list.html, 'kim')).to.equal('');
  });

  it('lifts the wrong-password delay so the user can sign in at once', async () => {
    await tryKim('wrong one');
    await tryKim('wrong two');
    const refused = await tryKim(KIM_PASSWORD);
    expect(text(refused.html)).to.match(/wait|try again/i);
    const done = await admin.post(`/admin/users/${kimId}/unblock`);
    expect(done.status).to.equal(303);
    expect(text((await admin.get(done.headers.get('location')!)).html)).to.contain('The user can try to sign in again at once.');
    const page = await tryKim(KIM_PASSWORD);
    expect(page.status).to.equal(403);
    expect(page.html).to.contain('This account is not an administrator.');
    const events = await server.container.db('audit_events').where({ target: kimId }).orderBy('at').select('action');
    expect(events.map((e) => e.action)).to.include('user.unblock').and.include('signin.success');
  });

  it('signs the user out everywhere', async () => {
    const other = await signIn(server);
    const adminId = (await server.container.users.findByLogin(ADMIN.username))!.id;
    const res = await admin.post(`/admin/users/${adminId}/revoke-sessions`);
    expect(res.status).to.equal(303);
    expect((await other.get('/admin')).status).to.equal(302);
  });
});
