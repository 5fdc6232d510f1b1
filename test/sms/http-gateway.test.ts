// The generic HTTP gateway provider: JSON body from a template, secret headers, idempotency key, retries and failures.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { AU_MOBILE, createHarness, type Harness } from './harness.ts';

interface Received {
  method: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

describe('SMS HTTP gateway provider', () => {
  let h: Harness;
  let server: Server;
  let url: string;
  const received: Received[] = [];
  const answers: number[] = [];
  let headStatus = 405;
  let testStatus = 200;
  const tests: { method: string; authorization: string | undefined; body: string }[] = [];

  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/v1/balance') {
        let data = '';
        req.on('data', (c) => {
          data += c;
        });
        req.on('end', () => {
          tests.push({ method: req.method ?? '', authorization: req.headers.authorization, body: data });
          res.writeHead(testStatus, { 'content-type': 'application/json' }).end('{"error":"the gateway\'s own words"}');
        });
        return;
      }
      if (req.method === 'HEAD') {
        res.writeHead(headStatus).end();
        return;
      }
      let data = '';
      req.on('data', (c) => {
        data += c;
      });
      req.on('end', () => {
        received.push({ method: req.method ?? '', headers: req.headers, body: JSON.parse(data) });
        const status = answers.shift() ?? 200;
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status === 200 ? { data: { id: `gw-${received.length}` } } : { error: 'no' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/sms`;
    h = await createHarness();
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.close();
  });

  async function gateway(name: string): Promise<string> {
    const a = await h.sms.accounts.create({
      name,
      provider: 'http',
      isDefault: true,
      settings: {
        url,
        method: 'PUT',
        headers: [
          { name: 'Authorization', value: 'Bearer gw-token-9f8e7d6c5b4a', secret: true },
          { name: 'X-Tenant', value: 'acme' },
        ],
        bodyTemplate: '{"recipient":"{{to}}","sender":"{{from}}","message":{"text":"{{body}}","ref":"{{message_id}}"}}',
        from: 'Codeword',
        messageIdPath: 'data.id',
      },
    });
    return a.id;
  }

  it('verifies by reaching the gateway, says only reachability was checked, and reports refused headers', async () => {
    const id = await gateway('Gateway verify');
    const reached = (await h.sms.accounts.verify(id)).verification;
    expect(reached.status).to.equal('valid');
    expect(reached.reason).to.equal('reachable only: sending not checked (no test request configured)');
    headStatus = 401;
    const v = (await h.sms.accounts.verify(id)).verification;
    expect(v.status).to.equal('invalid');
    expect(v.reason).to.equal('credentials refused');
    headStatus = 405;
    await h.sms.accounts.verify(id);
  });

  it('verifies with the test request the admin configured: its status decides, and the reason says what was checked', async () => {
    const a = await h.sms.accounts.create({
      name: 'Gateway with a test request',
      provider: 'http',
      settings: {
        url,
        headers: [{ name: 'Authorization', value: 'Bearer gw-token-9f8e7d6c5b4a', secret: true }],
        bodyTemplate: '{"to":"{{to}}","text":"{{body}}"}',
        verifyUrl: url.replace('/v1/sms', '/v1/balance'),
        verifyMethod: 'POST',
        verifyBody: '{"dryRun":true}',
      },
    });
    // The HEAD the gateway answers 200 no longer decides: the test request answered 400 does.
    headStatus = 200;
    testStatus = 400;
    const refused = (await h.sms.accounts.verify(a.id)).verification;
    expect(refused.status).to.equal('invalid');
    expect(refused.reason).to.equal('test request not answered as expected');
    expect(tests.at(-1)).to.deep.equal({ method: 'POST', authorization: 'Bearer gw-token-9f8e7d6c5b4a', body: '{"dryRun":true}' });
    testStatus = 200;
    const ok = (await h.sms.accounts.verify(a.id)).verification;
    expect(ok.status).to.equal('valid');
    expect(ok.reason).to.equal('test request answered as expected');
    expect(JSON.stringify(ok)).not.to.contain("own words");
    // An expected status of its own: 204 only.
    await h.sms.accounts.update(a.id, { settings: { verifyStatus: 204 } });
    expect((await h.sms.accounts.verify(a.id)).verification).to.include({ status: 'invalid', reason: 'test request not answered as expected' });
    testStatus = 204;
    expect((await h.sms.accounts.verify(a.id)).verification).to.include({ status: 'valid', reason: 'test request answered as expected' });
    headStatus = 405;
  });

  it('refuses a test request body without a test URL, or with a method that sends none', async () => {
    const base = { url, bodyTemplate: '{"to":"{{to}}","text":"{{body}}"}' };
    const problems = async (settings: Record<string, unknown>) => {
      try {
        await h.sms.accounts.create({ name: 'Bad test request', provider: 'http', settings: { ...base, ...settings } });
        return [];
      } catch (err) {
        return JSON.stringify((err as { details?: unknown; message: string }).details ?? (err as Error).message);
      }
    };
    expect(await problems({ verifyBody: '{}', verifyStatus: 200 })).to.contain('needs a test request URL');
    expect(await problems({ verifyUrl: `${url}/x`, verifyMethod: 'GET', verifyBody: '{}' })).to.contain('is sent only with POST');
    expect(await problems({ verifyUrl: `${url}/x`, verifyStatus: 42 })).to.contain('must be an HTTP status such as 200');
  });

  it('sends the JSON body built from the template (values escaped), with headers and an idempotency key', async () => {
    const sent = await h.sms.sender.enqueue({ purpose: 'password_changed', to: AU_MOBILE, user: { login: 'kim "the" admin' }, hints: { requestLanguage: 'en' } });
    await h.sms.templates.save({ purpose: 'login', language: 'en', body: 'Say "{{ code }}" \\ {{ user.login }}' });
    const login = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '424242', user: { login: 'kim "the" admin' } });
    await h.sms.worker.runOnce();
    const [first, second] = received.slice(-2);
    expect(first!.method).to.equal('PUT');
    expect(first!.headers.authorization).to.equal('Bearer gw-token-9f8e7d6c5b4a');
    expect(first!.headers['x-tenant']).to.equal('acme');
    const bodies = [first!, second!].map((r) => r.body as { recipient: string; sender: string; message: { text: string; ref: string } });
    const byRef = new Map(bodies.map((b) => [b.message.ref, b]));
    expect(byRef.get(sent.id)).to.deep.include({ recipient: AU_MOBILE, sender: 'Codeword' });
    expect(byRef.get(login.id)!.message.text).to.equal('Say "424242" \\ kim "the" admin\n@id.example.com #424242');
    expect([first!, second!].map((r) => r.headers['idempotency-key']).sort()).to.deep.equal([sent.id, login.id].sort());
    // The gateway answers {"data":{"id":"gw-<n>"}}; messageIdPath data.id picks it up.
    const n = received.findIndex((r) => (r.body as { message: { ref: string } }).message.ref === login.id) + 1;
    expect(await h.sms.sender.status(login.id)).to.include({ status: 'accepted', providerMessageId: `gw-${n}` });
  });

  it('retries a 503 with the same idempotency key, and fails a 400 at once', async () => {
    answers.push(503);
    const retried = await h.sms.sender.enqueue({ purpose: 'mfa', to: AU_MOBILE, code: '515151' });
    await h.sms.worker.runOnce();
    expect(await h.sms.sender.status(retried.id)).to.include({ status: 'pending', errorCode: 'http_503', reason: 'provider_unavailable' });
    h.clock.advance(2_000);
    await h.sms.worker.runOnce();
    const attempts = received.filter((r) => (r.body as { message: { ref: string } }).message.ref === retried.id);
    expect(attempts).to.have.length(2);
    expect(attempts.map((r) => r.headers['idempotency-key'])).to.deep.equal([retried.id, retried.id]);
    expect((await h.sms.sender.status(retried.id)).status).to.equal('accepted');

    answers.push(400);
    const refused = await h.sms.sender.enqueue({ purpose: 'mfa', to: AU_MOBILE, code: '525252' });
    await h.sms.worker.runOnce();
    expect(await h.sms.sender.status(refused.id)).to.include({ status: 'failed', errorCode: 'http_400', reason: 'unknown', attempts: 1 });
  });
});
