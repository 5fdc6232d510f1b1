// The console lets only admins in: they sign in through Codeword itself and land on the dashboard.
import { expect } from 'chai';
import { createUser, submitLogin } from '../../helpers/rp.ts';
import { startServer, type TestServer } from '../../helpers/server.ts';
import { formAction, inputValue, UserAgent } from '../../helpers/user-agent.ts';

describe('admin console sign-in', () => {
  let server: TestServer;

  before(async () => {
    server = await startServer({ env: { ADMIN_USERNAME: 'root-admin', ADMIN_PASSWORD: 'a very long admin password' } });
    await createUser(server, 'pat', 'pat has a long password');
  });
  after(() => server.close());

  async function signIn(login: string, password: string) {
    const ua = new UserAgent();
    const start = await ua.follow(`${server.url}/admin`);
    expect(start.html).to.contain('Username or email');
    const back = await submitLogin(ua, start, login, password);
    return { ua, page: back };
  }

  it('sends visitors without a console session to sign in', async () => {
    const res = await new UserAgent().request(`${server.url}/admin`);
    expect(res.status).to.equal(302);
    expect(res.headers.get('location')).to.equal('/admin/login');
  });

  it('signs the first admin in and shows the dashboard with counts and the 14-day chart', async () => {
    const { page } = await signIn('root-admin', 'a very long admin password');
    expect(page.status).to.equal(200);
    expect(page.url).to.equal(`${server.url}/admin`);
    expect(page.html).to.contain('Dashboard').and.contain('SMS sent, delivered and verified per day');
    expect(page.html.match(/id="count-users">(\d+)</)?.[1]).to.equal('2');
    expect(page.html.match(/<g data-day=/g)).to.have.length(14);
  });

  it('refuses a user without the admin role', async () => {
    const { page } = await signIn('pat', 'pat has a long password');
    expect(page.status).to.equal(403);
    expect(page.html).to.contain('This account is not an administrator.');
    const again = await new UserAgent().request(`${server.url}/admin`);
    expect(again.status).to.equal(302);
  });

  it('signs out only with the CSRF token of the session', async () => {
    const { ua, page } = await signIn('root-admin', 'a very long admin password');
    const forged = await ua.request(`${server.url}/admin/logout`, { form: { csrf: 'forged' } });
    expect(forged.status).to.equal(403);
    expect((await ua.request(`${server.url}/admin`)).status).to.equal(200);
    const out = await ua.request(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')! } });
    expect(out.status).to.equal(302);
    expect((await ua.request(`${server.url}/admin`)).status).to.equal(302);
  });
});
