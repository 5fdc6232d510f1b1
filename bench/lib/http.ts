// A small HTTP/1.1 client for the load generator: keep-alive sockets, a cookie jar per simulated browser, no redirect
// following, bodies read as text. Cheaper per request than fetch, so the generator leaves more CPU to the servers.
import http, { type IncomingHttpHeaders } from 'node:http';

export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  url: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  form?: Record<string, string>;
  body?: string;
  /** Milliseconds before the request is abandoned. */
  timeoutMs?: number;
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
  }
}

/** Requests sent to the server under test (by browsers and to the token endpoint), for requests per flow. */
export const sent = { requests: 0 };

export function createConnectionPool(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' });
}

function once(pool: http.Agent, url: URL, opts: RequestOptions, body: string | undefined, headers: Record<string, string>): Promise<Response & { reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent: pool, hostname: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: opts.method ?? (body === undefined ? 'GET' : 'POST'), headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), url: url.href, reused: req.reusedSocket }));
        res.on('error', reject);
      },
    );
    req.setTimeout(opts.timeoutMs ?? 15_000, () => req.destroy(new HttpError(`timeout: ${req.method} ${url.pathname}`, 'timeout')));
    req.on('error', (err) => reject(Object.assign(err, { reused: req.reusedSocket })));
    req.end(body);
  });
}

/** One request; retried once when a kept-alive socket was closed by the server just as it was reused. */
export async function request(pool: http.Agent, target: string | URL, opts: RequestOptions = {}): Promise<Response> {
  const url = typeof target === 'string' ? new URL(target) : target;
  const headers: Record<string, string> = { host: url.host, ...opts.headers };
  let body = opts.body;
  if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  try {
    return await once(pool, url, opts, body, headers);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { reused?: boolean };
    if (e.reused && (e.code === 'ECONNRESET' || e.message === 'socket hang up')) return once(pool, url, opts, body, headers);
    throw err;
  }
}

/** A simulated browser: its own cookies, the headers a reverse proxy would add, and a mapping of the public origin. */
export class Browser {
  private readonly jar = new Map<string, string>();

  constructor(
    private readonly pool: http.Agent,
    /** Headers sent with every request (X-Forwarded-For/-Proto as a TLS-terminating proxy sets them). */
    private readonly extraHeaders: Record<string, string> = {},
    /** Public origin (the issuer's) → the origin actually listening, as the proxy maps it. */
    private readonly originMap?: { from: string; to: string },
  ) {}

  local(url: string): string {
    return this.originMap && url.startsWith(this.originMap.from) ? this.originMap.to + url.slice(this.originMap.from.length) : url;
  }

  private store(res: Response) {
    const lines = res.headers['set-cookie'];
    if (!lines) return;
    for (const line of lines) {
      const semi = line.indexOf(';');
      const pair = semi >= 0 ? line.slice(0, semi) : line;
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(url: string, opts: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { 'accept-language': 'en', ...this.extraHeaders, ...opts.headers };
    if (this.jar.size) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    sent.requests += 1;
    const res = await request(this.pool, this.local(url), { ...opts, headers });
    this.store(res);
    return res;
  }

  /** Follows redirects until one leaves for `stopAt` (returned, not requested) or a page that is not a redirect. */
  async follow(url: string, opts: RequestOptions = {}, stopAt?: string): Promise<{ page: Response; location?: string; hops: number }> {
    let page = await this.request(url, opts);
    for (let hops = 0; hops < 10; hops++) {
      if (page.status < 300 || page.status >= 400) return { page, hops };
      const next = new URL(String(page.headers.location), page.url).href;
      if (stopAt && next.startsWith(stopAt)) return { page, location: next, hops };
      page = await this.request(next);
    }
    throw new HttpError(`too many redirects from ${url}`, 'redirects');
  }
}

/** Throws unless the response has the expected status. */
export function expectStatus(res: Response, status: number, step: string): Response {
  if (res.status !== status) {
    const text = res.body.replace(/\s+/g, ' ').slice(0, 160);
    throw new HttpError(`${step}: expected ${status}, got ${res.status} ${text}`, `${step}:${res.status}`);
  }
  return res;
}

/** The target of a redirect, resolved against the request URL. */
export function locationOf(res: Response, step: string): string {
  if (res.status < 300 || res.status >= 400 || !res.headers.location) throw new HttpError(`${step}: expected a redirect, got ${res.status}`, `${step}:${res.status}`);
  return new URL(res.headers.location, res.url).href;
}

export function inputValue(html: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  return tag ? /value="([^"]*)"/.exec(tag)?.[1] : undefined;
}

export function formAction(html: string, endsWith?: string): string | undefined {
  for (const m of html.matchAll(/<form[^>]*action="([^"]*)"/g)) {
    const action = m[1]!.replace(/&amp;/g, '&');
    if (endsWith === undefined || action.endsWith(endsWith)) return action;
  }
  return undefined;
}
