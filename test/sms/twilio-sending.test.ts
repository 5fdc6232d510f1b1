// Sending through Twilio with the real SDK against the fake: senders, API keys, mapped errors, retries, races, the outbox.
import { expect } from 'chai';
import { startFakeTwilio, type FakeTwilio } from '../fakes/fake-twilio.ts';
import { AU_MOBILE, AU_MOBILE_2, createHarness, type Harness, twilioSettings, verifiedTwilioAccount } from './harness.ts';

describe('SMS sending through Twilio', () => {
  let h: Harness;
  let fake: FakeTwilio;
  let accountId: string;
  before(async () => {
    h = await createHarness({ options: { providerTimeoutMs: 500 } });
    fake = await startFakeTwilio({ now: () => h.clock.now() });
    accountId = await verifiedTwilioAccount(h.sms, fake, 'Twilio main');
  });
  after(async () => {
    await fake.close();
    await h.close();
  });

  /** Runs the outbox, moving the clock past any backoff, until nothing is due. */
  async function drain(rounds = 10): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await h.sms.worker.runOnce();
      h.clock.advance(60_000);
    }
  }

  it('queues without calling Twilio, then sends from the From number with the Auth Token', async () => {
    const before = fake.messagePosts;
    const sent = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '204816' });
    // The caller has its id before any request to Twilio: sending is not on the request path.
    expect(fake.messagePosts).to.equal(before);
    expect(await h.sms.sender.status(sent.id)).to.include({ status: 'pending', final: false });

    expect(await h.sms.worker.runOnce()).to.equal(1);
    const [m] = fake.messagesTo(AU_MOBILE).slice(-1);
    expect(m).to.include({ from: fake.fromNumber, messagingServiceSid: null, auth: 'auth_token', statusCallback: null });
    expect(m!.body).to.equal('204816 is your Codeword sign-in code. It expires in 10 minutes. Do not share it.\n@id.example.com #204816');
    expect(fake.lastCode(AU_MOBILE)).to.equal('204816');

    const status = await h.sms.sender.status(sent.id);
    expect(status).to.include({ status: 'queued', providerMessageId: m!.sid, attempts: 1, failed: false, to: '+61•••••••56', segments: 1, encoding: 'GSM-7' });
    // Once Twilio has it, neither the number, nor the text, nor its values (the code among them) stay with us.
    const row = await h.db('sms_messages').where({ id: sent.id }).first();
    expect(row.to_sealed).to.equal(null);
    expect(row.body_sealed).to.equal(null);
    expect(row.vars_sealed).to.equal(null);
  });

  it('sends through a Messaging Service SID', async () => {
    const id = await verifiedTwilioAccount(h.sms, fake, 'Twilio service', { from: undefined, messagingServiceSid: fake.messagingServiceSid }, false);
    const sent = await h.sms.sender.enqueue({ purpose: 'mfa', to: AU_MOBILE_2, code: '918273', accountId: id });
    await h.sms.worker.runOnce();
    const m = fake.messagesTo(AU_MOBILE_2).at(-1)!;
    expect(m).to.include({ from: null, messagingServiceSid: fake.messagingServiceSid });
    expect(m.body).to.match(/^918273 is your Codeword security code/);
    expect(await h.sms.sender.status(sent.id)).to.include({ status: 'accepted', providerMessageId: m.sid });
  });

  it('authenticates with an API key SID and secret', async () => {
    const id = await verifiedTwilioAccount(h.sms, fake, 'Twilio key', { authToken: undefined, apiKeySid: fake.apiKey.sid, apiKeySecret: fake.apiKey.secret }, false);
    await h.sms.sender.testSend({ accountId: id, to: AU_MOBILE_2, language: 'de' });
    await h.sms.worker.runOnce();
    const m = fake.messagesTo(AU_MOBILE_2).at(-1)!;
    expect(m.auth).to.equal('api_key');
    expect(m.body).to.equal('Testnachricht von Codeword: Ihre SMS-Einstellungen funktionieren.');
  });

  describe('Twilio errors map to reasons, without retrying', () => {
    const table: [string, number, string][] = [
      ['+15005550001', 21211, 'invalid_number'],
      ['+15005550002', 21612, 'unreachable'],
      ['+15005550003', 21408, 'region_not_enabled'],
      ['+15005550004', 21610, 'opted_out'],
      ['+15005550009', 21614, 'not_mobile'],
    ];
    for (const [to, code, reason] of table) {
      it(`${to} → ${code} → ${reason}`, async () => {
        const posts = fake.messagePosts;
        const sent = await h.sms.sender.enqueue({ purpose: 'login', to, code: '555123' });
        await drain(3);
        expect(fake.messagePosts - posts).to.equal(1);
        expect(await h.sms.sender.status(sent.id)).to.include({
          status: 'failed',
          failed: true,
          final: true,
          errorCode: String(code),
          reason,
          reasonKey: `sms.reason.${reason}`,
          attempts: 1,
        });
      });
    }

    it('20003 (credentials revoked after verification) fails the message and marks the account invalid', async () => {
      const h2 = await createHarness();
      try {
        const id = await verifiedTwilioAccount(h2.sms, fake, 'Revoked');
        fake.failFor('+61491570158', 20003, 401);
        const sent = await h2.sms.sender.enqueue({ purpose: 'login', to: '+61491570158', code: '555123' });
        await h2.sms.worker.runOnce();
        expect(await h2.sms.sender.status(sent.id)).to.include({ status: 'failed', errorCode: '20003', reason: 'configuration' });
        expect((await h2.sms.accounts.get(id)).verification.status).to.equal('invalid');
        expect(await h2.sms.accounts.isConfigured()).to.equal(false);
      } finally {
        await h2.close();
      }
    });
  });

  describe('transient failures', () => {
    it('retries 500 then 429 with backoff and sends exactly once', async () => {
      const to = '+61491570159';
      fake.script({ status: 500 }, { status: 429, code: 20429 });
      const sent = await h.sms.sender.enqueue({ purpose: 'login', to, code: '660066' });

      await h.sms.worker.runOnce();
      expect(await h.sms.sender.status(sent.id)).to.include({ status: 'pending', attempts: 1, errorCode: '20500', reason: 'provider_unavailable' });
      // Backoff: nothing is due until the first delay (2 s) has passed.
      expect(await h.sms.worker.runOnce()).to.equal(0);
      h.clock.advance(2_000);
      expect(await h.sms.worker.runOnce()).to.equal(1);
      expect(await h.sms.sender.status(sent.id)).to.include({ status: 'pending', attempts: 2, errorCode: '20429', reason: 'rate_limited' });
      h.clock.advance(3_999);
      expect(await h.sms.worker.runOnce()).to.equal(0); // second delay is 4 s
      h.clock.advance(1);
      await h.sms.worker.runOnce();

      expect(fake.messagesTo(to)).to.have.length(1);
      expect(await h.sms.sender.status(sent.id)).to.include({ status: 'queued', attempts: 3, providerMessageId: fake.messagesTo(to)[0]!.sid });
    });

    it('after a 500 whose message Twilio did keep, finds it instead of sending again', async () => {
      const to = '+61491571266';
      fake.script({ status: 500, record: true });
      const posts = fake.messagePosts;
      const sent = await h.sms.sender.enqueue({ purpose: 'login', to, code: '707070' });
      await drain(3);
      expect(fake.messagesTo(to)).to.have.length(1);
      expect(fake.messagePosts - posts).to.equal(1);
      expect(await h.sms.sender.status(sent.id)).to.include({ status: 'queued', attempts: 2, providerMessageId: fake.messagesTo(to)[0]!.sid });
    });

    it('after a timeout, checks Twilio before retrying, so the message is not sent twice', async () => {
      const to = '+61491570006';
      fake.script({ status: 201, delayMs: 1_500 }); // longer than the 500 ms client timeout
      const posts = fake.messagePosts;
      const sent = await h.sms.sender.enqueue({ purpose: 'signup', to, code: '818181' });
      await h.sms.worker.runOnce();
      expect(await h.sms.sender.status(sent.id)).to.include({ status: 'pending', errorCode: 'timeout', reason: 'provider_unavailable' });
      h.clock.advance(2_000);
      await h.sms.worker.runOnce();
      expect(fake.messagePosts - posts).to.equal(1);
      expect(fake.messagesTo(to)).to.have.length(1);
      expect(await h.sms.sender.status(sent.id)).to.include({ status: 'queued', providerMessageId: fake.messagesTo(to)[0]!.sid });
    });

    it('gives up after the bounded number of attempts', async () => {
      const to = '+61491572549';
      fake.script(...Array.from({ length: 5 }, () => ({ status: 503 })));
      const posts = fake.messagePosts;
      const sent = await h.sms.sender.enqueue({ purpose: 'login', to, code: '909090' });
      await drain(8);
      expect(fake.messagePosts - posts).to.equal(5);
      expect(fake.messagesTo(to)).to.have.length(0);
      expect(await h.sms.sender.status(sent.id)).to.include({ status: 'failed', attempts: 5, reason: 'provider_unavailable', reasonKey: 'sms.reason.provider_unavailable' });
    });

    it('does not send a code that could not go out in time', async () => {
      const posts = fake.messagePosts;
      const sent = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '123123' });
      h.clock.advance(11 * 60_000);
      await h.sms.worker.runOnce();
      expect(fake.messagePosts).to.equal(posts);
      expect(await h.sms.sender.status(sent.id)).to.include({ status: 'failed', reason: 'expired' });
    });
  });

  it('two instances draining the same outbox send every message exactly once', async () => {
    const other = h.instance();
    const to = '+61491570156';
    const before = fake.messagesTo(to).length;
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => h.sms.sender.enqueue({ purpose: 'mfa', to, code: String(100000 + i) })));
    const [a, b] = await Promise.all([h.sms.worker.runOnce(), other.worker.runOnce()]);
    await Promise.all([h.sms.worker.runOnce(), other.worker.runOnce()]);
    expect(a + b).to.equal(12); // each row claimed by exactly one instance
    const bodies = fake.messagesTo(to).slice(before).map((m) => m.body);
    expect(bodies).to.have.length(12);
    expect(new Set(bodies).size).to.equal(12);
    for (const { id } of ids) expect((await h.sms.sender.status(id)).status).to.equal('queued');
  });

  it('a slow gateway does not hold up the caller: the started worker sends in the background', async () => {
    const to = '+61491570156';
    fake.script({ status: 201, delayMs: 300 });
    h.sms.worker.start();
    try {
      const t0 = performance.now();
      const sent = await h.sms.sender.enqueue({ purpose: 'login', to, code: '313131' });
      expect(performance.now() - t0).to.be.below(250);
      let status = await h.sms.sender.status(sent.id);
      for (let i = 0; i < 100 && status.status === 'pending'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = await h.sms.sender.status(sent.id);
      }
      expect(status.status).to.equal('queued');
    } finally {
      await h.sms.worker.stop();
    }
  });

  it('reports the StatusCallback URL on the issuer when callbacks are enabled for the account', async () => {
    await h.sms.accounts.update(accountId, { settings: { statusCallbacks: true } });
    const sent = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '454545', accountId });
    await h.sms.worker.runOnce();
    expect(fake.messagesTo(AU_MOBILE).at(-1)!.statusCallback).to.equal(`https://id.example.com/sms/status/${sent.id}`);
    await h.sms.accounts.update(accountId, { settings: { statusCallbacks: false } });
  });

  it('a decoy does the same work as a send but stores and sends nothing', async () => {
    const posts = fake.messagePosts;
    const rows = (await h.db('sms_messages').count({ n: '*' }).first()) as { n: number | string };
    const decoy = await h.sms.sender.decoy({ purpose: 'login', to: AU_MOBILE, code: '246246', hints: { acceptLanguage: 'fr' } });
    expect(decoy).to.include({ language: 'fr', encoding: 'GSM-7', segments: 1 });
    await h.sms.worker.runOnce();
    expect(fake.messagePosts).to.equal(posts);
    expect(((await h.db('sms_messages').count({ n: '*' }).first()) as { n: number | string }).n).to.equal(rows.n);
    // Bad input fails the same way as a real send.
    try {
      await h.sms.sender.decoy({ purpose: 'login', to: '+1555', code: '246246' });
      expect.fail('expected an error');
    } catch (err) {
      expect(err).to.include({ code: 'sms_invalid_phone', status: 400 });
    }
  });

  it('refuses bad requests with clear errors', async () => {
    for (const [input, message] of [
      [{ purpose: 'login', to: '0412 345 678', code: '123456' }, /^to: must be a valid phone number in E\.164 form/],
      [{ purpose: 'login', to: '+1555', code: '123456' }, /^to: must be a valid phone number/],
      [{ purpose: 'login', to: AU_MOBILE }, /^code: is required for login messages/],
      [{ purpose: 'hello', to: AU_MOBILE }, /^purpose: must be one of/],
      [{ purpose: 'login', to: AU_MOBILE, code: '12 34' }, /^code: must be 4 to 12 letters or digits/],
    ] as const) {
      try {
        await h.sms.sender.enqueue(input as never);
        expect.fail('expected an error');
      } catch (err) {
        expect(err).to.include({ status: 400 });
        expect((err as Error).message).to.match(message);
      }
    }
    try {
      await h.sms.sender.status('no-such-message');
      expect.fail('expected an error');
    } catch (err) {
      expect(err).to.include({ code: 'sms_message_not_found', status: 404 });
    }
  });

  it('lists the message log newest first (also within one millisecond), masked, without texts', async () => {
    const same: string[] = [];
    for (const code of ['111001', '111002', '111003']) same.push((await h.sms.sender.enqueue({ purpose: 'mfa', to: AU_MOBILE, code })).id);
    expect((await h.sms.sender.log({ limit: 3 })).map((m) => m.id)).to.deep.equal(same.reverse());
    await h.sms.worker.runOnce();
    const log = await h.sms.sender.log({ limit: 5 });
    expect(log).to.have.length(5);
    expect(log[0]!.createdAt).to.be.at.least(log[4]!.createdAt);
    const json = JSON.stringify(log);
    expect(json).not.to.include('+61491570156');
    expect(json).not.to.match(/sign-in code/);
  });

  it('the account settings used above really point the SDK at the fake', () => {
    expect(twilioSettings(fake).apiBaseUrl).to.equal(fake.url);
  });
});
