// The relying party's side of the flows: authorization requests with PKCE S256, the token endpoint, and checks that a
// token response is valid (ID token signature, issuer, audience, nonce, expiry).
import { createHash, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { createLocalJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { type Browser, HttpError, request, type Response, sent } from './http.ts';

export interface Target {
  /** Issuer as the server knows itself (may be https behind the proxy). */
  issuer: string;
  /** Where it really listens. */
  local: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Headers the reverse proxy adds (per flow a client address is added too). */
  proxied: boolean;
}

export interface AuthRequest {
  url: string;
  verifier: string;
  state: string;
  nonce: string;
}

const b64url = (b: Buffer) => b.toString('base64url');

export function authorizationRequest(t: Target, params: Record<string, string> = {}): AuthRequest {
  const verifier = b64url(randomBytes(32));
  const state = b64url(randomBytes(16));
  const nonce = b64url(randomBytes(16));
  const q = new URLSearchParams({
    client_id: t.clientId,
    response_type: 'code',
    redirect_uri: t.redirectUri,
    scope: 'openid',
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  return { url: `${t.local}/auth?${q}`, verifier, state, nonce };
}

/** The code of a callback URL, after checking its state and issuer. */
export function callbackCode(t: Target, location: string, req: AuthRequest): string {
  const url = new URL(location);
  const error = url.searchParams.get('error');
  if (error) throw new HttpError(`callback error: ${error} ${url.searchParams.get('error_description') ?? ''}`, `callback:${error}`);
  if (url.searchParams.get('state') !== req.state) throw new HttpError('callback: state mismatch', 'callback:state');
  const iss = url.searchParams.get('iss');
  if (iss && iss !== t.issuer) throw new HttpError(`callback: iss ${iss}`, 'callback:iss');
  const code = url.searchParams.get('code');
  if (!code) throw new HttpError('callback: no code', 'callback:code');
  return code;
}

const jwksCache = new Map<string, ReturnType<typeof createLocalJWKSet>>();

async function keys(pool: http.Agent, t: Target) {
  let set = jwksCache.get(t.local);
  if (!set) {
    const discovery = JSON.parse((await request(pool, `${t.local}/.well-known/openid-configuration`, { headers: proxyHeaders(t) })).body) as { jwks_uri: string };
    const jwksUrl = discovery.jwks_uri.replace(t.issuer, t.local);
    set = createLocalJWKSet(JSON.parse((await request(pool, jwksUrl, { headers: proxyHeaders(t) })).body));
    jwksCache.set(t.local, set);
  }
  return set;
}

export function proxyHeaders(t: Target, clientIp = '10.255.255.1'): Record<string, string> {
  return t.proxied ? { 'x-forwarded-proto': 'https', 'x-forwarded-for': clientIp } : {};
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  id_token?: string;
  refresh_token?: string;
  scope?: string;
}

/** POSTs to the token endpoint with client_secret_basic. */
export async function tokenRequest(pool: http.Agent, t: Target, form: Record<string, string>, auth = { id: t.clientId, secret: t.clientSecret }, headers: Record<string, string> = {}): Promise<Response> {
  const basic = Buffer.from(`${encodeURIComponent(auth.id)}:${encodeURIComponent(auth.secret)}`).toString('base64');
  sent.requests += 1;
  return request(pool, `${t.local}/token`, { form, headers: { authorization: `Basic ${basic}`, accept: 'application/json', ...headers } });
}

/** Parses and checks a token response; with `idToken`, verifies the ID token and returns its claims. */
export async function validTokens(
  pool: http.Agent,
  t: Target,
  res: Response,
  expect: { idToken?: boolean; nonce?: string; refreshToken?: boolean; amr?: string } = {},
): Promise<{ tokens: TokenResponse; claims?: JWTPayload }> {
  if (res.status !== 200) throw new HttpError(`token: ${res.status} ${res.body.slice(0, 200)}`, `token:${res.status}`);
  const tokens = JSON.parse(res.body) as TokenResponse;
  if (typeof tokens.access_token !== 'string' || !tokens.access_token) throw new HttpError('token: no access_token', 'token:access_token');
  if (!/^bearer$/i.test(tokens.token_type)) throw new HttpError(`token: token_type ${tokens.token_type}`, 'token:token_type');
  if (!(tokens.expires_in > 0)) throw new HttpError('token: expires_in', 'token:expires_in');
  if (expect.refreshToken && !tokens.refresh_token) throw new HttpError('token: no refresh_token', 'token:refresh_token');
  if (!expect.idToken) return { tokens };
  if (!tokens.id_token) throw new HttpError('token: no id_token', 'token:id_token');
  const { payload } = await jwtVerify(tokens.id_token, await keys(pool, t), { issuer: t.issuer, audience: t.clientId, maxTokenAge: '1h' });
  if (expect.nonce !== undefined && payload.nonce !== expect.nonce) throw new HttpError('id_token: nonce', 'id_token:nonce');
  if (!payload.sub) throw new HttpError('id_token: sub', 'id_token:sub');
  if (expect.amr && !(Array.isArray(payload.amr) && payload.amr.includes(expect.amr))) throw new HttpError(`id_token: amr ${JSON.stringify(payload.amr)}`, 'id_token:amr');
  return { tokens, claims: payload };
}

/** From the authorization request to the callback: follows the redirects after a finished interaction. */
export async function resumeToCallback(browser: Browser, t: Target, location: string, req: AuthRequest): Promise<string> {
  const { page, location: callback } = await browser.follow(location, {}, t.redirectUri);
  if (!callback) throw new HttpError(`resume: stopped at ${page.status} ${page.url} ${page.body.replace(/\s+/g, ' ').slice(0, 160)}`, `resume:${page.status}`);
  return callbackCode(t, callback, req);
}
