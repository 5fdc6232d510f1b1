// Development only: a demo relying party at /demo that signs in through Codeword and shows the ID token claims.
import { randomBytes } from 'node:crypto';
import Router from '@koa/router';
import type { Config } from '../config/index.ts';
import type { ClientsRepo } from '../db/clients.ts';
import { AppError } from '../errors.ts';
import { clearCookie, readJsonCookie, writeJsonCookie } from '../http/json-cookie.ts';
import { createSelfClient, type PendingLogin } from '../oidc/self-client.ts';
import type { ScreenRenderer } from '../views.ts';

export const DEMO_CLIENT_ID = 'codeword-demo';
const COOKIE = 'cw_demo';

/** Registers (or refreshes) the demo client; its secret is made once and kept, like the console's. */
export async function ensureDemoClient(clients: ClientsRepo, urlBase: string): Promise<void> {
  const stored = (await clients.find(DEMO_CLIENT_ID))?.metadata.client_secret;
  await clients.upsert(
    {
      client_id: DEMO_CLIENT_ID,
      client_secret: typeof stored === 'string' && stored ? stored : randomBytes(24).toString('base64url'),
      client_name: 'Codeword demo',
      redirect_uris: [`${urlBase}/demo/callback`],
      post_logout_redirect_uris: [`${urlBase}/demo`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    { firstParty: true },
  );
}

interface DemoState {
  pending?: PendingLogin;
  claims?: Record<string, unknown>;
  idToken?: string;
}

export function demoRoutes({ config, clients, screens }: { config: Readonly<Config>; clients: ClientsRepo; screens: ScreenRenderer }): Router {
  const router = new Router({ prefix: '/demo' });
  const rp = createSelfClient(config.urlBase, DEMO_CLIENT_ID, async () => (await clients.find(DEMO_CLIENT_ID))?.metadata.client_secret);
  const secure = config.urlBase.startsWith('https://');

  router.get('/', async (ctx) => {
    await screens.render(ctx, 'demo', { lang: 'en', claims: readJsonCookie<DemoState>(ctx, COOKIE)?.claims ?? null });
  });

  router.get('/login', async (ctx) => {
    const { url, pending } = await rp.start({
      redirect_uri: `${config.urlBase}/demo/callback`,
      scope: 'openid profile email phone',
      ...(typeof ctx.query.ui_locales === 'string' ? { ui_locales: ctx.query.ui_locales } : {}),
    });
    writeJsonCookie(ctx, COOKIE, { pending } satisfies DemoState, { secure });
    ctx.redirect(url.href);
  });

  router.get('/callback', async (ctx) => {
    const pending = readJsonCookie<DemoState>(ctx, COOKIE)?.pending;
    if (!pending) return ctx.redirect('/demo');
    const tokens = await rp.finish(new URL(ctx.url, config.urlBase), pending).catch(() => {
      throw new AppError('access_denied', 400);
    });
    writeJsonCookie(ctx, COOKIE, { claims: tokens.claims(), idToken: tokens.id_token } satisfies DemoState, { secure });
    ctx.redirect('/demo');
  });

  router.get('/logout', async (ctx) => {
    const idToken = readJsonCookie<DemoState>(ctx, COOKIE)?.idToken;
    clearCookie(ctx, COOKIE);
    const url = await rp.endSessionUrl({ post_logout_redirect_uri: `${config.urlBase}/demo`, ...(idToken ? { id_token_hint: idToken } : {}) });
    ctx.redirect(url.href);
  });

  return router;
}
