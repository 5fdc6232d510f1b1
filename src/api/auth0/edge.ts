// In front of oidc-provider: Auth0's paths (/oauth/token, /.well-known/jwks.json) and JSON bodies on the token endpoint.
import { PassThrough } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProviderEdge } from '../../http/provider-front.ts';

/** oidc-provider's own limit for token request bodies. */
const LIMIT = 56 * 1024;

const ALIASES: Readonly<Record<string, string>> = Object.freeze({ '/oauth/token': '/token', '/.well-known/jwks.json': '/jwks' });

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

/** A JSON body, as Koa's `ctx.is('application/json')` saw it: that media type (any parameters) and a body. */
function isJsonBody(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (type === undefined || type.split(';', 1)[0]!.trim().toLowerCase() !== 'application/json') return false;
  // A body as type-is counts one: chunked, or any numeric Content-Length (0 included: an empty JSON body is a 400 here).
  return req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length']));
}

function answer(res: ServerResponse, status: number, body: object): undefined {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
  return undefined;
}

/**
 * Rewrites Auth0's paths to oidc-provider's and turns a JSON token request (Auth0.swift, Auth0.Android,
 * react-native-auth0) into the form oidc-provider accepts, within the same size limit. Only the token endpoint and
 * the JWKS: a form body at /token (every client credentials or refresh request) costs one header check.
 */
export function auth0Edge(): ProviderEdge {
  return {
    paths: [...Object.keys(ALIASES), '/token'],
    handle(req, res, path) {
      const alias = ALIASES[path];
      if (alias) {
        const q = req.url!.indexOf('?');
        req.url = alias + (q < 0 ? '' : req.url!.slice(q));
      }
      return (alias ?? path) === '/token' && req.method === 'POST' && isJsonBody(req) ? fromJson(req, res) : req;
    },
  };
}

/** The JSON token request as a form, or a 400 (not an object of plain values) or 413 (over the limit) answered here. */
async function fromJson(req: IncomingMessage, res: ServerResponse): Promise<IncomingMessage | undefined> {
  const raw = await readAll(req);
  let form: string | undefined;
  try {
    form = raw ? toForm(JSON.parse(raw.toString('utf8'))) : undefined;
  } catch {
    form = undefined;
  }
  if (form === undefined) {
    return raw
      ? answer(res, 400, { error: 'invalid_request', error_description: 'the JSON body must be an object of strings, numbers or booleans' })
      : answer(res, 413, { error: 'invalid_request', error_description: 'request entity too large' });
  }
  return withFormBody(req, form);
}
