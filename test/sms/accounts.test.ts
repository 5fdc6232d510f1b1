// SMS accounts: validation with clear errors, secrets sealed and masked, verification against the fake Twilio, deletion.
import { expect } from 'chai';
import { startFakeTwilio, type FakeTwilio, twilioSid } from '../fakes/fake-twilio.ts';
import { AU_MOBILE, createHarness, type Harness, twilioSettings } from './harness.ts';
import { failure } from '../helpers/errors.ts';

describe('SMS accounts', () => {
  let h: Harness;
  let fake: FakeTwilio;
  before(async () => {
    h = await createHarness();
    fake = await startFakeTwilio();
  });
  after(async () => {
    await fake.close();
    await h.close();
  });

  describe('validation', () => {
    const base = () => ({ name: `Twilio ${Math.random()}`, provider: 'twilio', settings: twilioSettings(fake) });
    const cases: [string, (s: Record<string, unknown>) => void, RegExp][] = [
      ['a bad Account SID', (s) => (s.accountSid = 'AC123'), /^settings\.accountSid: must be AC followed by 32 hexadecimal characters$/],
      ['an API key SID of the wrong kind', (s) => Object.assign(s, { apiKeySid: fake.accountSid, apiKeySecret: 'x'.repeat(20) }), /^settings\.apiKeySid: must be SK/],
      ['a Messaging Service SID of the wrong kind', (s) => Object.assign(s, { from: undefined, messagingServiceSid: 'SM123' }), /^settings\.messagingServiceSid: must be MG/],
      ['no credentials', (s) => delete s.authToken, /^settings\.authToken: set the Auth Token, or an API key SID and secret$/],
      ['an API key without its secret', (s) => Object.assign(s, { authToken: undefined, apiKeySid: twilioSid('SK') }), /^settings\.apiKeySecret: is required/],
      ['two senders', (s) => (s.messagingServiceSid = twilioSid('MG')), /^settings\.from: set exactly one sender/],
      ['no sender', (s) => delete s.from, /^settings\.from: set exactly one sender/],
      ['an impossible From number', (s) => (s.from = '+1555'), /^settings\.from: must be an E\.164 number/],
      ['a too long alphanumeric sender', (s) => (s.from = 'CodewordAlerts'), /^settings\.from: must be an E\.164 number/],
      ['a base URL that is not a URL', (s) => (s.apiBaseUrl = 'api.twilio.com'), /^settings\.apiBaseUrl: must be an absolute http\(s\) URL/],
      ['status callbacks without the Auth Token', (s) => Object.assign(s, { authToken: undefined, apiKeySid: fake.apiKey.sid, apiKeySecret: fake.apiKey.secret, statusCallbacks: true }), /^settings\.statusCallbacks: Twilio signs status callbacks with the Auth Token/],
      ['an unknown setting', (s) => (s.region = 'au1'), /^settings\.region: is not a known field/],
    ];
    for (const [what, change, message] of cases) {
      it(`refuses ${what} with a 400 naming the field`, async () => {
        const input = base();
        change(input.settings);
        const e = await failure(h.sms.accounts.create(input));
        expect(e).to.include({ code: 'sms_account_invalid', status: 400 });
        expect(e.message).to.match(message);
      });
    }

    it('accepts short codes and alphanumeric sender IDs', async () => {
      for (const from of ['12345', 'Codeword']) {
        const a = await h.sms.accounts.create({ name: `sender ${from}`, provider: 'twilio', settings: twilioSettings(fake, { from }) });
        expect(a.settings.from).to.equal(from);
      }
    });

    it('refuses a missing name, an unknown provider, and a duplicate name', async () => {
      expect((await failure(h.sms.accounts.create({ provider: 'dev', settings: {} }))).message).to.match(/^name: /);
      expect((await failure(h.sms.accounts.create({ name: 'x', provider: 'carrier-pigeon' }))).message).to.match(/^provider: must be one of twilio, alibaba, http, dev/);
      await h.sms.accounts.create({ name: 'Same', provider: 'dev', settings: {} });
      const dup = await failure(h.sms.accounts.create({ name: 'Same', provider: 'dev', settings: {} }));
      expect(dup).to.include({ code: 'sms_account_name_taken', status: 409 });
    });

    it('validates HTTP gateway settings', async () => {
      const http = (settings: Record<string, unknown>) => h.sms.accounts.create({ name: `gw ${Math.random()}`, provider: 'http', settings });
      expect((await failure(http({ url: 'ftp://x', bodyTemplate: '{"to":"{{to}}","text":"{{body}}"}' }))).message).to.match(/^settings\.url: /);
      expect((await failure(http({ url: 'https://gw.example', bodyTemplate: 'to={{to}}' }))).message).to.match(/^settings\.bodyTemplate: must be a JSON object/);
      expect((await failure(http({ url: 'https://gw.example', bodyTemplate: '{"to":"{{to}}"}' }))).message).to.match(/placeholders/);
      expect(
        (await failure(http({ url: 'https://gw.example', bodyTemplate: '{"to":"{{to}}","t":"{{body}}"}', headers: [{ name: 'Host', value: 'x' }] }))).message,
      ).to.match(/^settings\.headers\.0\.name: is set by Codeword/);
    });
  });

  describe('secrets', () => {
    it('are sealed at rest and masked in every display view', async () => {
      const a = await h.sms.accounts.create({
        name: 'Masked',
        provider: 'twilio',
        settings: twilioSettings(fake, { apiKeySid: fake.apiKey.sid, apiKeySecret: fake.apiKey.secret }),
      });
      const shown = JSON.stringify([a, await h.sms.accounts.get(a.id), await h.sms.accounts.list()]);
      expect(shown).not.to.include(fake.authToken);
      expect(shown).not.to.include(fake.apiKey.secret);
      expect(a.settings.authToken).to.equal(`••••••••${fake.authToken.slice(-4)}`);
      const row = await h.db('sms_accounts').where({ id: a.id }).first();
      expect(JSON.stringify(row)).not.to.include(fake.authToken);
      expect(JSON.stringify(row)).not.to.include(fake.apiKey.secret);
      expect(row.secrets).to.match(/^enc1\./);
    });

    it('are kept when an edit leaves them out, and the account must be verified again when credentials change', async () => {
      const a = await h.sms.accounts.create({ name: 'Edit me', provider: 'twilio', settings: twilioSettings(fake) });
      expect((await h.sms.accounts.verify(a.id)).verification.status).to.equal('valid');
      const renamed = await h.sms.accounts.update(a.id, { name: 'Edited', settings: { authToken: '' } });
      expect(renamed.name).to.equal('Edited');
      expect(renamed.verification.status).to.equal('valid'); // nothing checked has changed
      // A new sender is a new destination: the stored token is not sent there unless typed again.
      const refused = await h.sms.accounts.update(a.id, { settings: { from: null, messagingServiceSid: fake.messagingServiceSid } }).catch((e: unknown) => e);
      expect(refused).to.deep.include({ code: 'sms_account_invalid', status: 400 });
      expect((refused as Error).message).to.match(/^settings\.authToken: enter the secret again/);
      const moved = await h.sms.accounts.update(a.id, { settings: { from: null, messagingServiceSid: fake.messagingServiceSid, authToken: fake.authToken } });
      expect(moved.verification.status).to.equal('unverified');
      const row = await h.db('sms_accounts').where({ id: a.id }).first();
      expect(JSON.parse(h.box.decrypt(row.secrets)).authToken).to.equal(fake.authToken);
    });

    it('keeps secret HTTP headers sealed and masked, and keeps them across edits', async () => {
      const a = await h.sms.accounts.create({
        name: 'Gateway',
        provider: 'http',
        settings: { url: 'https://gw.example/send', bodyTemplate: '{"to":"{{to}}","text":"{{body}}"}', headers: [{ name: 'Authorization', value: 'Bearer gw-secret-0123456789', secret: true }, { name: 'X-Tenant', value: 'acme' }] },
      });
      expect(JSON.stringify(a)).not.to.include('gw-secret');
      expect((a.settings.headers as { value: string }[])[1]!.value).to.equal('acme');
      await h.sms.accounts.update(a.id, { settings: { headers: [{ name: 'Authorization', secret: true }, { name: 'X-Tenant', value: 'beta' }] } });
      const row = await h.db('sms_accounts').where({ id: a.id }).first();
      expect(JSON.stringify(row)).not.to.include('gw-secret');
      expect(JSON.parse(h.box.decrypt(row.secrets))).to.deep.equal({ headers: { Authorization: 'Bearer gw-secret-0123456789' } });
      expect(JSON.parse(row.settings).headers).to.deep.equal([
        { name: 'Authorization', secret: true },
        { name: 'X-Tenant', value: 'beta', secret: false },
      ]);
    });
  });

  describe('verification', () => {
    it('records valid credentials (Auth Token and API key) and invalid ones with the reason', async () => {
      const token = await h.sms.accounts.create({ name: 'Token', provider: 'twilio', settings: twilioSettings(fake) });
      expect(token.verification.status).to.equal('unverified');
      expect((await h.sms.accounts.verify(token.id)).verification).to.include({ status: 'valid' });
      const key = await h.sms.accounts.create({
        name: 'Key',
        provider: 'twilio',
        settings: twilioSettings(fake, { authToken: undefined, apiKeySid: fake.apiKey.sid, apiKeySecret: fake.apiKey.secret }),
      });
      expect((await h.sms.accounts.verify(key.id)).verification).to.include({ status: 'valid' });
      const bad = await h.sms.accounts.create({ name: 'Bad token', provider: 'twilio', settings: twilioSettings(fake, { authToken: 'f'.repeat(32) }) });
      const v = (await h.sms.accounts.verify(bad.id)).verification;
      expect(v.status).to.equal('invalid');
      expect(v.reason).to.equal('credentials refused');
    });

    it('treats an unverified account as not configured for sending (test sends are allowed)', async () => {
      const h2 = await createHarness();
      try {
        const a = await h2.sms.accounts.create({ name: 'Only', provider: 'twilio', isDefault: true, settings: twilioSettings(fake) });
        expect(await h2.sms.accounts.isConfigured()).to.equal(false);
        const e = await failure(h2.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '123456' }));
        expect(e).to.include({ code: 'sms_not_configured', status: 503 });
        expect(e.message).to.match(/not verified/);
        const test = await h2.sms.sender.testSend({ accountId: a.id, to: AU_MOBILE });
        expect(test.id).to.be.a('string');
        await h2.sms.accounts.verify(a.id);
        expect(await h2.sms.accounts.isConfigured()).to.equal(true);
      } finally {
        await h2.close();
      }
    });
  });

  describe('deletion', () => {
    it('a deleted account can no longer send: references fail with a clear 404, queued messages fail, nothing crashes', async () => {
      const a = await h.sms.accounts.create({ name: 'Doomed', provider: 'twilio', settings: twilioSettings(fake) });
      await h.sms.accounts.verify(a.id);
      const queued = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '135246', accountId: a.id });
      await h.sms.accounts.remove(a.id);
      const e = await failure(h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '135246', accountId: a.id }));
      expect(e).to.include({ code: 'sms_account_not_found', status: 404 });
      expect(e.message).to.match(/does not exist \(it may have been deleted\)/);
      expect((await failure(h.sms.accounts.get(a.id))).status).to.equal(404);
      expect((await failure(h.sms.accounts.verify(a.id))).status).to.equal(404);
      await h.sms.worker.runOnce();
      const status = await h.sms.sender.status(queued.id);
      expect(status).to.include({ status: 'failed', failed: true, errorCode: 'account_deleted', reason: 'configuration', reasonKey: 'sms.reason.configuration' });
      expect(fake.messagesTo(AU_MOBILE)).to.have.length(0);
    });
  });

  describe('picking the account', () => {
    it('uses the default account, else the only one, else the development inbox outside production', async () => {
      const h2 = await createHarness();
      try {
        const dev = await h2.sms.sender.enqueue({ purpose: 'test', to: AU_MOBILE });
        expect((await h2.sms.sender.status(dev.id)).provider).to.equal('dev');
        const one = await h2.sms.accounts.create({ name: 'One', provider: 'twilio', settings: twilioSettings(fake) });
        await h2.sms.accounts.verify(one.id);
        expect((await h2.sms.sender.status((await h2.sms.sender.enqueue({ purpose: 'test', to: AU_MOBILE })).id)).accountId).to.equal(one.id);
        await h2.sms.accounts.create({ name: 'Two', provider: 'dev', settings: {} });
        // Two accounts and no default: ambiguous, so not configured.
        expect((await failure(h2.sms.sender.enqueue({ purpose: 'test', to: AU_MOBILE }))).code).to.equal('sms_not_configured');
        await h2.sms.accounts.update(one.id, { isDefault: true });
        expect((await h2.sms.sender.status((await h2.sms.sender.enqueue({ purpose: 'test', to: AU_MOBILE })).id)).accountId).to.equal(one.id);
      } finally {
        await h2.close();
      }
    });

    it('refuses the development inbox in production, and plain-http API URLs there', async () => {
      const prod = await createHarness({ config: { env: 'production' } });
      try {
        const e = await failure(prod.sms.accounts.create({ name: 'dev', provider: 'dev', settings: {} }));
        expect(e).to.include({ code: 'sms_dev_refused', status: 400 });
        expect((await failure(prod.sms.sender.enqueue({ purpose: 'test', to: AU_MOBILE }))).code).to.equal('sms_not_configured');
        const http = await failure(prod.sms.accounts.create({ name: 't', provider: 'twilio', settings: twilioSettings(fake) }));
        expect(http.message).to.equal('settings.apiBaseUrl: must be https in production');
        expect(prod.sms.devInbox).to.equal(undefined);
        expect(prod.sms.routers.devInbox).to.equal(undefined);
      } finally {
        await prod.close();
      }
    });
  });
});
