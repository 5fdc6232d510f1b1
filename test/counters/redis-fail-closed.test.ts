// With the counters in Redis and Redis unreachable (a TCP proxy cut in front of it): password sign-in answers 503
// "please try again" and /readyz 503; once Redis is back both work again.
import { expect } from 'chai';
import { cuttableRedis, requireRedis, until } from '../helpers/redis.ts';
import { authorizationRequest, createUser, REDIRECT_URI, registerClient } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';

const PASSWORD = 'a long enough password here';

describe('counters in Redis fail closed', () => {
  let redis: Awaited<ReturnType<typeof cuttableRedis>>;
  let server: TestServer;
  let rp: Awaited<ReturnType<typeof registerClient>>;

  before(async function () {
    await requireRedis(this);
    redis = await cuttableRedis();
    server = await startServer({ env: redis.env });
    rp = await registerClient(server);
    await createUser(server, 'rita', PASSWORD);
  });
  after(async () => {
    await server?.close();
    await redis?.close();
  });

  const readyz = async () => (await fetch(`${server.url}/readyz`)).status;
  async function signIn() {
    const ua = new UserAgent();
    const page = await ua.follow((await authorizationRequest(rp.config)).url.href);
    return ua.follow(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')!, login: 'rita', password: PASSWORD } }, REDIRECT_URI);
  }

  it('password sign-in answers 503 please-try-again and /readyz 503 while Redis is cut; both work again after', async () => {
    expect(await readyz()).to.equal(200);
    const outage = redis.proxy.outage(2500);
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
