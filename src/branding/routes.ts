// GET /branding/…: the branded stylesheet, logo and favicon, served from this origin so the CSP stays 'self'.
import Router from '@koa/router';
import type { Context } from 'koa';
import { BRANDING_PATH, type Branding } from './service.ts';

export function brandingRoutes({ branding }: { branding: Pick<Branding, 'asset'> }): Router {
  const router = new Router({ prefix: BRANDING_PATH });

  const serve = async (ctx: Context, clientId: string | null, file: string) => {
    const asset = await branding.asset(clientId, file);
    if (!asset) return; // 404
    ctx.type = asset.type;
    // The URL carries the content's hash: the current one never changes; an old one gets today's content, not cached.
    ctx.set('cache-control', asset.current ? 'public, max-age=31536000, immutable' : 'no-cache');
    // An SVG opened on its own runs nothing and loads nothing.
    if (asset.type === 'image/svg+xml') ctx.set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    ctx.body = asset.body;
  };

  router.get('/global/:file', (ctx) => serve(ctx, null, ctx.params.file!));
  router.get('/apps/:clientId/:file', (ctx) => serve(ctx, ctx.params.clientId!, ctx.params.file!));
  return router;
}
