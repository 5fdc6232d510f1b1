// The baseline: a bare oidc-provider 9 with the same knex adapter (src/oidc/adapter.ts) and tables, a static client,
// accounts from memory, and a minimal interaction (an auto-submitting form; login and consent granted in one step).
// The same client may also use client credentials (scope admin:read), for the token endpoint's floor.
// It shows what the protocol and storage cost without Codeword's own work. Env: PORT, DATABASE_URL, and
// BENCH_ADAPTER=lean for the lean baseline: mysql2 prepared statements (bench/lean-adapter.ts) instead of knex.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import type { ClientsRepo } from '../src/db/clients.ts';
import { createKnex, migrateLatest } from '../src/db/knex.ts';
import { createAdapter } from '../src/oidc/adapter.ts';
import { createLeanAdapter } from './lean-adapter.ts';
import { BASELINE_CLIENT_SECRET, REDIRECT_URI, RP_CLIENT_ID } from './lib/seed-types.ts';

const port = Number(process.env.PORT);
const url = process.env.DATABASE_URL ?? '';
const database = url.startsWith('sqlite:') ? { client: 'better-sqlite3' as const, filename: url.slice(7) } : { client: 'mysql2' as const, url };
const issuer = `http://127.0.0.1:${port}`;

const lean = process.env.BENCH_ADAPTER === 'lean';
if (lean && database.client !== 'mysql2') throw new Error('the lean baseline runs on MariaDB/MySQL only');
const db = lean ? undefined : createKnex(database);
if (db) await migrateLatest(db);
const leanStore = lean ? await createLeanAdapter(url) : undefined;

// Clients are static configuration here, so the adapter is never asked for one.
const noClients = { find: async () => undefined } as unknown as ClientsRepo;
const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
const jwk = await exportJWK(privateKey);
const HOUR = 3600;

const configuration: Configuration = {
  adapter: leanStore ? leanStore.Adapter : createAdapter({ db: db!, clients: noClients, hashId: (id) => id }),
  clients: [
    {
      client_id: RP_CLIENT_ID,
      client_secret: BASELINE_CLIENT_SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'openid admin:read',
    },
  ],
  scopes: ['openid', 'offline_access', 'admin:read'],
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  jwks: { keys: [{ ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' }] } as Configuration['jwks'],
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  claims: { openid: ['sub', 'amr', 'acr', 'auth_time'] },
  pkce: { required: () => true },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  features: { devInteractions: { enabled: false }, clientCredentials: { enabled: true } },
  ttl: { AccessToken: HOUR, AuthorizationCode: 60, ClientCredentials: 10 * 60, IdToken: HOUR, Interaction: HOUR, Grant: 14 * 24 * HOUR, Session: 14 * 24 * HOUR, RefreshToken: 14 * 24 * HOUR },
  async renderError(ctx, out) {
    ctx.type = 'json';
    ctx.body = out;
  },
};
const provider = new Provider(issuer, configuration);
const oidc = provider.callback();

const readForm = (req: IncomingMessage) =>
  new Promise<URLSearchParams>((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      data += chunk;
      if (data.length > 16_384) req.destroy();
    });
    req.on('end', () => resolve(new URLSearchParams(data)));
    req.on('error', reject);
  });

const server = createServer(async (req, res) => {
  const path = req.url?.split('?')[0] ?? '/';
  const show = /^\/interaction\/([^/]+)$/.exec(path);
  const submit = /^\/interaction\/([^/]+)\/login$/.exec(path);
  try {
    if (show && req.method === 'GET') {
      const details = await provider.interactionDetails(req, res);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(
        `<!doctype html><title>Sign in</title><form method="post" action="/interaction/${details.uid}/login">` +
          `<input type="hidden" name="login" value=""></form><script>document.forms[0].submit()</script>`,
      );
      return;
    }
    if (submit && req.method === 'POST') {
      const form = await readForm(req);
      const details = await provider.interactionDetails(req, res);
      const accountId = form.get('login') || 'anonymous';
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
      return;
    }
    await oidc(req, res);
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(err));
  }
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ ready: { issuer } })}\n`));

const stop = () => {
  server.closeAllConnections();
  server.close();
  (db ? db.destroy() : leanStore!.close()).finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
