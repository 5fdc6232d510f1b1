// Development inbox: dev-provider messages are not sent but shown on a page (and logged), outside production only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import Koa from 'koa';
import { pino } from 'pino';
import { createScreens } from '../../src/views.ts';
import { AU_MOBILE, AU_MOBILE_2, createHarness, type Harness } from './harness.ts';

describe('SMS development inbox', () => {
  let h: Harness;
  let server: Server;
  let url: string;
  const logLines: string[] = [];

  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const screens = createScreens({ env: 'development', defaultLocale: 'en', supportContact: '' });
    h = await createHarness({ config: { env: 'development' }, logger: pino({ level: 'info' }, sink), screens });
    const app = new Koa();
    app.use(h.sms.routers.devInbox!.routes());
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.close();
  });

  it('is the default when no account is configured in development; messages are "delivered" to it', async () => {
    const sent = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '864209', hints: { acceptLanguage: 'es' } });
    await h.sms.worker.runOnce();
    expect(await h.sms.sender.status(sent.id)).to.include({ provider: 'dev', status: 'delivered', language: 'es' });
    const [m] = await h.sms.devInbox!.list({ to: AU_MOBILE });
    expect(m!.text).to.equal('Usa 864209 para entrar en Codeword. Caduca en 10 minutos. No lo compartas.\n@id.example.com #864209');
    expect(logLines.join('')).to.include('Usa 864209 para entrar');
  });

  it('shows the messages on a page, newest first, filterable by number', async () => {
    h.clock.advance(1000);
    await h.sms.sender.enqueue({ purpose: 'mfa', to: AU_MOBILE_2, code: '975310' });
    await h.sms.worker.runOnce();
    const html = await (await fetch(`${url}/dev/sms`, { headers: { accept: 'text/html' } })).text();
    expect(html).to.include('Development SMS inbox');
    expect(html.indexOf('975310')).to.be.greaterThan(-1);
    expect(html.indexOf('975310')).to.be.lessThan(html.indexOf('864209'));
    // The whole number (this page exists only outside production), the text as a phone shows it, and a script that refreshes it.
    expect(html).to.include(`<span class="nowrap" data-to>${AU_MOBILE_2}</span>`);
    expect(html).to.match(/<p class="sms-text">[^<]*975310/);
    expect(html).to.include('<script src="/assets/dev-inbox.js" defer></script>');
    const filtered = (await (await fetch(`${url}/dev/sms?to=${encodeURIComponent(AU_MOBILE_2)}`, { headers: { accept: 'application/json' } })).json()) as {
      messages: { text: string; to: string }[];
    };
    expect(filtered.messages).to.have.length(1);
    expect(filtered.messages[0]!.text).to.match(/^975310 is your Codeword security code/);
    expect(filtered.messages[0]!.to, 'the whole number, in development').to.equal(AU_MOBILE_2);
  });

  it('works with an explicit dev account too, and keeps only the sealed text in the database', async () => {
    const a = await h.sms.accounts.create({ name: 'Dev', provider: 'dev', isDefault: true, settings: {} });
    expect(a.verification.status).to.equal('valid');
    const sent = await h.sms.sender.enqueue({ purpose: 'reset_password', to: AU_MOBILE, code: '192837' });
    await h.sms.worker.runOnce();
    expect((await h.sms.sender.status(sent.id)).accountId).to.equal(a.id);
    const row = await h.db('sms_messages').where({ id: sent.id }).first();
    expect(row.body_sealed).to.match(/^enc1\./);
    expect(JSON.stringify(row)).not.to.include('192837');
  });
});
