// GET /metrics (Prometheus text, bearer token only) and GET /readyz (503 while the database is unreachable or migrating,
// or Redis, when configured, is unreachable).
import { timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Knex } from 'knex';
import type { Metrics } from './index.ts';

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Whether migrations are running here or on another instance, or some are still to run. */
async function migrating(db: Knex): Promise<boolean> {
  const lock = (await db('knex_migrations_lock').first('is_locked').catch(() => undefined)) as { is_locked?: number } | undefined;
  if (Number(lock?.is_locked ?? 0) === 1) return true;
  const [, pending] = (await db.migrate.list()) as [unknown[], unknown[]];
  return pending.length > 0;
}

export function metricsRoutes({ metrics, db, token, redis }: { metrics: Metrics; db: Knex; token: string | undefined; redis?: () => Promise<boolean> }): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    if (!token) return; // no token configured: no such page (404)
    const given = /^Bearer (.+)$/.exec(ctx.get('authorization'))?.[1] ?? '';
    if (!same(given, token)) {
      ctx.status = 401;
      ctx.set('www-authenticate', 'Bearer realm="metrics"');
      ctx.body = { error: 'unauthorized', message: 'send Authorization: Bearer <METRICS_TOKEN>' };
      return;
    }
    ctx.type = metrics.registry.contentType;
    ctx.set('cache-control', 'no-store');
    ctx.body = await metrics.registry.metrics();
  });
  router.get('/readyz', async (ctx) => {
    ctx.set('cache-control', 'no-store');
    try {
      await db.raw('select 1 as ok');
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'unavailable', database: 'unreachable' };
      return;
    }
    if (await migrating(db).catch(() => true)) {
      ctx.status = 503;
      ctx.body = { status: 'unavailable', database: 'migrating' };
      return;
    }
    if (redis && !(await redis())) {
      ctx.status = 503;
      ctx.body = { status: 'unavailable', database: 'reachable', redis: 'unreachable' };
      return;
    }
    ctx.body = { status: 'ready', database: 'reachable', ...(redis ? { redis: 'reachable' } : {}) };
  });
  return router;
}
