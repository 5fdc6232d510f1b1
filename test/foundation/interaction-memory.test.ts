// The screens of one sign-in find their interaction in the instance's memory, and never one that storage no longer holds.
import { expect } from 'chai';
import { INTERACTION_COOKIE } from '../../src/oidc/interaction-memory.ts';
import { authorizationRequest, createUser, registerClient } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { UserAgent } from '../helpers/user-agent.ts';

describe('interactions kept in memory', () => {
  let server: TestServer;
  let rp: Awaited<ReturnType<typeof registerClient>>;
  let t = Date.now();

  before(async () => {
    server = await startServer({ now: () => t });
    rp = await registerClient(server);
    await createUser(server);
  });
  after(() => server.close());

  /** Interaction reads from storage while `fn` runs. */
  async function reads(fn: () => Promise<unknown>): Promise<number> {
    let n = 0;
    const onQuery = (q: { sql: string; bindings?: unknown[] }) => {
      if (/^select .* from `?oidc_payloads`? /i.test(q.sql) && q.bindings?.includes('Interaction')) n++;
    };
    server.container.db.on('query', onQuery);
    try {
      await fn();
    } finally {
      server.container.db.off('query', onQuery);
    }
    return n;
  }

  it('shows a screen again without reading storage while the browser holds what this instance stored', async () => {
    const ua = new UserAgent();
    const login = await ua.follow((await authorizationRequest(rp.config)).url.href);
    expect(ua.cookieNames()).to.include(INTERACTION_COOKIE);
    expect(await reads(() => ua.follow(login.url))).to.equal(0);
    // Without it (lost, or the browser never got it): read from storage, and the browser is told again.
    ua.dropCookie(INTERACTION_COOKIE);
    expect(await reads(() => ua.follow(login.url))).to.equal(1);
    expect(await reads(() => ua.follow(login.url))).to.equal(0);
  });

  it('does not show an expired interaction it still holds', async () => {
    const ua = new UserAgent();
    const login = await ua.follow((await authorizationRequest(rp.config)).url.href);
    expect(login.status).to.equal(200);
    t += 3601_000; // past the interaction's hour
    const expired = await ua.follow(login.url);
    expect(expired.status).to.equal(400);
    expect(expired.html).to.contain('Start again from the application');
  });
});
