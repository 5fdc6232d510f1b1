// Failed sign-ins are throttled per account and per IP with growing, bounded delays, identically for unknown users.
import { expect } from 'chai';
import { delayAfter } from '../../src/security/login-throttle.ts';
import { authorizationRequest, createUser, registerClient, REDIRECT_URI } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';

describe('sign-in throttling', () => {
  let server: TestServer;
  let rp: Awaited<ReturnType<typeof registerClient>>;

  before(async () => {
    server = await startServer({ throttle: { freeAccountFailures: 3, freeIpFailures: 50, firstDelaySeconds: 60, maxDelaySeconds: 900, windowSeconds: 3600 } });
    rp = await registerClient(server);
    await createUser(server, 'erin', 'erin has a long password');
    await createUser(server, 'frank', 'frank has a long password');
  });
  after(() => server.close());

  async function attempt(login: string, password: string) {
    const ua = new UserAgent();
    const page = await ua.follow((await authorizationRequest(rp.config)).url.href);
    return ua.follow(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')!, login, password } }, REDIRECT_URI);
  }

  it('grows delays after the free failures: 1 s, 2 s, 4 s … capped, never permanent', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => delayAfter(n, 3, 900))).to.deep.equal([0, 0, 0, 1, 2, 4]);
    expect(delayAfter(100, 3, 900)).to.equal(900);
    expect([4, 5, 6].map((n) => delayAfter(n, 3, 900, 60))).to.deep.equal([60, 120, 240]);
  });

  it('refuses even the right password while an account is delayed, and tells how long to wait', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt('erin', `wrong ${i}`)).status);
    // 3 free failures, then the 4th sets a 60 s delay; attempts 5 and 6 arrive inside it.
    expect(statuses).to.deep.equal([401, 401, 401, 401, 429, 429]);
    const blocked = await attempt('erin', 'erin has a long password');
    expect(blocked.status).to.equal(429);
    expect(blocked.html).to.match(/Try again in (\d+ seconds|1 minute)\./);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).to.be.greaterThan(50).and.at.most(60);
    expect(blocked.url.startsWith(REDIRECT_URI)).to.equal(false);
  });

  it('does not delay other accounts', async () => {
    const ok = await attempt('frank', 'frank has a long password');
    expect(ok.url.startsWith(REDIRECT_URI)).to.equal(true);
  });

  it('treats an unknown login exactly like a known one', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      known.push((await attempt('frank', `bad ${i}`)).status);
      unknown.push((await attempt('ghost-user', `bad ${i}`)).status);
    }
    expect(unknown).to.deep.equal(known);
    expect((await attempt('ghost-user', 'anything')).status).to.equal(429);
  });
});
