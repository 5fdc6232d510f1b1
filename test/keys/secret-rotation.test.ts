// Rotating SECRET_KEY with the old one in PREVIOUS_SECRET_KEYS keeps everything issued before working; after
// `keys:reencrypt` the old key can be dropped and the next start-up works; a key nobody configured is named, not crashed on.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { runKeyCommand } from '../../src/cli/keys.ts';
import { createSecretBox } from '../../src/security/secrets.ts';
import { tokenFor } from '../admin/api/harness.ts';
import { authorizationRequest, createUser, exchange, REDIRECT_URI, registerClient, submitLogin } from '../helpers/rp.ts';
import { type Page, UserAgent } from '../helpers/user-agent.ts';
import { KEY_1, KEY_2, type Restartable, startRestartable } from './harness.ts';

const ADMIN_CLIENT_ID = 'rotation-admin';
const ADMIN_CLIENT_SECRET = 'rotation-admin-secret-0123456789abcdef';
const PASSWORD = 'correct horse battery staple';
const CODE_TARGET = { purpose: 'login' as const, flowId: 'flow-before-rotation', phone: '+61491570156' };
const RECIPIENT = '+61491570157';

describe('rotating SECRET_KEY', () => {
  let r: Restartable;
  let rp: Awaited<ReturnType<typeof registerClient>>;
  let refreshToken: string;
  let adminToken: string;
  let openForm: { ua: UserAgent; page: Page };
  let code: string;

  const adminApi = (token: string) => fetch(`${r.url}/admin/api/v1/users`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  const sealedColumns = async () => {
    const { db } = r.container;
    return [
      ...(await db('keystore').pluck('sealed')),
      ...(await db('clients').whereNotNull('client_secret').pluck('client_secret')),
      ...(await db('sms_messages').whereNotNull('body_sealed').pluck('body_sealed')),
    ] as string[];
  };

  before(async () => {
    r = await startRestartable(KEY_1, { env: { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET } });
    await createUser(r.server);
    rp = await registerClient(r.server);

    // A signed-in user with a refresh token.
    const ua = new UserAgent();
    const req = await authorizationRequest(rp.config, { scope: 'openid offline_access', prompt: 'consent' });
    const callback = await submitLogin(ua, await ua.follow(req.url.href), 'alice', PASSWORD);
    refreshToken = (await exchange(rp.config, req, callback.url)).refresh_token!;
    // An admin API token, a sign-in form left open (its CSRF token), a code sent, a message in the log.
    adminToken = (await tokenFor(r.url, ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, 'admin')).body.access_token;
    const pending = new UserAgent();
    openForm = { ua: pending, page: await pending.follow((await authorizationRequest(rp.config)).url.href) };
    code = (await r.container.codes.issue({ ...CODE_TARGET, length: 6, lifetimeSeconds: 3600, maxAttempts: 5 })).code;
    await r.container.sms.sender.enqueue({ purpose: 'login', to: RECIPIENT, code: '864209' });
    await r.container.sms.worker.runOnce();
    expect(refreshToken).to.be.a('string');
    expect((await adminApi(adminToken)).status).to.equal(200);
  });
  after(() => r?.close());

  describe('with the former key in PREVIOUS_SECRET_KEYS', () => {
    before(() => r.restart(KEY_2, [KEY_1]));

    it('still accepts the refresh token and the admin API token issued before', async () => {
      const refreshed = await oidc.refreshTokenGrant(rp.config, refreshToken);
      expect(refreshed.access_token).to.be.a('string');
      refreshToken = refreshed.refresh_token ?? refreshToken; // refresh tokens rotate
      expect((await adminApi(adminToken)).status).to.equal(200);
    });

    it('still accepts the CSRF token of a form opened before', async () => {
      const callback = await submitLogin(openForm.ua, openForm.page, 'alice', PASSWORD);
      expect(callback.url.startsWith(REDIRECT_URI), callback.html.slice(0, 300)).to.equal(true);
    });

    it('still accepts a code sent before, once', async () => {
      expect(await r.container.codes.verify({ ...CODE_TARGET, code })).to.deep.equal({ ok: true });
      expect(await r.container.codes.verify({ ...CODE_TARGET, code })).to.include({ ok: false });
    });

    it('still finds messages sent before when searching by recipient', async () => {
      const found = await r.container.sms.devInbox!.list({ to: RECIPIENT });
      expect(found.map((m) => m.text.slice(0, 6))).to.deep.equal(['864209']);
    });

    it("finds them in the admin API's message log by full number, and on the user's page", async () => {
      const res = await fetch(`${r.url}/admin/api/v1/messages?to=${encodeURIComponent(RECIPIENT)}`, {
        headers: { authorization: `Bearer ${adminToken}`, accept: 'application/json' },
      });
      const body = (await res.json()) as { items: { purpose: string }[] };
      expect(res.status, JSON.stringify(body)).to.equal(200);
      expect(body.items.map((m) => m.purpose)).to.deep.equal(['login']);
      expect(await r.container.admin.messages.recentTo(RECIPIENT)).to.have.length(1);
    });

    it('re-encrypts every secret at rest under the new key', async () => {
      const lines: string[] = [];
      const exit = await runKeyCommand('keys:reencrypt', {}, { db: r.container.db, box: r.container.box, print: (l) => lines.push(l) });
      expect(exit, lines.join('\n')).to.equal(0);
      expect(lines.join('\n')).to.match(/may now be removed from PREVIOUS_SECRET_KEYS/);
      const current = `enc1.${createSecretBox(KEY_2).currentKeyId}.`;
      const sealed = await sealedColumns();
      expect(sealed.length).to.be.greaterThan(3);
      for (const s of sealed) expect(s.startsWith(current), s.slice(0, 20)).to.equal(true);
    });
  });

  describe('after re-encryption, with the former key removed', () => {
    before(() => r.restart(KEY_2));

    it('starts, and client secrets and the tokens used during the overlap still work', async () => {
      expect((await tokenFor(r.url, ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, 'admin')).status).to.equal(200);
      expect((await adminApi(adminToken)).status).to.equal(200);
      // The admin token was used during the overlap: it was moved to the new key's hash then, so it outlives the old key.
      expect((await oidc.refreshTokenGrant(rp.config, refreshToken)).access_token).to.be.a('string');
      const ua = new UserAgent();
      const req = await authorizationRequest(rp.config);
      const callback = await submitLogin(ua, await ua.follow(req.url.href), 'alice', PASSWORD);
      expect((await exchange(rp.config, req, callback.url)).claims()!.sub).to.be.a('string');
    });

    it('with a key nobody configured, start-up fails with an error naming what cannot be decrypted', async () => {
      const err = await r.build('a-third-key-that-was-never-configured-here-0123').catch((e: unknown) => e);
      expect(String(err)).to.match(/cannot decrypt keystore entry "oidc\.jwks": no key for key id [0-9a-f]{8}/);
      expect(String(err)).to.contain('PREVIOUS_SECRET_KEYS');
    });
  });
});
