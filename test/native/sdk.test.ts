// The official auth0 SDK against Codeword behind TLS with an Auth0-style issuer (`https://host/`): send, log in, refresh.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import * as jose from 'jose';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/index.ts';
import { buildContainer, type Container } from '../../src/container.ts';
import { DEFAULT_PROVIDER_HOSTS } from '../../src/sms/index.ts';
import { startFakeTwilio, type FakeTwilio } from '../fakes/fake-twilio.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { TEST_SECRET } from '../helpers/server.ts';
import { KNOWN, OTP_GRANT } from './harness.ts';

const script = fileURLToPath(new URL('./sdk-client.mjs', import.meta.url));

/** A throwaway certificate for 127.0.0.1, as the bench makes one. */
function certificate() {
  const dir = mkdtempSync(join(tmpdir(), 'cw-sdk-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { dir, cert, key };
}

describe('the official auth0 SDK against Codeword (TLS, issuer with a trailing slash)', () => {
  let tls: ReturnType<typeof certificate>;
  let server: ReturnType<typeof createServer>;
  let container: Container;
  let database: TestDatabase;
  let fake: FakeTwilio;
  let domain: string;
  let secret: string;
  let userId: string;

  before(async () => {
    tls = certificate();
    server = createServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    domain = `127.0.0.1:${port}`;
    const issuer = `https://${domain}/`;
    database = await createTestDatabase();
    const base = loadConfig({ NODE_ENV: 'test', SECRET_KEY: TEST_SECRET, ISSUER: issuer, PORT: String(port), DEMO_CLIENT: 'false' });
    container = await buildContainer(Object.freeze({ ...base, database: database.database }), {
      logger: pino({ level: process.env.TEST_LOG ?? 'silent' }),
      maintenanceIntervalMs: 0,
      smsWorker: false,
      reminders: { start: false },
      sms: { providerHosts: [...DEFAULT_PROVIDER_HOSTS, '127.0.0.1'] },
    });
    server.on('request', container.app.callback());
    fake = await startFakeTwilio();
    const account = await container.sms.accounts.create({
      name: 'Twilio',
      provider: 'twilio',
      isDefault: true,
      settings: { accountSid: fake.accountSid, authToken: fake.authToken, from: fake.fromNumber, apiBaseUrl: fake.url },
    });
    await container.sms.accounts.verify(account.id);
    const client = await container.clients.upsert(
      { client_id: 'node-backend', client_name: 'Node backend', redirect_uris: [], grant_types: [OTP_GRANT, 'refresh_token'], response_types: [], token_endpoint_auth_method: 'client_secret_post' },
      { firstParty: true },
    );
    secret = client.client_secret!;
    await container.smsConnection.update({ enabled: true, accountId: account.id, clientIds: ['node-backend'] });
    userId = (await container.users.create({ phoneNumber: KNOWN, phoneNumberVerified: true, locale: 'en' })).id;
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await fake?.close();
    await container?.close();
    await database?.drop();
    if (tls) rmSync(tls.dir, { recursive: true, force: true });
  });

  it('sendSMS reaches the fake Twilio in the x-request-language language; loginWithSMS validates the ID token; the refresh token works', async () => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.cert, DOMAIN: domain, CLIENT_ID: 'node-backend', CLIENT_SECRET: secret, PHONE: KNOWN, LANGUAGE: 'es' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const steps: Record<string, { data?: Record<string, string>; message?: string; body?: unknown }> = {};
    const lines = createInterface({ input: child.stdout! });
    const done = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    for await (const line of lines) {
      const step = JSON.parse(line) as { step: string; data?: Record<string, string> };
      steps[step.step] = step;
      if (step.step === 'error') break;
      if (step.step === 'sent') {
        await container.sms.worker.runOnce();
        const sms = fake.messagesTo(KNOWN).at(-1)!;
        const [logged] = await container.sms.sender.log({ limit: 1 });
        expect(logged!.language, 'the x-request-language sent through the SDK headers').to.equal('es');
        expect(sms.body).to.not.include('sign-in code');
        child.stdin!.write(`${fake.lastCode(KNOWN)}\n`);
      }
      if (step.step === 'refresh') break;
    }
    await done;
    expect(steps.error, JSON.stringify(steps.error)).to.equal(undefined);
    const idToken = steps.login!.data!.id_token!;
    const claims = jose.decodeJwt(idToken);
    expect(claims.iss).to.equal(`https://${domain}/`);
    expect(claims.sub).to.equal(userId);
    expect(claims.amr).to.include('sms');
    expect(steps.refresh!.data!.access_token).to.be.a('string');
    expect(steps.refresh!.data!.id_token).to.be.a('string');
  });
});
