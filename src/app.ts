// The Koa application: security headers, our routes (screens, health, assets), then oidc-provider.
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Config } from './config/index.ts';
import type { Knex } from './db/knex.ts';
import { errorScreens } from './http/errors.ts';
import { type Logger, logAppError } from './logger.ts';
import { projectPath } from './paths.ts';
import { securityHeaders } from './security/headers.ts';
import type { ScreenRenderer } from './views.ts';

// Static assets (stylesheet, small scripts) are read once; there are few and they are small.
const publicDir = projectPath('public/');
const assets = new Map(readdirSync(publicDir).map((name) => [name, readFileSync(`${publicDir}${name}`)]));
const assetType = (name: string) => (name.endsWith('.css') ? 'text/css' : 'application/javascript');

/** oidc-provider's own endpoints (its default routes): none of our routers serves a path under them. */
const PROTOCOL_PATH = /^\/(?:auth|token|jwks|me|session|request|reg|device|backchannel|\.well-known\/openid-configuration)(?:\/|$)/;

export interface AppDeps {
  config: Readonly<Config>;
  db: Knex;
  provider: Provider;
  screens: ScreenRenderer;
  logger: Logger;
  cookieKeys: string[];
  routers: Router[];
  /** GET /metrics and /readyz, and the request timer (HTTP latency histogram). */
  metrics?: { router: Router; httpTimer: Koa.Middleware };
  /** Runs first, around everything else (e.g. the scope the interaction memory reads the request's cookies in). */
  requestScope?: Middleware;
  /** Runs after our routers, just before the provider (e.g. path aliases, body translation). */
  beforeProvider?: Middleware[];
}

/**
 * What the provider sees of a request: Host and protocol from ISSUER (so discovery and every URL it writes follow
 * the configured issuer, never a client's Host or X-Forwarded-Host), and the one client address we resolved.
 */
export function issuerHeaders(headers: IncomingHttpHeaders, issuer: URL, ip: string): void {
  headers.host = issuer.host;
  headers['x-forwarded-proto'] = issuer.protocol.slice(0, -1);
  headers['x-forwarded-for'] = ip;
  delete headers['x-forwarded-host'];
  delete headers.forwarded;
}

export function createApp({ config, db, provider, screens, logger, cookieKeys, routers, metrics, requestScope, beforeProvider = [] }: AppDeps): Koa {
  // With N proxies in front, Koa takes the N-th X-Forwarded-For entry from the right; entries further left are the client's own.
  const hops = config.trustProxyHops;
  const app = new Koa({ proxy: hops > 0, maxIpsCount: hops, keys: cookieKeys });
  app.silent = true;
  app.on('error', logAppError(logger));
  // The provider is a Koa app of its own: its errors (e.g. a malformed body at /token) go to the same logger.
  (provider as unknown as Koa).on('error', logAppError(logger));
  const issuer = new URL(config.issuer);
  const secure = issuer.protocol === 'https:';

  const base = new Router();
  base.get('/healthz', async (ctx) => {
    try {
      await db.raw('select 1 as ok');
      ctx.body = { status: 'ok', database: 'reachable' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'error', database: 'unreachable' };
    }
  });
  base.get('/assets/:name', (ctx) => {
    const body = assets.get(ctx.params.name!);
    if (!body) return;
    ctx.type = assetType(ctx.params.name!);
    ctx.set('cache-control', 'public, max-age=3600');
    ctx.body = body;
  });

  if (requestScope) app.use(requestScope);
  // Behind a TLS-terminating proxy the hop may be plain HTTP; cookies follow the public issuer's scheme.
  if (secure) {
    app.use(async (ctx, next) => {
      ctx.cookies.secure = true;
      await next();
    });
  }
  if (metrics) app.use(metrics.httpTimer);
  app.use(securityHeaders(secure));

  app.use(errorScreens(screens, logger));

  // Whatever our routers do not handle belongs to the provider (which renders its own errors), through
  // `beforeProvider`. Its protocol endpoints go there at once, without crossing our routers; security headers are set
  // above for its responses too.
  const oidc = provider.callback();
  const toProvider: Koa.Middleware = async (ctx) => {
    ctx.respond = false;
    issuerHeaders(ctx.req.headers, issuer, ctx.ip);
    await oidc(ctx.req, ctx.res);
  };
  const chain: Koa.Middleware[] = [...beforeProvider, toProvider];
  const toProviderChain = (ctx: Koa.Context, i = 0): Promise<unknown> => Promise.resolve(chain[i]!(ctx as never, () => toProviderChain(ctx, i + 1) as Promise<void>));
  app.use((ctx, next) => (PROTOCOL_PATH.test(ctx.path) ? toProviderChain(ctx) : next()));
  for (const r of [base, ...(metrics ? [metrics.router] : []), ...routers]) app.use(r.routes());
  app.use((ctx) => toProviderChain(ctx));
  return app;
}
