// Builds the admin API router from the route table: bearer auth, JSON body parsing, validation both ways, OpenAPI document.
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { clientActor } from '../services/actor.ts';
import { checkResponse, parseRequest } from '../../http/guard.ts';
import type { AdminAuthState } from './auth.ts';
import { API_PREFIX, API_VERSION_PATH, buildOpenApi } from './openapi.ts';
import { type AnyRoute, isWithStatus, statusOf } from './route.ts';

export interface AdminApiRouterDeps {
  routes: AnyRoute[];
  /** Bearer-token middleware for a scope (see auth.ts). */
  auth(need: 'read' | 'write'): Middleware;
  issuer: string;
  logger: Logger;
}

/** `/users/{id}` → `/users/:id`. */
export const koaPath = (openApiPath: string) => openApiPath.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');

/** Path of the catch-all layer that answers JSON 404/405 for anything else under /admin/api. */
export const FALLBACK_PATH = '/{*rest}';

// JSON only, on these routes only; a body that is not JSON is refused rather than read as empty.
const parseJson = bodyParser({
  enableTypes: ['json'],
  jsonLimit: '256kb',
  onError(err) {
    const status = (err as { status?: number }).status;
    if (status === 413) throw new AppError('body_too_large', 413, { message: 'the body is larger than 256 kB' });
    throw new AppError('invalid_json', 400, { message: 'the body is not valid JSON' });
  },
});

const jsonBody: Middleware = async (ctx, next) => {
  const hasBody = Number(ctx.get('content-length') || 0) > 0 || Boolean(ctx.get('transfer-encoding'));
  if (hasBody && !ctx.is('application/json', '+json')) {
    throw new AppError('unsupported_media_type', 415, { message: 'send the body as application/json' });
  }
  await parseJson(ctx, next);
};

function handle(route: AnyRoute, logger: Logger): Middleware {
  return async (ctx: Context) => {
    const auth = ctx.state.adminAuth as AdminAuthState;
    const { params, query, body } = parseRequest(ctx, route);
    const result = await route.handler({ params, query, body, actor: clientActor(auth.clientId) });
    ctx.set('cache-control', 'no-store');
    if (!route.response) {
      ctx.status = route.status ?? 204;
      return;
    }
    const status = isWithStatus(result) ? statusOf(result) : (route.status ?? 200);
    // A response that breaks its own schema is our bug: logged, never sent (it could carry what must not leave).
    const out = checkResponse(route.response, isWithStatus(result) ? result.body : result, logger, route.operationId);
    ctx.status = status;
    ctx.body = out;
  };
}

export function createAdminApiRouter({ routes, auth, issuer, logger }: AdminApiRouterDeps): Router {
  const router = new Router({ prefix: API_PREFIX });
  const document = buildOpenApi(routes, { issuer });

  router.get('/openapi.json', (ctx) => {
    ctx.set('cache-control', 'no-cache');
    ctx.body = document;
  });
  for (const route of routes) {
    const path = `${API_VERSION_PATH}${koaPath(route.path)}`;
    router[route.method](path, auth(route.scope), ...(route.body ? [jsonBody] : []), handle(route, logger));
  }
  router.all(FALLBACK_PATH, (ctx) => {
    const allowed = router.stack
      .filter((layer) => layer.path !== `${API_PREFIX}${FALLBACK_PATH}` && layer.match(ctx.path))
      .flatMap((layer) => layer.methods);
    if (allowed.length > 0) {
      ctx.set('allow', [...new Set(allowed)].join(', '));
      throw new AppError('method_not_allowed', 405, { message: `${ctx.method} is not allowed here; use ${[...new Set(allowed)].join(', ')}` });
    }
    throw new AppError('not_found', 404, { message: `no admin API operation at ${ctx.path}` });
  });
  return router;
}
