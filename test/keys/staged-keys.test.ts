// Staged rotation of signing and cookie keys with an injected clock: a new key is published before it signs, and what
// the old key signed keeps verifying until the old key is removed; instances that have not reloaded yet keep working.
import { expect } from 'chai';
import { createLocalJWKSet, decodeProtectedHeader, type JWK, jwtVerify } from 'jose';
import { runKeyCommand } from '../../src/cli/keys.ts';
import { keyStatus, rotateCookieKeys, rotateSigningKeys } from '../../src/oidc/key-rotation.ts';
import { authorizationRequest, createUser, exchange, REDIRECT_URI, registerClient } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';
import { createClock } from './harness.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const PASSWORD = 'correct horse battery staple';

describe('staged rotation of signing and cookie keys', () => {
  const clock = createClock();
  let a: TestServer;
  let b: TestServer;
  let rp: Awaited<ReturnType<typeof registerClient>>;

  const jwks = async (server = a) => ((await (await fetch(`${server.url}/jwks`)).json()) as { keys: JWK[] }).keys;
  const onB = (u: string) => u.replace(a.url, b.url);

  /** Opens the sign-in page on A (its cookies are signed there). */
  const open = async () => {
    const ua = new UserAgent();
    const req = await authorizationRequest(rp.config);
    return { ua, req, page: await ua.follow(req.url.href) };
  };
  /** Submits on `at` (A or B) the sign-in form opened earlier, and returns the tokens. */
  const finish = async ({ ua, req, page }: { ua: UserAgent; req: Awaited<ReturnType<typeof authorizationRequest>>; page: Page }, at: 'a' | 'b') => {
    const move = at === 'b' ? onB : (u: string) => u;
    const action = new URL(formAction(page.html)!, page.url).href;
    const posted = await ua.request(move(action), { form: { csrf: inputValue(page.html, 'csrf')!, login: 'alice', password: PASSWORD } });
    expect(posted.status, posted.html.slice(0, 300)).to.equal(303);
    const callback = await ua.follow(move(new URL(posted.headers.get('location')!, a.url).href), {}, REDIRECT_URI);
    expect(callback.url.startsWith(REDIRECT_URI), callback.html.slice(0, 300)).to.equal(true);
    return exchange(rp.config, req, callback.url);
  };
  const signIn = async () => (await finish(await open(), 'a')).id_token!;
  const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid;

  before(async () => {
    a = await startServer({ now: clock.now });
    b = await startServer({ now: clock.now, database: a.database, env: { ISSUER: a.url } });
    rp = await registerClient(a);
    await createUser(a);
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  describe('signing keys', () => {
    let oldKids: string[];
    let newKids: string[];
    let signedBefore: string;

    before(async () => {
      oldKids = (await jwks()).map((k) => k.kid!);
      signedBefore = await signIn();
    });

    it('publishes the new keys at once, marked verify-only, and keeps signing with the old ones', async () => {
      const added = await rotateSigningKeys(a.container.db, a.container.box, clock.now(), { delayMs: 30 * MINUTE, retainMs: DAY });
      newKids = added.filter((k) => k.state === 'pending').map((k) => k.id);
      expect(newKids).to.have.length(2);
      expect(await a.container.keys.reload()).to.equal(true);
      const published = await jwks();
      expect(published.map((k) => k.kid).sort()).to.deep.equal([...oldKids, ...newKids].sort());
      for (const k of published.filter((k) => newKids.includes(k.kid!))) expect(k.key_ops).to.deep.equal(['verify']);
      for (const k of published) expect(k).not.to.have.property('d');
      expect(oldKids).to.include(kidOf(await signIn()));
      // An instance that has not reloaded yet still signs with the old key and publishes the old set: nothing breaks.
      expect((await jwks(b)).map((k) => k.kid).sort()).to.deep.equal([...oldKids].sort());
    });

    it('signs with the new key only after the delay, and still verifies what the old key signed', async () => {
      clock.advance(30 * MINUTE + 1);
      await Promise.all([a.container.keys.reload(), b.container.keys.reload()]);
      const signedAfter = await signIn();
      expect(newKids).to.include(kidOf(signedAfter));
      const set = createLocalJWKSet({ keys: await jwks(b) });
      expect((await jwtVerify(signedBefore, set, { issuer: a.url })).protectedHeader.kid).to.be.oneOf(oldKids);
      expect((await jwtVerify(signedAfter, set, { issuer: a.url })).protectedHeader.kid).to.be.oneOf(newKids);
    });

    it('drops the old keys from the JWKS once their tokens have expired', async () => {
      clock.advance(DAY);
      await a.container.keys.reload();
      expect((await jwks()).map((k) => k.kid).sort()).to.deep.equal([...newKids].sort());
      expect((await jwks()).every((k) => !k.key_ops)).to.equal(true);
      const states = await keyStatus(a.container.db, a.container.box, clock.now());
      expect(states.filter((k) => k.kind === 'signing' && oldKids.includes(k.id)).map((k) => k.state)).to.deep.equal(['removed', 'removed']);
    });
  });

  describe('cookie keys', () => {
    it('a new cookie key verifies first and signs after the delay; cookies signed before keep working', async () => {
      const lines: string[] = [];
      const exit = await runKeyCommand('keys:rotate', { cookies: true, delay: '600' }, { db: a.container.db, box: a.container.box, now: clock.now, print: (l) => lines.push(l) });
      expect(exit).to.equal(0);
      expect(lines.join('\n')).to.match(/cookie\t[0-9a-f]{8}\t\tpending/);
      await a.container.keys.reload();
      const [oldKey, newKey] = a.container.app.keys as string[];
      expect(a.container.app.keys).to.have.length(2);

      // A still signs with the old key: B, not reloaded yet, accepts A's cookies.
      await finish(await open(), 'b');
      const openedBefore = await open();

      clock.advance(10 * MINUTE + 1);
      await Promise.all([a.container.keys.reload(), b.container.keys.reload()]);
      expect(a.container.app.keys).to.deep.equal([newKey, oldKey]);
      // Cookies signed with the old key still verify; new ones (signed with the new key) verify on both instances.
      await finish(openedBefore, 'b');
      await finish(await open(), 'b');
    });

    it('after the retention period the old cookie key is gone and cookies signed with it are refused', async () => {
      await rotateCookieKeys(a.container.db, a.container.box, clock.now(), { delayMs: MINUTE, retainMs: MINUTE });
      await a.container.keys.reload();
      const signingThen = (a.container.app.keys as string[])[0];
      const openedBefore = await open();
      clock.advance(2 * MINUTE + 1);
      await a.container.keys.reload();
      expect(a.container.app.keys).not.to.include(signingThen);
      const action = new URL(formAction(openedBefore.page.html)!, openedBefore.page.url).href;
      const posted = await openedBefore.ua.request(action, { form: { csrf: inputValue(openedBefore.page.html, 'csrf')!, login: 'alice', password: PASSWORD } });
      expect(posted.status).to.equal(400);
      await finish(await open(), 'a');
    });
  });
});
