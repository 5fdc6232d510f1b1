// Failed sign-ins are throttled per account and per IP with growing, bounded delays, identically for unknown users.
import { expect } from 'chai';
import { createSqlCounters } from '../../src/counters/index.ts';
import { createLoginThrottle, delayAfter } from '../../src/security/login-throttle.ts';
import { codesFixture, createClock } from '../codes/fixture.ts';
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

  it('answers a 256-character login (and a 320-character non-ASCII one) like any wrong login, not with a server error', async () => {
    for (const login of ['l'.repeat(256), `${'é'.repeat(308)}@example.com`]) expect((await attempt(login, 'wrong password')).status).to.equal(401);
  });
});

describe('sign-in throttling: counting', () => {
  const settings = { freeAccountFailures: 3, freeIpFailures: 4, firstDelaySeconds: 60, maxDelaySeconds: 900, windowSeconds: 3600 };

  it('counts every address of one IPv6 /64 as one client', async () => {
    const fx = await codesFixture();
    try {
      const clock = createClock();
      const throttle = createLoginThrottle(createSqlCounters(fx.db, clock.now), settings);
      const waits: number[] = [];
      for (let i = 1; i <= 6; i++) waits.push(await throttle.attempt(`user${i}`, `2001:db8:7:1::${i.toString(16)}`));
      // Four free, the fifth sets a 60 s delay for the whole /64; the next address inside it waits.
      expect(waits).to.deep.equal([0, 0, 0, 0, 0, 60]);
      expect(await throttle.attempt('user7', '2001:db8:7:1:ffff:ffff:ffff:ffff')).to.equal(60);
      expect(await throttle.attempt('user8', '2001:db8:7:2::1')).to.equal(0);
      clock.advance(60_000);
      expect(await throttle.attempt('user9', '2001:db8:7:1::9')).to.equal(0);
    } finally {
      await fx.close();
    }
  });

  it('counts an attempt before it is read: parallel guesses cannot all slip under the delay', async () => {
    const fx = await codesFixture();
    try {
      const clock = createClock();
      const a = createLoginThrottle(createSqlCounters(fx.db, clock.now), { ...settings, freeIpFailures: 1000 });
      const b = createLoginThrottle(createSqlCounters(fx.second(), clock.now), { ...settings, freeIpFailures: 1000 });
      const waits = await Promise.all([...Array(12)].map((_, i) => (i % 2 ? a : b).attempt('erin', `192.0.2.${i}`)));
      // Three free attempts and the fourth (which starts the delay) reach the password check; the others wait.
      expect(waits.filter((w) => w === 0)).to.have.length(4);
      expect(waits.filter((w) => w === 60)).to.have.length(8);
    } finally {
      await fx.close();
    }
  });

  it('a right password clears the account and does not count against the client', async () => {
    const fx = await codesFixture();
    try {
      const clock = createClock();
      const throttle = createLoginThrottle(createSqlCounters(fx.db, clock.now), settings);
      for (let i = 0; i < 20; i++) {
        expect(await throttle.attempt(`user${i}`, '192.0.2.50')).to.equal(0);
        await throttle.succeeded(`user${i}`, '192.0.2.50');
      }
      for (let i = 0; i < 3; i++) await throttle.attempt('frank', '192.0.2.51');
      await throttle.succeeded('frank', '192.0.2.51');
      expect(await throttle.attempt('frank', '192.0.2.51')).to.equal(0);
    } finally {
      await fx.close();
    }
  });
});
