// The admin API reference: Swagger UI (swagger-ui-dist, served from our own origin) rendering the served OpenAPI document.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cspHeader, CSP_DIRECTIVES } from '../../../security/headers.ts';
import { API_PREFIX } from '../../api/openapi.ts';
import type { ConsoleKit } from '../kit.ts';

/** The renderer's files we serve, and their types; nothing else of the package is reachable. */
const RENDERER_FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
};
const rendererDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/**
 * This page's policy: the global one, plus requests to the issuer's origin, which the document names as the API's
 * server and token URL ("Try it out" and "Authorize" call it, and the console may be reached under another host name).
 * Swagger UI needs no inline script or style (it sets styles through the DOM), so those stay refused; every other page
 * keeps the global policy.
 */
const apiDocsCsp = (issuer: string) => cspHeader({ ...CSP_DIRECTIVES, connectSrc: ["'self'", new URL(issuer).origin] });

export function apiDocsPages({ get, page, issuer }: ConsoleKit): void {
  const policy = apiDocsCsp(issuer);
  get('/api-docs', async (ctx) => {
    await page(ctx, 'api-docs', 'api_docs', { specUrl: `${API_PREFIX}/openapi.json` });
    ctx.set('content-security-policy', policy);
  });

  // Read from disk when asked for (the bundle is large and most processes never serve it).
  get('/api-docs/assets/:name', async (ctx) => {
    const name = ctx.params.name!;
    const type = RENDERER_FILES[name];
    if (!type) return;
    const file = join(rendererDir, name);
    const info = await stat(file);
    ctx.type = type;
    ctx.length = info.size;
    ctx.set('cache-control', 'private, max-age=3600');
    ctx.body = createReadStream(file);
  });
}
