// The Koa application: security headers, our routes (screens, health, assets), then oidc-provider.
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Router from '@koa/router';
import Koa from 'koa';
import type Provider from 'oidc-provider';
import type { Config } from './config/index.ts';
import type { Knex } from './db/knex.ts';
import { errorScreens } from './http/errors.ts';
import { clientIp, createProviderFront, pathOf, type ProviderEdge } from './http/provider-front.ts';
import { type Logger, logAppError } from './logger.ts';
import { projectPath } from './paths.ts';
import { applySecurityHeaders, securityHeaderList, securityHeaders } from './security/headers.ts';
import type { ScreenRenderer } from './views.ts';

// Static assets (stylesheet, small scripts) are read once; there are few and they are small.
const publicDir = projectPath('public/');
const assets = new Map(readdirSync(publicDir).map((name) => [name, readFileSync(`${publicDir}${name}`)]));
const assetType = (name: string) => (name.endsWith('.css') ? 'text/css' : 'application/javascript');

export interface AppDeps {
  config: Readonly<Config>;
  db: Knex;
  provider: Provider;
  screens: ScreenRenderer;
  logger: Logger;
  cookieKeys: string[];
  routers: Router[];
  /** GET /metrics and /readyz, and the request timers (HTTP latency histogram): Koa's, and one for the provider's endpoints. */
  metrics?: { router: Router; httpTimer: Koa.Middleware; timeRequest: () => (method: string, route: string, status: number) => void };
  /** Steps just before the provider on the paths each names (e.g. path aliases, body translation). */
  providerEdges?: ProviderEdge[];
  /** Runs every request, the provider's endpoints included (e.g. in the scope where the interaction memory sees its cookies). */
  requestScope?: RequestScope;
}

type ServerHandler = ReturnType<Koa['callback']>;
export type RequestScope = <T>(req: IncomingMessage, res: ServerResponse, handle: () => T) => T;

/** A Koa app whose server callback first offers each request to `direct` (which answers it, or returns undefined). */
class FrontedApp extends Koa {
  direct?: (req: IncomingMessage, res: ServerResponse) => Promise<void> | undefined;
  scope?: RequestScope;

  override callback(): ServerHandler {
    const koa = super.callback();
    const direct = this.direct;
    const scope = this.scope;
    // Served over HTTP/1.1 (node:http); Koa's type also admits HTTP/2's request and response.
    const handle: ServerHandler = direct ? (req, res) => direct(req as IncomingMessage, res as ServerResponse) ?? koa(req, res) : koa;
    return scope ? (req, res) => scope(req as IncomingMessage, res as ServerResponse, () => handle(req, res)) : handle;
  }
}

export function createApp({ config, db, provider, screens, logger, cookieKeys, routers, metrics, providerEdges = [], requestScope }: AppDeps): Koa {
  // With N proxies in front, Koa takes the N-th X-Forwarded-For entry from the right; entries further left are the client's own.
  const hops = config.trustProxyHops;
  const app = new FrontedApp({ proxy: hops > 0, maxIpsCount: hops, keys: cookieKeys });
  app.scope = requestScope;
  app.silent = true;
  app.on('error', logAppError(logger));
  // The provider is a Koa app of its own: its errors (e.g. a malformed body at /token) go to the same logger.
  (provider as unknown as Koa).on('error', logAppError(logger));
  const issuer = new URL(config.issuer);
  const secure = issuer.protocol === 'https:';
  const headers = securityHeaderList(secure);
  const front = createProviderFront(provider, issuer, providerEdges);

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

  // Behind a TLS-terminating proxy the hop may be plain HTTP; cookies follow the public issuer's scheme.
  if (secure) {
    app.use(async (ctx, next) => {
      ctx.cookies.secure = true;
      await next();
    });
  }
  if (metrics) app.use(metrics.httpTimer);
  app.use(securityHeaders(secure, headers));

  app.use(errorScreens(screens, logger));

  for (const r of [base, ...(metrics ? [metrics.router] : []), ...routers]) app.use(r.routes());
  // Whatever our routers do not handle belongs to the provider (which renders its own errors, a 404 included).
  app.use((ctx) => {
    ctx.respond = false;
    return front.handOver(ctx.req, ctx.res, ctx.path, ctx.ip);
  });

  // The provider's endpoints (and the edges' names for them) skip Koa's context, our middlewares and routers: none of
  // our routes lives there, and the provider builds a context of its own. What they need of the middlewares above is
  // done here: the security headers, the client address as Koa resolves it, the latency histogram, and an error
  // (an edge's, e.g. a body stream that broke) logged and answered without a stack trace.
  const direct = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const done = metrics?.timeRequest();
    try {
      applySecurityHeaders(res, headers);
      await front.handOver(req, res, path, clientIp(req, hops));
    } catch (err) {
      logger.error({ err, path }, 'request failed');
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ error: 'server_error', error_description: 'internal error' }));
      } else res.destroy();
    } finally {
      done?.(req.method ?? '', 'oidc', res.statusCode);
    }
  };
  app.direct = (req, res) => {
    const path = pathOf(req.url);
    return path !== undefined && front.owns(path) ? direct(req, res, path) : undefined;
  };
  return app;
}
