// While the database restarts (every connection dropped for 3 s), in-flight sign-ins never answer 500: reads are
// retried briefly, otherwise 503 with Retry-After and a "please try again" screen; /token answers JSON temporarily_unavailable.
import { expect } from 'chai';
import { createTestDatabase, type TestDatabase, usingMysql } from '../helpers/db.ts';
import { authorizationRequest, createUser, exchange, REDIRECT_URI, registerClient } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';

const PASSWORD = 'a long enough password here';

/** A browser stand-in that keeps every answer it got. */
class RecordingAgent extends UserAgent {
  readonly seen: Page[] = [];
  override async request(url: string, init: Parameters<UserAgent['request']>[1] = {}): Promise<Page> {
    const page = await super.request(url, init);
    this.seen.push(page);
    return page;
  }
}

// SQLite is a file opened in-process: there is no connection to drop, so a database restart does not exist there.
(usingMysql ? describe : describe.skip)('database restart (MariaDB/MySQL behind a TCP proxy; not applicable to embedded SQLite)', () => {
  let real: TestDatabase;
  let proxy: TcpProxy;
  let server: TestServer;
  let rp: Awaited<ReturnType<typeof registerClient>>;

  before(async () => {
    real = await createTestDatabase();
    const url = new URL(String((real.database as { url: string }).url));
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 3306) });
    url.host = `127.0.0.1:${proxy.port}`;
    server = await startServer({ database: { database: { client: 'mysql2', url: url.href }, drop: () => Promise.resolve() } });
    rp = await registerClient(server);
    await createUser(server, 'rita', PASSWORD);
  });
  after(async () => {
    await server?.close();
    await proxy?.close();
    await real?.drop();
  });

  /** An error sent back to the app is the OAuth `temporarily_unavailable`, never `server_error`. */
  function errorAtApp(url: string): 'try_again' {
    expect(new URL(url).searchParams.get('error'), url).to.equal('temporarily_unavailable');
    return 'try_again';
  }

  async function signIn(ua: RecordingAgent): Promise<'signed_in' | 'try_again'> {
    const auth = await authorizationRequest(rp.config);
    let page = await ua.follow(auth.url.href, {}, REDIRECT_URI);
    if (page.url.startsWith(REDIRECT_URI)) return errorAtApp(page.url);
    if (page.status === 503) return 'try_again';
    const action = formAction(page.html);
    if (!action) return 'try_again';
    page = await ua.follow(new URL(action, page.url).href, { form: { csrf: inputValue(page.html, 'csrf') ?? '', login: 'rita', password: PASSWORD } }, REDIRECT_URI);
    if (page.url.startsWith(REDIRECT_URI)) return new URL(page.url).searchParams.has('code') ? 'signed_in' : errorAtApp(page.url);
    return 'try_again';
  }

  it('20 in-flight sign-ins during a 3 s outage: none answers 500; every 503 says when to try again, on a localized screen', async () => {
    const agents = Array.from({ length: 20 }, () => new RecordingAgent({ acceptLanguage: 'de' }));
    const outage = new Promise((r) => setTimeout(r, 30)).then(() => proxy.outage(3000));
    const outcomes = await Promise.all(agents.map((ua, i) => new Promise((r) => setTimeout(r, i * 15)).then(() => signIn(ua))));
    await outage;
    const pages = agents.flatMap((a) => a.seen);
    const failures = pages.filter((p) => p.status >= 500 && p.status !== 503).map((p) => `${p.status} ${p.url}`);
    expect(failures, 'no 500s').to.deep.equal([]);
    const unavailable = pages.filter((p) => p.status === 503);
    for (const p of unavailable) {
      expect(p.headers.get('retry-after'), p.url).to.match(/^\d+$/);
      expect(p.html, p.url).to.contain('Der Dienst ist kurz nicht erreichbar');
    }
    expect(outcomes, 'the outage hit sign-ins in flight').to.include('try_again');
    // Once the database is back, signing in works again.
    expect(await signIn(new RecordingAgent())).to.equal('signed_in');
  });

  it('/token during an outage answers 503 JSON temporarily_unavailable with Retry-After, and the code still works after', async () => {
    const ua = new RecordingAgent();
    const auth = await authorizationRequest(rp.config);
    const login = await ua.follow(auth.url.href, {}, REDIRECT_URI);
    expect(login.status, login.url).to.equal(200);
    const cb = await ua.follow(new URL(formAction(login.html)!, login.url).href, { form: { csrf: inputValue(login.html, 'csrf')!, login: 'rita', password: PASSWORD } }, REDIRECT_URI);
    const code = new URL(cb.url).searchParams.get('code')!;
    const outage = proxy.outage(3000);
    await new Promise((r) => setTimeout(r, 50));
    const res = await fetch(`${server.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${rp.meta.client_id}:${rp.meta.client_secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: auth.verifier }).toString(),
    });
    expect(res.status).to.equal(503);
    expect(res.headers.get('retry-after')).to.match(/^\d+$/);
    expect(await res.json()).to.include({ error: 'temporarily_unavailable' });
    await outage;
    const tokens = await exchange(rp.config, auth, cb.url);
    expect(tokens.id_token).to.be.a('string');
  });
});
