// Development only: a demo relying party at /demo that signs in through Codeword and shows the ID token claims.
import { randomBytes } from 'node:crypto';
import Router from '@koa/router';
import * as oidc from 'openid-client';
import type { Config } from '../config/index.ts';
import type { ClientsRepo } from '../db/clients.ts';
import { AppError } from '../errors.ts';
import type { ScreenRenderer } from '../views.ts';

export const DEMO_CLIENT_ID = 'codeword-demo';
const COOKIE = 'cw_demo';

/** Registers (or refreshes) the demo client; its secret is derived anew on each start. */
export async function ensureDemoClient(clients: ClientsRepo, issuer: string): Promise<void> {
  await clients.upsert(
    {
      client_id: DEMO_CLIENT_ID,
      client_secret: randomBytes(24).toString('base64url'),
      client_name: 'Codeword demo',
      redirect_uris: [`${issuer}/demo/callback`],
      post_logout_redirect_uris: [`${issuer}/demo`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    { firstParty: true },
  );
}

export function demoRoutes({ config, clients, screens }: { config: Readonly<Config>; clients: ClientsRepo; screens: ScreenRenderer }): Router {
  const router = new Router({ prefix: '/demo' });
  let rp: Promise<oidc.Configuration> | undefined;
  const relyingParty = () => {
    rp ??= clients.find(DEMO_CLIENT_ID).then((c) =>
      oidc.discovery(new URL(config.issuer), DEMO_CLIENT_ID, c?.metadata.client_secret, undefined, {
        execute: config.issuer.startsWith('http://') ? [oidc.allowInsecureRequests] : [],
      }),
    );
    return rp.catch((err) => {
      rp = undefined;
      throw err;
    });
  };
  const cookieOpts = { signed: true, httpOnly: true, sameSite: 'lax' as const, secure: config.issuer.startsWith('https://') };

  router.get('/', async (ctx) => {
    const raw = ctx.cookies.get(COOKIE, { signed: true });
    const state = raw ? (JSON.parse(Buffer.from(raw, 'base64url').toString()) as { claims?: Record<string, unknown> }) : {};
    await screens.render(ctx, 'demo', { lang: 'en', claims: state.claims ?? null });
  });

  router.get('/login', async (ctx) => {
    const rpConfig = await relyingParty();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    ctx.cookies.set(COOKIE, Buffer.from(JSON.stringify({ verifier, state, nonce })).toString('base64url'), cookieOpts);
    const url = oidc.buildAuthorizationUrl(rpConfig, {
      redirect_uri: `${config.issuer}/demo/callback`,
      scope: 'openid profile email phone',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(typeof ctx.query.ui_locales === 'string' ? { ui_locales: ctx.query.ui_locales } : {}),
    });
    ctx.redirect(url.href);
  });

  router.get('/callback', async (ctx) => {
    const raw = ctx.cookies.get(COOKIE, { signed: true });
    if (!raw) return ctx.redirect('/demo');
    const pending = JSON.parse(Buffer.from(raw, 'base64url').toString()) as { verifier: string; state: string; nonce: string };
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(await relyingParty(), new URL(ctx.url, config.issuer), {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
      });
    } catch {
      throw new AppError('access_denied', 400);
    }
    const claims = tokens.claims();
    ctx.cookies.set(COOKIE, Buffer.from(JSON.stringify({ claims, idToken: tokens.id_token })).toString('base64url'), cookieOpts);
    ctx.redirect('/demo');
  });

  router.get('/logout', async (ctx) => {
    const raw = ctx.cookies.get(COOKIE, { signed: true });
    const state = raw ? (JSON.parse(Buffer.from(raw, 'base64url').toString()) as { idToken?: string }) : {};
    ctx.cookies.set(COOKIE, null);
    const url = oidc.buildEndSessionUrl(await relyingParty(), {
      post_logout_redirect_uri: `${config.issuer}/demo`,
      ...(state.idToken ? { id_token_hint: state.idToken } : {}),
    });
    ctx.redirect(url.href);
  });

  return router;
}
