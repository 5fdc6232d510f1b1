// Support follow-up: a delivered sign-in code still unused after the configured time gets one message with the support
// contact, in the first message's language; never for a used code, an undelivered one, a decoy, or when it is off.
import { expect } from 'chai';
import { KNOWN, type NativeEnv, startNativeEnv, UNKNOWN } from '../native/harness.ts';
import { createUser } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const SUPPORT = 'help@codeword.example';

describe('SMS support follow-up of unused codes', () => {
  let env: NativeEnv;
  let other: TestServer;

  before(async () => {
    env = await startNativeEnv({ env: { SUPPORT_CONTACT: SUPPORT } });
    await env.addClient('ios-app', { client_name: 'Shop' });
    await createUser(env.server, 'kai', 'kai has a long password', { phoneNumber: KNOWN });
    other = await startServer({ database: env.server.database, env: { ISSUER: env.server.url, SUPPORT_CONTACT: SUPPORT }, now: env.clock.now, smsWorker: false });
  });
  after(async () => {
    await other?.close();
    await env?.close();
  });
  beforeEach(() => env.clock.advance(120_000));
  afterEach(() => env.server.container.spend.settings.update({ followup: { afterMinutes: null } }));

  const on = () => env.server.container.spend.settings.update({ followup: { afterMinutes: 15, purposes: ['login', 'reset_password'] } });
  const followups = () => env.fake.messages.filter((m) => m.body.includes(SUPPORT));
  /** Starts a sign-in, delivers the code and reports it delivered. */
  async function codeDelivered(phone: string, headers: Record<string, string> = {}) {
    const res = await env.post('/passwordless/start', { client_id: 'ios-app', connection: 'sms', phone_number: phone, send: 'code' }, { headers });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    await env.deliver();
    const m = env.fake.messagesTo(phone).at(-1)!;
    expect(await env.fake.postStatus(m.sid, 'delivered')).to.equal(204);
    return m;
  }
  /** Moves past the follow-up time and lets both instances' outbox loops run. */
  async function later(minutes: number) {
    env.clock.advance(minutes * 60_000);
    await Promise.all([env.deliver(), other.container.sms.worker.runOnce()]);
    await env.deliver();
  }

  it('texts one follow-up in the first message’s language with the support contact, once, even with two instances', async () => {
    await on();
    const before = followups().length;
    const first = await codeDelivered(KNOWN, { 'x-request-language': 'es' });
    await later(10);
    expect(followups().length, 'not before the configured time').to.equal(before);
    await later(6);
    const got = followups().slice(before);
    expect(got, 'one follow-up').to.have.length(1);
    expect(got[0]!.to).to.equal(KNOWN);
    expect(got[0]!.body).to.match(/^¿Sigues sin poder entrar en Shop\?/).and.to.contain(SUPPORT);
    expect(got[0]!.body, 'never a code').to.not.match(/\b\d{6}\b/);
    await later(30);
    expect(followups().length - before, 'never a second one').to.equal(1);
    const log = await env.server.container.sms.sender.log({ limit: 5 });
    const f = log.find((m) => m.purpose === 'support_followup')!;
    expect(f.clientId).to.equal('ios-app');
    expect(f.language).to.equal('es');
    expect(first.sid).to.be.a('string');
  });

  it('sends none when the code was used', async () => {
    await on();
    const before = followups().length;
    await codeDelivered(KNOWN);
    const tokens = await env.token({ client_id: 'ios-app', username: KNOWN, otp: env.fake.lastCode(KNOWN)!, realm: 'sms', scope: 'openid' });
    expect(tokens.status, JSON.stringify(tokens.body)).to.equal(200);
    await later(16);
    expect(followups().length).to.equal(before);
  });

  it('sends none for a code that was not reported delivered, for a decoy, or when follow-ups are off', async () => {
    await on();
    const before = followups().length;
    const posts = env.fake.messagePosts;
    // Not delivered: no report.
    await env.post('/passwordless/start', { client_id: 'ios-app', connection: 'sms', phone_number: KNOWN, send: 'code' });
    await env.deliver();
    // A decoy: an unknown number with sign-ups off is sent nothing, and so followed up never.
    await env.post('/passwordless/start', { client_id: 'ios-app', connection: 'sms', phone_number: UNKNOWN, send: 'code' });
    await later(16);
    expect(env.fake.messagesTo(UNKNOWN)).to.have.length(0);
    expect(followups().length).to.equal(before);
    // Off (the default): a delivered unused code gets nothing.
    await env.server.container.spend.settings.update({ followup: { afterMinutes: null } });
    env.clock.advance(120_000);
    await codeDelivered(KNOWN);
    await later(61);
    expect(followups().length).to.equal(before);
    expect(env.fake.messagePosts - posts).to.equal(2);
  });

  it('refuses follow-up settings out of range with a clear error', async () => {
    const err = await env.server.container.spend.settings.update({ followup: { afterMinutes: 2 } }).catch((e: unknown) => e);
    expect(String((err as Error).message)).to.match(/followup\.afterMinutes: must be at least 5 minutes/);
  });
});
