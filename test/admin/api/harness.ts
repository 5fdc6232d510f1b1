// A Codeword server with the admin machine client configured, tokens from its /token endpoint, and a JSON fetch helper.
import { type StartOptions, startServer, type TestServer } from '../../helpers/server.ts';

export const ADMIN_CLIENT_ID = 'admin-api-test';
export const ADMIN_CLIENT_SECRET = 'admin-api-test-secret-0123456789abcdef';

/** Response bodies in tests: checked by assertions, not by types. */
// biome-ignore lint/suspicious/noExplicitAny: test bodies are checked by assertions, not by types
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  body: T;
  /** The raw text, to check what never appears in it. */
  text: string;
}

export interface ApiHarness {
  server: TestServer;
  /** A token for the configured machine client (scope `admin` unless told otherwise). */
  token(scope?: string, client?: { id: string; secret: string }): Promise<string>;
  /** Calls /admin/api/v1 + path with a bearer token (`null`: none). */
  call<T = Json>(method: string, path: string, opts?: { body?: unknown; token?: string | null; headers?: Record<string, string>; raw?: string }): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export async function tokenFor(url: string, clientId: string, secret: string, scope?: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${url}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }).toString(),
  });
  return { status: res.status, body: await res.json() };
}

export async function startApi(opts: StartOptions = {}): Promise<ApiHarness> {
  const server = await startServer({ ...opts, env: { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, ...opts.env } });
  let adminToken: string | undefined;

  async function token(scope = 'admin', client = { id: ADMIN_CLIENT_ID, secret: ADMIN_CLIENT_SECRET }): Promise<string> {
    const r = await tokenFor(server.url, client.id, client.secret, scope);
    if (r.status !== 200) throw new Error(`token request failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.access_token as string;
  }

  return {
    server,
    token,
    async call(method, path, opts = {}) {
      if (opts.token === undefined) adminToken ??= await token();
      const bearer = opts.token === undefined ? adminToken : opts.token;
      const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      let body: string | undefined = opts.raw;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${server.url}/admin/api/v1${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      return { status: res.status, headers: res.headers, body: parsed as Json, text };
    },
    close: () => server.close(),
  };
}
