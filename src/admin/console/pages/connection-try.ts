// "Try" on the SMS connection: a real sign-in of the built-in test app through the hosted SMS screens, then its ID token claims.
import type { Context } from 'koa';
import { clearCookie, readJsonCookie, writeJsonCookie } from '../../../http/json-cookie.ts';
import { createSelfClient, type PendingLogin } from '../../../oidc/self-client.ts';
import type { ConsoleKit } from '../kit.ts';
import type { AdminContextState } from '../session.ts';
import { issueTryTicket, TRY_CALLBACK_PATH, TRY_CLIENT_ID } from '../try-app.ts';

const PENDING = 'cw_admin_try';
const TIME_CLAIMS = new Set(['iat', 'exp', 'auth_time', 'nbf']);

export function connectionTryPages({ get, post, page, issuer }: ConsoleKit): void {
  const rp = createSelfClient(issuer, TRY_CLIENT_ID, async () => undefined);
  const secure = issuer.startsWith('https://');

  /** prompt=login: the admin's own session must not answer for the test; the sign-in screen offers SMS. */
  post('/connection/try', async (ctx) => {
    const { url, pending } = await rp.start({ redirect_uri: `${issuer}${TRY_CALLBACK_PATH}`, scope: 'openid profile phone', prompt: 'login' });
    writeJsonCookie(ctx, PENDING, pending, { secure, path: '/admin', maxAgeMs: 3600 * 1000 });
    // Only this browser, for this request, gets through the test app's sign-in screens.
    issueTryTicket(ctx, { state: pending.state, sid: (ctx.state as AdminContextState).adminSid, secure });
    ctx.status = 303;
    ctx.redirect(url.href);
  });

  get('/connection/try/callback', async (ctx: Context) => {
    const pending = readJsonCookie<PendingLogin>(ctx, PENDING);
    if (!pending) return ctx.redirect('/admin/connection');
    clearCookie(ctx, PENDING, '/admin');
    try {
      const tokens = await rp.finish(new URL(ctx.url, issuer), pending);
      const claims = Object.entries(tokens.claims() ?? {}).map(([name, value]) => ({
        name,
        value: typeof value === 'string' ? value : JSON.stringify(value),
        when: TIME_CLAIMS.has(name) && typeof value === 'number' ? new Date(value * 1000).toISOString() : null,
      }));
      await page(ctx, 'connection-try', 'connection', { claims, error: null });
    } catch (err) {
      const e = err as { error?: string; error_description?: string; message?: string };
      await page(ctx, 'connection-try', 'connection', { claims: [], error: e.error_description ?? e.error ?? e.message ?? 'sign-in failed' }, 400);
    }
  });
}
