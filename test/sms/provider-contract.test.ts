// Adding a provider is one descriptor: a test-only template-code gateway handed to the container sends, is masked, drawn and documented.
import { expect } from 'chai';
import { z } from 'zod';
import type { ProviderDescriptor } from '../../src/sms/index.ts';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, tokenFor } from '../admin/api/harness.ts';
import { type ConsoleSession, signIn, startConsoleServer } from '../admin/console/harness.ts';
import type { TestServer } from '../helpers/server.ts';
import { AU_MOBILE } from './harness.ts';

interface Sent {
  to: string;
  templateCode: string;
  params: Record<string, string>;
  language: string;
  body: string;
  signedWith: string;
}

const SIGNING_KEY = 'pigeon-signing-key-0123456789abcdef';

/** A gateway that sends by template code and parameters, like Alibaba Cloud or Tencent: it never uses the rendered body alone. */
function pigeonProvider(outbox: Sent[]): ProviderDescriptor<{ endpoint: string; keyId: string; signingKey: string; signName: string }> {
  return {
    kind: 'pigeon',
    label: 'Pigeon Post',
    settings: z
      .object({
        endpoint: z.string().url(),
        keyId: z.string().min(3),
        signingKey: z.string().min(16),
        signName: z.string().min(1).max(20),
      })
      .strict(),
    secrets: { fields: ['signingKey'] },
    verifiedFields: ['endpoint', 'keyId', 'signingKey'],
    destinationFields: ['endpoint', 'keyId'],
    destinations: (s) => [s.endpoint],
    create: (s) => ({
      async send(msg) {
        outbox.push({ to: msg.to, templateCode: `TPL_${msg.purpose.toUpperCase()}`, params: { ...msg.variables }, language: msg.language, body: msg.body, signedWith: s.signingKey });
        return { providerMessageId: `pigeon-${outbox.length}`, status: 'accepted' };
      },
      async verify() {
        return { ok: true, reason: 'credentials accepted' };
      },
    }),
    mapError: (code) => (code === 'BAD_KEY' ? { reason: 'configuration', kind: 'permanent', badCredentials: true } : { reason: 'unknown', kind: 'permanent' }),
    form: {
      fields: [
        { name: 'endpoint', kind: 'url', label: 'Pigeon endpoint' },
        { name: 'keyId', kind: 'text', label: 'Pigeon key id' },
        { name: 'signingKey', kind: 'secret', label: 'Pigeon signing key' },
        { name: 'signName', kind: 'text', label: 'Pigeon sign name' },
      ],
    },
  };
}

describe('SMS provider contract: a provider handed to the container at build time', () => {
  const outbox: Sent[] = [];
  let server: TestServer;
  let admin: ConsoleSession;
  let token: string;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/admin/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, body: text ? JSON.parse(text) : null };
  };

  before(async () => {
    server = await startConsoleServer({ smsWorker: false, sms: { providers: [pigeonProvider(outbox)] }, env: { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET } });
    admin = await signIn(server);
    token = (await tokenFor(server.url, ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, 'admin')).body.access_token;
  });
  after(() => server.close());

  it('appears in the OpenAPI document with its settings', async () => {
    const doc = await api('GET', '/openapi.json');
    expect(doc.status).to.equal(200);
    const create = doc.body.paths['/v1/sms-accounts']?.post ?? doc.body.paths['/sms-accounts']?.post;
    const schema = JSON.stringify(create.requestBody.content['application/json'].schema);
    expect(schema).to.contain('"pigeon"').and.to.contain('signingKey').and.to.contain('signName');
    expect(schema).to.contain('"twilio"').and.to.contain('"http"');
  });

  it('is created and edited through the admin API with its secret masked everywhere, audit log included', async () => {
    const created = await api('POST', '/v1/sms-accounts', {
      name: 'Pigeon',
      provider: 'pigeon',
      homeCountry: 'au',
      settings: { endpoint: 'https://api.pigeon.example/send', keyId: 'key-1', signingKey: SIGNING_KEY, signName: 'Codeword' },
    });
    expect(created.status, created.text).to.equal(201);
    expect(created.body).to.include({ provider: 'pigeon', homeCountry: 'AU' });
    expect(created.body.settings).to.deep.include({ signingKey: `••••••••${SIGNING_KEY.slice(-4)}`, signName: 'Codeword' });
    const id = created.body.id as string;

    // Pointing it at another key id keeps the stored secret only if it is typed again.
    const moved = await api('PATCH', `/v1/sms-accounts/${id}`, { settings: { keyId: 'key-2' } });
    expect(moved.status).to.equal(400);
    expect(moved.body.message).to.match(/^settings\.signingKey: enter the secret again/);
    expect((await api('PATCH', `/v1/sms-accounts/${id}`, { settings: { signName: 'Codeword Co' } })).status).to.equal(200);

    const audit = await api('GET', '/v1/audit-events?limit=200');
    expect(audit.text).to.contain('sms_account.create').and.to.contain(`••••••••${SIGNING_KEY.slice(-4)}`);
    expect(audit.text).not.to.contain(SIGNING_KEY);
    for (const read of [await api('GET', '/v1/sms-accounts'), await api('GET', `/v1/sms-accounts/${id}`)]) expect(read.text).not.to.contain(SIGNING_KEY);
  });

  it('sends by template code with the purpose, the language and the variables (the rendered body beside them)', async () => {
    const [account] = (await api('GET', '/v1/sms-accounts')).body.items.filter((a: { provider: string }) => a.provider === 'pigeon');
    expect((await api('POST', `/v1/sms-accounts/${account.id}/verify`)).body.verification.status).to.equal('valid');
    const { sms } = server.container;
    await sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '482913', accountId: account.id, hints: { requestLanguage: 'es' } });
    await sms.worker.runOnce();
    const sent = outbox.at(-1)!;
    expect(sent).to.deep.include({ to: AU_MOBILE, templateCode: 'TPL_LOGIN', language: 'es', signedWith: SIGNING_KEY });
    expect(sent.params).to.include({ code: '482913', phone_number: AU_MOBILE, application_name: 'Codeword' });
    expect(sent.body).to.contain('482913');
    const log = (await api('GET', `/v1/messages?accountId=${account.id}`)).body.items;
    expect(log[0]).to.include({ provider: 'pigeon', status: 'accepted', providerMessageId: `pigeon-${outbox.length}` });
  });

  it('draws its console form from the descriptor, and the console creates it', async () => {
    const list = await admin.get('/admin/sms-accounts');
    expect(list.html).to.contain('/admin/sms-accounts/new?provider=pigeon').and.to.contain('Pigeon Post');
    const form = await admin.get('/admin/sms-accounts/new?provider=pigeon');
    expect(form.status).to.equal(200);
    expect(form.html).to.contain('Pigeon endpoint').and.to.contain('Pigeon signing key');
    expect(form.html).to.match(/<input id="signingKey" name="signingKey" type="password"/);
    expect(form.html).to.match(/<input id="endpoint" name="endpoint" type="url"/);

    const posted = await admin.post('/admin/sms-accounts', {
      provider: 'pigeon',
      name: 'Pigeon console',
      endpoint: 'https://api.pigeon.example/send',
      keyId: 'key-9',
      signingKey: SIGNING_KEY,
      signName: 'Console',
    });
    expect(posted.status, posted.html.slice(0, 300)).to.equal(303);
    const page = await admin.get(posted.headers.get('location')!);
    expect(page.html).to.contain('value="Console"').and.to.contain(`••••••••${SIGNING_KEY.slice(-4)}`);
    expect(page.html).not.to.contain(SIGNING_KEY);
  });
});
