// Twilio delivery status callbacks: signature checked against the public issuer URL, status only ever moves forward.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import Koa from 'koa';
import twilio from 'twilio';
import { startFakeTwilio, type FakeTwilio } from '../fakes/fake-twilio.ts';
import { AU_MOBILE, createHarness, type Harness, verifiedTwilioAccount } from './harness.ts';

const PUBLIC = 'https://id.example.com';

describe('SMS status callbacks', () => {
  let h: Harness;
  let fake: FakeTwilio;
  let server: Server;
  let local: string;

  before(async () => {
    // Codeword behind a reverse proxy: public issuer https://id.example.com, listening on 127.0.0.1.
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    h = await createHarness({ config: { issuer: PUBLIC } });
    const app = new Koa();
    app.use(h.sms.routers.statusCallbacks.routes());
    server.on('request', app.callback());
    fake = await startFakeTwilio({ callbackRewrite: (url) => url.replace(PUBLIC, local), now: () => h.clock.now() });
    await verifiedTwilioAccount(h.sms, fake, 'Callbacks', { statusCallbacks: true });
  });
  after(async () => {
    await fake.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.close();
  });

  async function sendOne(code: string) {
    const { id } = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code });
    await h.sms.worker.runOnce();
    const status = await h.sms.sender.status(id);
    return { id, sid: status.providerMessageId! };
  }

  it('accepts a callback signed over the public URL and moves the status forward', async () => {
    const { id, sid } = await sendOne('100001');
    expect(fake.messages.find((m) => m.sid === sid)!.statusCallback).to.equal(`${PUBLIC}/sms/status/${id}`);
    expect(await fake.postStatus(sid, 'sent')).to.equal(204);
    expect((await h.sms.sender.status(id)).status).to.equal('sent');
    expect(await fake.postStatus(sid, 'delivered')).to.equal(204);
    expect(await h.sms.sender.status(id)).to.include({ status: 'delivered', delivered: true, final: true, failed: false });
  });

  it('rejects a bad signature with 403 and changes nothing', async () => {
    const { id, sid } = await sendOne('100002');
    expect(await fake.postStatus(sid, 'delivered', { signature: 'bad' })).to.equal(403);
    expect((await h.sms.sender.status(id)).status).to.equal('queued');
  });

  it('rejects a missing signature with 403', async () => {
    const { id, sid } = await sendOne('100003');
    expect(await fake.postStatus(sid, 'delivered', { signature: 'missing' })).to.equal(403);
    expect((await h.sms.sender.status(id)).status).to.equal('queued');
  });

  it('rejects a signature over the internal URL (validation uses the public one)', async () => {
    const { id, sid } = await sendOne('100004');
    const params = { AccountSid: fake.accountSid, MessageSid: sid, MessageStatus: 'delivered', SmsSid: sid, SmsStatus: 'delivered', To: AU_MOBILE };
    const url = `${local}/sms/status/${id}`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(fake.authToken, url, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).to.equal(403);
    expect((await h.sms.sender.status(id)).status).to.equal('queued');
  });

  it('rejects parameters changed after signing', async () => {
    const { id, sid } = await sendOne('100005');
    const url = `${PUBLIC}/sms/status/${id}`;
    const signed = { AccountSid: fake.accountSid, MessageSid: sid, MessageStatus: 'undelivered', To: AU_MOBILE };
    const res = await fetch(`${local}/sms/status/${id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(fake.authToken, url, signed) },
      body: new URLSearchParams({ ...signed, MessageStatus: 'delivered' }).toString(),
    });
    expect(res.status).to.equal(403);
  });

  it('never moves a status backwards, whatever order callbacks arrive in, and repeats are no-ops', async () => {
    const { id, sid } = await sendOne('100006');
    expect(await fake.postStatus(sid, 'delivered')).to.equal(204);
    const delivered = await h.sms.sender.status(id);
    h.clock.advance(1000);
    // Late and repeated reports: accepted (204, so Twilio does not retry) but ignored.
    for (const late of ['sent', 'queued', 'sending', 'delivered', 'undelivered']) expect(await fake.postStatus(sid, late)).to.equal(204);
    const after = await h.sms.sender.status(id);
    expect(after).to.include({ status: 'delivered', completedAt: delivered.completedAt, updatedAt: delivered.updatedAt });
  });

  it('records why a message was not delivered (undelivered 30003, failed 30007)', async () => {
    const a = await sendOne('100007');
    expect(await fake.postStatus(a.sid, 'sent')).to.equal(204);
    expect(await fake.postStatus(a.sid, 'undelivered', { errorCode: 30003 })).to.equal(204);
    expect(await h.sms.sender.status(a.id)).to.include({ status: 'undelivered', failed: true, errorCode: '30003', reason: 'unreachable', reasonKey: 'sms.reason.unreachable' });
    const b = await sendOne('100008');
    expect(await fake.postStatus(b.sid, 'failed', { errorCode: 30007 })).to.equal(204);
    expect(await h.sms.sender.status(b.id)).to.include({ status: 'failed', errorCode: '30007', reason: 'blocked' });
  });

  it('a report that overtakes the send answer is kept (the answer does not move it back)', async () => {
    fake.script({ status: 201, delayMs: 300 });
    const { id } = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '100009' });
    const run = h.sms.worker.runOnce();
    let m = fake.messages.find((x) => x.body.startsWith('100009'));
    for (let i = 0; i < 100 && !m; i++) {
      await new Promise((r) => setTimeout(r, 10));
      m = fake.messages.find((x) => x.body.startsWith('100009'));
    }
    expect(await fake.postStatus(m!.sid, 'sent')).to.equal(204);
    await run;
    expect(await h.sms.sender.status(id)).to.include({ status: 'sent', providerMessageId: m!.sid });
  });

  it('answers 403 for an unknown message', async () => {
    const res = await fetch(`${local}/sms/status/00000000-0000-0000-0000-000000000000`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'abc' },
      body: 'MessageStatus=delivered',
    });
    expect(res.status).to.equal(403);
  });
});
