// After real sending (Twilio, gateway, dev inbox, retries, failures), a dump of every table holds no secret and no code.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { isMysql, type Knex } from '../../src/db/knex.ts';
import { startFakeTwilio, type FakeTwilio } from '../fakes/fake-twilio.ts';
import { AU_MOBILE, createHarness, type Harness, twilioSettings } from './harness.ts';

async function dump(db: Knex): Promise<string> {
  const tables: string[] = isMysql(db)
    ? ((await db.raw('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()'))[0] as { name: string }[]).map((r) => r.name)
    : ((await db.raw("SELECT name FROM sqlite_master WHERE type = 'table'")) as { name: string }[]).map((r) => r.name);
  expect(tables).to.include.members(['sms_accounts', 'sms_templates', 'sms_messages']);
  const out: string[] = [];
  for (const t of tables) out.push(t, JSON.stringify(await db(t).select('*')));
  return out.join('\n');
}

describe('SMS storage holds no plaintext secret or code', () => {
  let h: Harness;
  let fake: FakeTwilio;
  let gateway: Server;
  const GATEWAY_SECRET = 'Bearer gateway-secret-5c1d9e7a';
  // Eight-digit codes: long enough not to occur by chance in ids or timestamps.
  const codes = ['73910482', '58203617', '49175320', '86420975', '31597046', '20864139'];

  before(async () => {
    h = await createHarness({ options: { providerTimeoutMs: 500 } });
    fake = await startFakeTwilio({ now: () => h.clock.now() });
    gateway = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"gw-1"}'));
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await fake.close();
    gateway.closeAllConnections();
    await new Promise<void>((resolve) => gateway.close(() => resolve()));
    await h.close();
  });

  it('after sending through every provider', async () => {
    const token = await h.sms.accounts.create({ name: 'Token', provider: 'twilio', isDefault: true, settings: twilioSettings(fake, { statusCallbacks: true }) });
    await h.sms.accounts.verify(token.id);
    const key = await h.sms.accounts.create({
      name: 'Key',
      provider: 'twilio',
      settings: twilioSettings(fake, { authToken: undefined, apiKeySid: fake.apiKey.sid, apiKeySecret: fake.apiKey.secret, from: undefined, messagingServiceSid: fake.messagingServiceSid }),
    });
    await h.sms.accounts.verify(key.id);
    const gw = await h.sms.accounts.create({
      name: 'Gateway',
      provider: 'http',
      settings: {
        url: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`,
        bodyTemplate: '{"to":"{{to}}","text":"{{body}}"}',
        headers: [{ name: 'Authorization', value: GATEWAY_SECRET, secret: true }],
      },
    });
    await h.sms.accounts.verify(gw.id);
    const dev = await h.sms.accounts.create({ name: 'Dev', provider: 'dev', settings: {} });
    await h.sms.templates.save({ purpose: 'login', language: 'en', body: 'Login code {{ code }} for {{ application.name }}' });

    fake.script({ status: 500 }); // first Twilio attempt fails and is retried
    await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: codes[0] });
    await h.sms.sender.enqueue({ purpose: 'mfa', to: AU_MOBILE, code: codes[1], accountId: key.id });
    await h.sms.sender.enqueue({ purpose: 'signup', to: AU_MOBILE, code: codes[2], accountId: gw.id });
    await h.sms.sender.enqueue({ purpose: 'reset_password', to: AU_MOBILE, code: codes[3], accountId: dev.id });
    await h.sms.sender.enqueue({ purpose: 'login', to: '+15005550004', code: codes[4] }); // fails: opted out
    for (let i = 0; i < 3; i++) {
      await h.sms.worker.runOnce();
      h.clock.advance(10_000);
    }
    // And one message still waiting in the outbox (its number and text sealed).
    const waiting = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: codes[5] });
    expect((await h.db('sms_messages').where({ id: waiting.id }).first()).body_sealed).to.match(/^enc1\./);

    // Everything reached its destination...
    expect(fake.messages.map((m) => m.body).join('\n')).to.include(codes[0]).and.include(codes[1]);
    expect((await h.sms.devInbox!.list()).map((m) => m.text).join('\n')).to.include(codes[3]);

    const text = await dump(h.db);
    for (const secret of [fake.authToken, fake.apiKey.secret, GATEWAY_SECRET, 'gateway-secret-5c1d9e7a']) expect(text, 'secret').not.to.include(secret);
    for (const code of codes) expect(text, `code ${code}`).not.to.include(code);
    // Phone numbers are kept masked (the full number only sealed, until the provider has the message).
    expect(text).not.to.include(AU_MOBILE);
    expect(text).to.include('+61•••••••56');
  });
});
