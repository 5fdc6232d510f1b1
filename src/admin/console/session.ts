// The console's sign-in: admins authenticate through Codeword itself (a first-party client); a signed cookie holds the session.
import { randomBytes } from 'node:crypto';
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Config } from '../../config/index.ts';
import type { ClientsRepo } from '../../db/clients.ts';
import type { User, UsersRepo } from '../../db/users.ts';
import { AppError } from '../../errors.ts';
import { clearCookie, readJsonCookie, writeJsonCookie } from '../../http/json-cookie.ts';
import { field, formBody } from '../../http/forms.ts';
import { createSelfClient, type PendingLogin } from '../../oidc/self-client.ts';
import type { Csrf } from '../../security/csrf.ts';
import { ADMIN_ROLE, CONSOLE_CLIENT_ID } from '../bootstrap.ts';

const SESSION = 'cw_admin';
const LOGIN = 'cw_admin_login';
const SESSION_MS = 8 * 3600 * 1000;

interface ConsoleSession {
  sub: string;
  /** Random per sign-in; console CSRF tokens are bound to it. */
  sid: string;
  exp: number;
  idToken?: string;
}

export interface AdminContextState {
  admin: User;
  adminSid: string;
}

export const isAdmin = (user: User | undefined): user is User => Boolean(user && !user.disabled && user.roles.includes(ADMIN_ROLE));

export interface ConsoleSessionDeps {
  config: Readonly<Config>;
  clients: ClientsRepo;
  users: UsersRepo;
  csrf: Csrf;
  now?: () => number;
}

/** The CSRF binding of console forms: the random id of the admin's sign-in. */
export const consoleCsrfKey = (sid: string) => `admin:${sid}`;

export function consoleSession({ config, clients, users, csrf, now = Date.now }: ConsoleSessionDeps) {
  const rp = createSelfClient(config.issuer, CONSOLE_CLIENT_ID, async () => (await clients.find(CONSOLE_CLIENT_ID))?.metadata.client_secret);
  const secure = config.issuer.startsWith('https://');
  const router = new Router({ prefix: '/admin' });

  router.get('/login', async (ctx) => {
    const { url, pending } = await rp.start({ redirect_uri: `${config.issuer}/admin/callback`, scope: 'openid profile' });
    writeJsonCookie(ctx, LOGIN, pending, { secure, path: '/admin', maxAgeMs: 3600 * 1000 });
    ctx.redirect(url.href);
  });

  router.get('/callback', async (ctx) => {
    const pending = readJsonCookie<PendingLogin>(ctx, LOGIN);
    if (!pending) return ctx.redirect('/admin/login');
    clearCookie(ctx, LOGIN, '/admin');
    const tokens = await rp.finish(new URL(ctx.url, config.issuer), pending).catch(() => {
      throw new AppError('access_denied', 400);
    });
    const user = await users.findById(String(tokens.claims()?.sub));
    if (!isAdmin(user)) throw new AppError('not_admin', 403);
    const session: ConsoleSession = { sub: user.id, sid: randomBytes(16).toString('base64url'), exp: now() + SESSION_MS, idToken: tokens.id_token };
    writeJsonCookie(ctx, SESSION, session, { secure, path: '/admin', maxAgeMs: SESSION_MS });
    ctx.redirect('/admin');
  });

  router.post('/logout', formBody, async (ctx) => {
    const session = readJsonCookie<ConsoleSession>(ctx, SESSION);
    if (!session) return ctx.redirect('/admin/login');
    csrf.verify(consoleCsrfKey(session.sid), field(ctx, 'csrf'));
    clearCookie(ctx, SESSION, '/admin');
    const url = await rp.endSessionUrl({ post_logout_redirect_uri: `${config.issuer}/admin`, ...(session?.idToken ? { id_token_hint: session.idToken } : {}) });
    ctx.redirect(url.href);
  });

  /** Lets only signed-in admins through (the role is checked again on every request); others go to sign-in. */
  const requireAdmin: Middleware = async (ctx: Context, next) => {
    const session = readJsonCookie<ConsoleSession>(ctx, SESSION);
    const user = session && session.exp > now() ? await users.findById(session.sub) : undefined;
    if (!session || !isAdmin(user)) {
      if (ctx.method !== 'GET') throw new AppError('session_not_found', 401);
      return ctx.redirect('/admin/login');
    }
    Object.assign(ctx.state, { admin: user, adminSid: session.sid } satisfies AdminContextState);
    await next();
  };

  return { router, requireAdmin };
}
