// With the counters in Redis and Redis unreachable (a TCP proxy cut in front of it): password sign-in answers 503
// "please try again" and /readyz 503; once Redis is back both work again.
import { expect } from 'chai';
import { dropPrefix, freshPrefix, requireRedis, TEST_REDIS_URL } from '../helpers/redis.ts';
import { authorizationRequest, createUser, REDIRECT_URI, registerClient } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';

const PASSWORD = 'a long enough password here';

describe('counters in Redis fail closed', () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let rp: Awaited<ReturnType<typeof registerClient>>;
  const prefix = freshPrefix();

  before(async function () {
    await requireRedis(this);
    const url = new URL(TEST_REDIS_URL);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 6379) });
    server = await startServer({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_KEY_PREFIX: prefix } });
    rp = await registerClient(server);
    await createUser(server, 'rita', PASSWORD);
  });
  after(async () => {
    await server?.close();
    await proxy?.close();
    await dropPrefix(prefix);
  });

  const readyz = async () => (await fetch(`${server.url}/readyz`)).status;
  async function until(f: () => Promise<boolean>) {
    for (let i = 0; i < 100 && !(await f()); i++) await new Promise((r) => setTimeout(r, 50));
  }
  async function signIn() {
    const ua = new UserAgent();
    const page = await ua.follow((await authorizationRequest(rp.config)).url.href);
    return ua.follow(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')!, login: 'rita', password: PASSWORD } }, REDIRECT_URI);
  }

  it('password sign-in answers 503 please-try-again and /readyz 503 while Redis is cut; both work again after', async () => {
    expect(await readyz()).to.equal(200);
    const outage = proxy.outage(2500);
    await until(async () => (await readyz()) === 503);
    expect(await readyz()).to.equal(503);
    const page = await signIn();
    expect(page.status).to.equal(503);
    expect(page.html).to.match(/try again/i);
    await outage;
    await until(async () => (await readyz()) === 200);
    expect(await readyz()).to.equal(200);
    const back = await signIn();
    expect(new URL(back.url).searchParams.has('code'), back.url).to.equal(true);
  });
});
