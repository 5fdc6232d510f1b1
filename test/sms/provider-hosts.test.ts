// Provider secrets go only where the operator allows: host allow-list pinned at connect, secrets re-entered for a new destination.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createEgress, DEFAULT_PROVIDER_HOSTS } from '../../src/sms/providers/egress.ts';
import { failure } from '../helpers/errors.ts';
import { type FakeTwilio, startFakeTwilio } from '../fakes/fake-twilio.ts';
import { AU_MOBILE, createHarness, type Harness, TEST_PROVIDER_HOSTS, twilioSettings } from './harness.ts';

/** Awaits a refusal and checks its code and status. */
async function refused(p: Promise<unknown>, code: string, status: number) {
  const e = await failure(p);
  expect(e).to.include({ code, status });
  return e;
}

/** A server that records every request and answers with a scripted status and body (a stand-in for an internal service). */
async function listener(status = 200, body = '') {
  const seen: { method: string; url: string; authorization?: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { seen, port, url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('SMS provider hosts and destinations', () => {
  describe('the allow-list', () => {
    it('matches names and wildcards, and refuses internal addresses unless they are listed', () => {
      const egress = createEgress(DEFAULT_PROVIDER_HOSTS);
      expect(egress.allows('https://api.twilio.com/2010-04-01')).to.equal(true);
      expect(egress.allows('https://api.sydney.au1.twilio.com/')).to.equal(true);
      expect(egress.allows('https://dysmsapi.aliyuncs.com/')).to.equal(true);
      expect(egress.allows('https://twilio.com.attacker.test/')).to.equal(false);
      expect(egress.allows('https://eviltwilio.com/')).to.equal(false);
      expect(egress.allows('http://127.0.0.1:8080/')).to.equal(false);
      expect(egress.allows('http://169.254.169.254/latest/meta-data')).to.equal(false);
      expect(createEgress([...DEFAULT_PROVIDER_HOSTS, '127.0.0.1']).allows('http://127.0.0.1:8080/')).to.equal(true);
    });

    it('pins the connection to an allowed address: a listed name that resolves to loopback is refused at connect', (done) => {
      const egress = createEgress(['localhost']);
      egress.lookup('localhost', { all: true }, (err) => {
        expect(err?.code).to.equal('EHOSTNOTALLOWED');
        createEgress(['localhost', '127.0.0.1']).lookup('localhost', { family: 4 }, (err2, address) => {
          expect(err2).to.equal(null);
          expect(address).to.equal('127.0.0.1');
          done();
        });
      });
    });
  });

  describe('accounts', () => {
    let h: Harness;
    let fake: FakeTwilio;
    before(async () => {
      fake = await startFakeTwilio();
    });
    after(() => fake.close());
    afterEach(() => h?.close());

    it('refuse a provider URL outside SMS_PROVIDER_HOSTS with a clear 400 (the default list has no loopback)', async () => {
      h = await createHarness({ options: { providerHosts: DEFAULT_PROVIDER_HOSTS } });
      const e = await refused(h.sms.accounts.create({ name: 'Internal', provider: 'twilio', settings: twilioSettings(fake) }), 'sms_account_invalid', 400);
      expect(e.message).to.match(/^settings\.apiBaseUrl: the host 127\.0\.0\.1 is not an allowed SMS provider host \(add it to SMS_PROVIDER_HOSTS\)/);
      const gw = await refused(
        h.sms.accounts.create({ name: 'Metadata', provider: 'http', settings: { url: 'http://169.254.169.254/latest', bodyTemplate: '{"to":"{{to}}","text":"{{body}}"}' } }),
        'sms_account_invalid',
        400,
      );
      expect(gw.message).to.match(/^settings\.url: the host 169\.254\.169\.254 is not an allowed/);
    });

    it('never send a request to an address the lookup refused, even when the name is allowed', async () => {
      // "localhost" passes the name check; the agent refuses its loopback addresses because no address is listed.
      h = await createHarness({ options: { providerHosts: [...DEFAULT_PROVIDER_HOSTS, 'localhost'] } });
      const before = fake.messagePosts;
      const url = fake.url.replace('127.0.0.1', 'localhost');
      const a = await h.sms.accounts.create({ name: 'Via name', provider: 'twilio', settings: twilioSettings(fake, { apiBaseUrl: url }) });
      const v = (await h.sms.accounts.verify(a.id)).verification;
      expect(v).to.include({ status: 'invalid', reason: 'host not allowed' });
      await h.sms.sender.testSend({ accountId: a.id, to: AU_MOBILE });
      await h.sms.worker.runOnce();
      expect(fake.messagePosts).to.equal(before);
      const [m] = await h.sms.sender.log({ accountId: a.id });
      expect(m).to.include({ status: 'failed', errorCode: 'host_not_allowed', reason: 'configuration' });
    });

    it('need the secrets again when the base URL changes, so a stored token is never sent to a new host', async () => {
      h = await createHarness();
      const attacker = await listener(200, '{"status":"active","sid":"AC0"}');
      try {
        const a = await h.sms.accounts.create({ name: 'Twilio', provider: 'twilio', settings: twilioSettings(fake) });
        expect((await h.sms.accounts.verify(a.id)).verification.status).to.equal('valid');
        const e = await refused(h.sms.accounts.update(a.id, { settings: { apiBaseUrl: attacker.url } }), 'sms_account_invalid', 400);
        expect(e.message).to.match(/^settings\.authToken: enter the secret again: apiBaseUrl changed/);
        expect((await h.sms.accounts.get(a.id)).settings.apiBaseUrl).to.equal(fake.url);
        await h.sms.accounts.verify(a.id);
        expect(attacker.seen).to.have.length(0);
        // Typed again, the new destination is the operator's decision (and needs a new verification).
        const moved = await h.sms.accounts.update(a.id, { settings: { apiBaseUrl: attacker.url, authToken: 'a-new-token-for-the-new-host-0123' } });
        expect(moved.verification.status).to.equal('unverified');
        const http = await h.sms.accounts.create({
          name: 'Gateway',
          provider: 'http',
          settings: { url: `${fake.url}/send`, headers: [{ name: 'Authorization', value: 'Bearer gw-secret-0123456789', secret: true }], bodyTemplate: '{"to":"{{to}}","text":"{{body}}"}' },
        });
        const gw = await refused(h.sms.accounts.update(http.id, { settings: { url: `${attacker.url}/send` } }), 'sms_account_invalid', 400);
        expect(gw.message).to.match(/^settings\.headers\.Authorization: enter the secret again: url changed/);
      } finally {
        await attacker.close();
      }
    });

    it('answer verification with fixed phrases, never the status or the answer of what was reached', async () => {
      h = await createHarness();
      const teapot = await listener(418, '{"internal":"db-password-hunter2"}');
      const broken = await listener(500, '{"code":20500,"message":"internal detail xyz","status":500}');
      try {
        const gw = await h.sms.accounts.create({ name: 'Teapot', provider: 'http', settings: { url: teapot.url, bodyTemplate: '{"to":"{{to}}","text":"{{body}}"}' } });
        const v1 = (await h.sms.accounts.verify(gw.id)).verification;
        expect(v1).to.include({ status: 'valid', reason: 'reachable only: sending not checked (no test request configured)' });
        const tw = await h.sms.accounts.create({ name: 'Broken', provider: 'twilio', settings: twilioSettings(fake, { apiBaseUrl: broken.url }) });
        const v2 = (await h.sms.accounts.verify(tw.id)).verification;
        expect(v2).to.include({ status: 'invalid', reason: 'not reachable' });
        for (const r of [v1.reason, v2.reason]) expect(r).not.to.match(/418|500|internal|hunter2/);
      } finally {
        await teapot.close();
        await broken.close();
      }
    });

    it('copy only an id-shaped message id from a gateway answer, and refuse a messageIdPath that names another field', async () => {
      h = await createHarness();
      const gw = await listener(200, '{"id":{"secret":"x"},"data":{"id":"internal token with spaces and more than sixty-four characters ........"}}');
      try {
        const base = { url: gw.url, bodyTemplate: '{"to":"{{to}}","text":"{{body}}"}' };
        const e = await refused(h.sms.accounts.create({ name: 'Leak', provider: 'http', settings: { ...base, messageIdPath: 'internal.password' } }), 'sms_account_invalid', 400);
        expect(e.message).to.match(/^settings\.messageIdPath: must name the message id field/);
        for (const path of ['id', 'data.id']) {
          const a = await h.sms.accounts.create({ name: `Gateway ${path}`, provider: 'http', settings: { ...base, messageIdPath: path } });
          await h.sms.sender.testSend({ accountId: a.id, to: AU_MOBILE });
          await h.sms.worker.runOnce();
          const [m] = await h.sms.sender.log({ accountId: a.id });
          expect(m).to.include({ status: 'accepted', providerMessageId: null });
        }
      } finally {
        await gw.close();
      }
    });
  });

  it('the test harness lists the loopback fakes explicitly', () => {
    expect(TEST_PROVIDER_HOSTS).to.include('127.0.0.1');
  });
});
