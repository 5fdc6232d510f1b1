// The console's sign-in: admins authenticate through Codeword itself (a first-party client); the session is a server-side
// record (ended by logout, a password reset or revokeAccount), the cookie only names it.
import { randomBytes } from 'node:crypto';
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Config } from '../../config/index.ts';
import type { ClientsRepo } from '../../db/clients.ts';
import type { User, UsersRepo } from '../../db/users.ts';
import { AppError } from '../../errors.ts';
import { field, formBody } from '../../http/forms.ts';
import { clearCookie, readJsonCookie, writeJsonCookie } from '../../http/json-cookie.ts';
import { ACR } from '../../oidc/acr.ts';
import { createSelfClient, type PendingLogin } from '../../oidc/self-client.ts';
import type { Csrf } from '../../security/csrf.ts';
import { ADMIN_ROLE, CONSOLE_CLIENT_ID } from '../constants.ts';

const SESSION = 'cw_admin';
const LOGIN = 'cw_admin_login';
const SESSION_SECONDS = 8 * 3600;

/** The stored record; `accountId` is what revokeAccount removes sessions by. */
interface ConsoleSessionRecord {
  accountId: string;
  idToken?: string;
}

/** The cookie: only the random session id (it also binds the console's CSRF tokens). */
interface ConsoleSessionCookie {
  sid: string;
}

export interface AdminContextState {
  admin: User;
  adminSid: string;
}

export const isAdmin = (user: User | undefined): user is User => Boolean(user && !user.disabled && user.roles.includes(ADMIN_ROLE));

export interface ConsoleSessionDeps {
  config: Pick<Config, 'issuer' | 'urlBase'>;
  clients: ClientsRepo;
  users: UsersRepo;
  csrf: Csrf;
  /** Where console sessions are kept (the provider's storage, model `ConsoleSession`: ids hashed, expiry enforced). */
  store: Pick<Adapter, 'upsert' | 'find' | 'destroy'>;
  /**
   * The sign-in decision for the console, asked again with the ID token's amr and auth_time: admins need MFA whenever
   * they can use it, and never get in with an SMS code alone.
   */
  signInComplete: (accountId: string, amr: readonly string[], authTime: number) => Promise<boolean>;
}

/** The CSRF binding of console forms: the random id of the admin's sign-in. */
export const consoleCsrfKey = (sid: string) => `admin:${sid}`;

export function consoleSession({ config, clients, users, csrf, store, signInComplete }: ConsoleSessionDeps) {
  const base = config.urlBase;
  const rp = createSelfClient(base, CONSOLE_CLIENT_ID, async () => (await clients.find(CONSOLE_CLIENT_ID))?.metadata.client_secret);
  const secure = base.startsWith('https://');
  const router = new Router({ prefix: '/admin' });

  const current = async (ctx: Context) => {
    const sid = readJsonCookie<ConsoleSessionCookie>(ctx, SESSION)?.sid;
    if (typeof sid !== 'string' || !sid) return undefined;
    const record = (await store.find(sid)) as (AdapterPayload & ConsoleSessionRecord) | undefined;
    return record && typeof record.accountId === 'string' ? { sid, ...record } : undefined;
  };

  router.get('/login', async (ctx) => {
    const { url, pending } = await rp.start({ redirect_uri: `${base}/admin/callback`, scope: 'openid profile' });
    writeJsonCookie(ctx, LOGIN, pending, { secure, path: '/admin', maxAgeMs: 3600 * 1000 });
    ctx.redirect(url.href);
  });

  router.get('/callback', async (ctx) => {
    const pending = readJsonCookie<PendingLogin>(ctx, LOGIN);
    if (!pending) return ctx.redirect('/admin/login');
    clearCookie(ctx, LOGIN, '/admin');
    const tokens = await rp.finish(new URL(ctx.url, base), pending).catch(() => {
      throw new AppError('access_denied', 400);
    });
    const claims = tokens.claims();
    const user = await users.findById(String(claims?.sub));
    if (!isAdmin(user)) throw new AppError('not_admin', 403);
    // Checked on every console sign-in, whatever the provider's session said: the acr must not be SMS alone, and the
    // proofs must satisfy the console's decision for this admin.
    const amr = Array.isArray(claims?.amr) ? claims.amr.filter((v): v is string => typeof v === 'string') : [];
    const authTime = typeof claims?.auth_time === 'number' ? claims.auth_time * 1000 : 0;
    if (claims?.acr === ACR.sms || !(await signInComplete(user.id, amr, authTime))) throw new AppError('console_acr_insufficient');
    const sid = randomBytes(32).toString('base64url');
    const record: ConsoleSessionRecord = { accountId: user.id, ...(tokens.id_token ? { idToken: tokens.id_token } : {}) };
    await store.upsert(sid, record as unknown as AdapterPayload, SESSION_SECONDS);
    writeJsonCookie(ctx, SESSION, { sid } satisfies ConsoleSessionCookie, { secure, path: '/admin', maxAgeMs: SESSION_SECONDS * 1000 });
    ctx.redirect('/admin');
  });

  router.post('/logout', formBody, async (ctx) => {
    const session = await current(ctx);
    if (!session) {
      clearCookie(ctx, SESSION, '/admin');
      return ctx.redirect('/admin/login');
    }
    csrf.verify(consoleCsrfKey(session.sid), field(ctx, 'csrf'));
    await store.destroy(session.sid);
    clearCookie(ctx, SESSION, '/admin');
    const url = await rp.endSessionUrl({ post_logout_redirect_uri: `${base}/admin`, ...(session.idToken ? { id_token_hint: session.idToken } : {}) });
    ctx.redirect(url.href);
  });

  /** Lets only signed-in admins through (the record and the role are checked on every request); others go to sign-in. */
  const requireAdmin: Middleware = async (ctx: Context, next) => {
    const session = await current(ctx);
    const user = session ? await users.findById(session.accountId) : undefined;
    if (!session || !isAdmin(user)) {
      if (ctx.method !== 'GET') throw new AppError('session_not_found', 401);
      return ctx.redirect('/admin/login');
    }
    Object.assign(ctx.state, { admin: user, adminSid: session.sid } satisfies AdminContextState);
    await next();
  };

  return { router, requireAdmin };
}
