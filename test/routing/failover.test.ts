// Failover end to end: a route's primary fake Twilio fails (5xx beyond retries; an undelivered report), the fallback fake
// gets the same code once, and the user signs in with it through openid-client and the hosted screens; two instances
// on one database still send one fallback.
import { expect } from 'chai';
import { startFakeTwilio, type FakeTwilio } from '../fakes/fake-twilio.ts';
import { authorizationRequest, createUser, exchange, REDIRECT_URI } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { formAction, inputValue, type Page, UserAgent } from '../helpers/user-agent.ts';

const KNOWN = '+61491570156';

describe('SMS failover to a routing rule’s fallback account', () => {
  let env: SmsTestEnv;
  let backup: FakeTwilio;
  let backupId: string;
  let other: TestServer;

  before(async () => {
    // Sign-ups on: the code screen shows delivery status (with them off, no status is shown to anyone).
    env = await startSmsEnv({ connection: { signups: true }, sms: { worker: { maxAttempts: 3, backoffBaseMs: 1000, backoffMaxMs: 4000 } } });
    backup = await startFakeTwilio({ now: env.clock.now });
    const sms = env.server.container.sms;
    const b = await sms.accounts.create({
      name: 'Backup Twilio',
      provider: 'twilio',
      settings: { accountSid: backup.accountSid, authToken: backup.authToken, from: backup.fromNumber, apiBaseUrl: backup.url, statusCallbacks: true },
    });
    expect((await sms.accounts.verify(b.id)).verification.status).to.equal('valid');
    backupId = b.id;
    await createUser(env.server, 'fern', 'fern has a long password', { phoneNumber: KNOWN });
    // Australian numbers go out through the primary; when that fails, once through the backup.
    const rule = await sms.routing.create({ country: 'AU', accountId: env.accountId, fallbackAccountId: backupId, note: 'AU with a backup' });
    expect(rule.position).to.equal(1);
    // A second instance on the same database and clock, behind the same issuer.
    other = await startServer({ database: env.server.database, env: { ISSUER: env.server.url }, now: env.clock.now, smsWorker: false, sms: { worker: { maxAttempts: 3, backoffBaseMs: 1000, backoffMaxMs: 4000 } } });
  });
  after(async () => {
    await other?.close();
    await backup?.close();
    await env?.close();
  });
  beforeEach(() => env.clock.advance(61_000));

  async function codeScreen(ua: UserAgent) {
    const req = await authorizationRequest(env.rp.config);
    const login = await ua.follow(req.url.href);
    const page = await ua.follow(new URL(login.html.match(/action="([^"]*\/sms)"/)![1]!, login.url).href);
    const sent = await ua.request(new URL(formAction(page.html)!, page.url).href, { form: { csrf: inputValue(page.html, 'csrf')!, phone: KNOWN } });
    expect(sent.status).to.equal(303);
    return { req, codePage: await ua.follow(new URL(sent.headers.get('location')!, sent.url).href) };
  }
  const status = async (ua: UserAgent, codePage: Page) =>
    JSON.parse((await ua.request(new URL('status', `${codePage.url.replace(/\/code(\?.*)?$/, '/')}`).href, { headers: { accept: 'application/json' } })).html) as { undelivered: boolean; rerouted?: boolean; notice?: string };
  async function signIn(ua: UserAgent, req: Awaited<ReturnType<typeof authorizationRequest>>, codePage: Page, code: string) {
    const callback = await ua.follow(new URL(formAction(codePage.html)!, codePage.url).href, { form: { csrf: inputValue(codePage.html, 'csrf')!, code } }, REDIRECT_URI);
    expect(callback.url.startsWith(REDIRECT_URI), callback.html.slice(0, 300)).to.equal(true);
    return (await exchange(env.rp.config, req, callback.url)).claims()!;
  }
  const messages = async () => env.server.container.sms.sender.log({ limit: 20 });

  it('5xx beyond the retries: the same code goes out once through the fallback, the screen says so, and it signs in', async () => {
    const primaryPosts = env.fake.messagePosts;
    env.fake.script({ status: 503 }, { status: 503 }, { status: 503 });
    const ua = new UserAgent();
    const { req, codePage } = await codeScreen(ua);
    // Three attempts, moving the clock past each backoff.
    for (let i = 0; i < 3; i++) {
      await env.deliver();
      env.clock.advance(5_000);
    }
    expect(env.fake.messagePosts - primaryPosts, 'every attempt reached the primary').to.be.at.least(3);
    expect(env.fake.messagesTo(KNOWN)).to.have.length(0);
    await env.deliver();
    await env.deliver();
    const got = backup.messagesTo(KNOWN);
    expect(got, 'exactly one fallback message').to.have.length(1);
    expect(got[0]!.body).to.match(/\b\d{6}\b/);
    const log = await messages();
    const fallback = log.find((m) => m.accountId === backupId)!;
    const primary = log.find((m) => m.id === fallback.failoverOf)!;
    expect(primary.accountId).to.equal(env.accountId);
    expect(primary.status).to.equal('failed');
    expect(primary.reason).to.equal('provider_unavailable');
    expect(fallback.purpose).to.equal('login');
    const s = await status(ua, codePage);
    expect(s.undelivered).to.equal(false);
    expect(s.rerouted).to.equal(true);
    expect(s.notice).to.match(/another route/);
    const claims = await signIn(ua, req, codePage, backup.lastCode(KNOWN)!);
    expect(claims.amr).to.deep.equal(['sms', 'otp']);
  });

  it('an undelivered report (30003 unreachable) fails over with the same text; a second report changes nothing', async () => {
    const ua = new UserAgent();
    const { req, codePage } = await codeScreen(ua);
    await env.deliver();
    const first = env.fake.messagesTo(KNOWN).at(-1)!;
    const before = backup.messagesTo(KNOWN).length;
    // The report reaches instance A, and Twilio's retry of it instance B: still one fallback.
    expect(await env.fake.postStatus(first.sid, 'undelivered', { errorCode: 30003 })).to.equal(204);
    expect(await env.fake.postStatus(first.sid, 'undelivered', { errorCode: 30003 })).to.equal(204);
    await Promise.all([env.deliver(), other.container.sms.worker.runOnce()]);
    const got = backup.messagesTo(KNOWN).slice(before);
    expect(got, 'one fallback').to.have.length(1);
    expect(got[0]!.body, 'the same text (same code, language and template)').to.equal(first.body);
    const page = await ua.follow(codePage.url);
    expect(page.html).to.contain('another route');
    const claims = await signIn(ua, req, codePage, env.fake.lastCode(KNOWN)!);
    expect(claims.sub).to.be.a('string');
  });

  it('a reason that is the number’s (30005 unknown destination) does not fail over; the screen says not delivered', async () => {
    const ua = new UserAgent();
    const { codePage } = await codeScreen(ua);
    await env.deliver();
    const first = env.fake.messagesTo(KNOWN).at(-1)!;
    const before = backup.messagePosts;
    expect(await env.fake.postStatus(first.sid, 'undelivered', { errorCode: 30005 })).to.equal(204);
    await env.deliver();
    expect(backup.messagePosts).to.equal(before);
    expect((await status(ua, codePage)).undelivered).to.equal(true);
  });

  it('two instances whose workers race on the last failing attempt send one fallback', async () => {
    // Both workers see the message due at once; claims are exclusive, and the unique failover link admits one fallback.
    env.fake.script({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const ua = new UserAgent();
    await codeScreen(ua);
    const before = backup.messagesTo(KNOWN).length;
    for (let i = 0; i < 4; i++) {
      await Promise.all([env.deliver(), other.container.sms.worker.runOnce()]);
      env.clock.advance(5_000);
    }
    await Promise.all([env.deliver(), other.container.sms.worker.runOnce()]);
    expect(backup.messagesTo(KNOWN).length - before).to.equal(1);
    const log = await messages();
    const fallbacks = log.filter((m) => m.failoverOf === log.find((x) => x.accountId === env.accountId && x.status === 'failed')?.id);
    expect(fallbacks).to.have.length(1);
  });
});
