// In front of oidc-provider: Auth0's paths (/oauth/token, /.well-known/jwks.json) and JSON bodies on the token endpoint.
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';

/** oidc-provider's own limit for token request bodies. */
const LIMIT = 56 * 1024;

const ALIASES: Record<string, string> = { '/oauth/token': '/token', '/.well-known/jwks.json': '/jwks' };

async function readAll(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > LIMIT) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** JSON values as form fields: strings as they are, numbers and booleans written out; anything else is refused. */
function toForm(json: unknown): string | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(json)) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') form.append(key, String(value));
    else return undefined;
  }
  return form.toString();
}

/** A request like the original, with the body replaced by a urlencoded one (oidc-provider reads the stream itself). */
function withFormBody(req: IncomingMessage, form: string): IncomingMessage {
  const buf = Buffer.from(form);
  const stream = new PassThrough();
  stream.end(buf);
  const headers = { ...req.headers, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(buf.length) };
  return Object.assign(stream, {
    headers,
    rawHeaders: req.rawHeaders,
    method: req.method,
    url: req.url,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    socket: req.socket,
    connection: req.socket,
    complete: true,
    aborted: false,
  }) as unknown as IncomingMessage;
}

/**
 * Rewrites Auth0's paths to oidc-provider's and turns a JSON token request (Auth0.swift, Auth0.Android,
 * react-native-auth0) into the form oidc-provider accepts, within the same size limit. Only the token endpoint.
 */
export function auth0Edge(): Middleware {
  return async (ctx, next) => {
    const alias = ALIASES[ctx.path];
    if (alias) ctx.req.url = alias + (ctx.querystring ? `?${ctx.querystring}` : '');
    const tokenPath = alias === '/token' || ctx.path === '/token';
    if (tokenPath && ctx.method === 'POST' && ctx.is('application/json')) {
      const raw = await readAll(ctx.req);
      let form: string | undefined;
      try {
        form = raw ? toForm(JSON.parse(raw.toString('utf8'))) : undefined;
      } catch {
        form = undefined;
      }
      if (form === undefined) {
        ctx.status = raw ? 400 : 413;
        ctx.set('cache-control', 'no-store');
        ctx.body = raw
          ? { error: 'invalid_request', error_description: 'the JSON body must be an object of strings, numbers or booleans' }
          : { error: 'invalid_request', error_description: 'request entity too large' };
        return;
      }
      ctx.req = withFormBody(ctx.req, form);
    }
    await next();
  };
}
