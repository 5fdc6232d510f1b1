// The Koa application: security headers, our routes (screens, health, assets), then oidc-provider.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import Koa from 'koa';
import type Provider from 'oidc-provider';
import type { Config } from './config/index.ts';
import type { Knex } from './db/knex.ts';
import { errorScreens } from './http/errors.ts';
import type { Logger } from './logger.ts';
import { securityHeaders } from './security/headers.ts';
import type { ScreenRenderer } from './views.ts';

const stylesheet = readFileSync(fileURLToPath(new URL('../public/style.css', import.meta.url)));

export interface AppDeps {
  config: Readonly<Config>;
  db: Knex;
  provider: Provider;
  screens: ScreenRenderer;
  logger: Logger;
  cookieKeys: string[];
  routers: Router[];
}

export function createApp({ config, db, provider, screens, logger, cookieKeys, routers }: AppDeps): Koa {
  const app = new Koa({ proxy: config.trustProxy, keys: cookieKeys });
  app.silent = true;
  app.on('error', (err) => logger.error({ err }, 'unhandled error'));

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
  base.get('/assets/style.css', (ctx) => {
    ctx.type = 'text/css';
    ctx.set('cache-control', 'public, max-age=3600');
    ctx.body = stylesheet;
  });

  app.use(securityHeaders(config.issuer.startsWith('https://')));
  app.use(screens.middleware);
  provider.use(screens.middleware);

  app.use(errorScreens(screens, logger));
  for (const r of [base, ...routers]) app.use(r.routes());

  // Whatever our routers did not handle belongs to the provider (which renders its own errors).
  const oidc = provider.callback();
  app.use(async (ctx) => {
    ctx.respond = false;
    await oidc(ctx.req, ctx.res);
  });
  return app;
}
