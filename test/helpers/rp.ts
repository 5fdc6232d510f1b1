// A real relying party (openid-client v6) registered in a test server, and helpers to sign in through the screens.
import * as oidc from 'openid-client';
import { hashPassword } from '../../src/security/passwords.ts';
import type { TestServer } from './server.ts';
import { formAction, inputValue, type Page, type UserAgent } from './user-agent.ts';

export const REDIRECT_URI = 'https://rp.example.test/callback';
export const POST_LOGOUT_URI = 'https://rp.example.test/signed-out';

export async function registerClient(server: TestServer, opts: { firstParty?: boolean; clientId?: string } = {}) {
  const meta = await server.container.clients.upsert(
    {
      client_id: opts.clientId ?? 'test-rp',
      client_name: 'Test RP',
      redirect_uris: [REDIRECT_URI],
      post_logout_redirect_uris: [POST_LOGOUT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    { firstParty: opts.firstParty ?? true },
  );
  const config = await oidc.discovery(new URL(server.url), meta.client_id, meta.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  return { meta, config };
}

export async function createUser(server: TestServer, username = 'alice', password = 'correct horse battery staple', extra: Record<string, unknown> = {}) {
  return server.container.users.create({
    username,
    email: `${username}@example.test`,
    emailVerified: true,
    passwordHash: await hashPassword(password),
    name: 'Alice Example',
    phoneNumber: '+61491570156',
    phoneNumberVerified: true,
    ...extra,
  });
}

export interface AuthRequest {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

export async function authorizationRequest(config: oidc.Configuration, params: Record<string, string> = {}): Promise<AuthRequest> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email phone',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  return { url, verifier, state, nonce };
}

/** Submits the sign-in form shown on `page` and follows the redirects up to the relying party. */
export async function submitLogin(ua: UserAgent, page: Page, login: string, password: string): Promise<Page> {
  const action = formAction(page.html);
  if (!action) throw new Error(`no form on ${page.url}: ${page.status} ${page.html.slice(0, 300)}`);
  return ua.follow(new URL(action, page.url).href, { form: { csrf: inputValue(page.html, 'csrf') ?? '', login, password } }, REDIRECT_URI);
}

export async function exchange(config: oidc.Configuration, req: AuthRequest, callbackUrl: string) {
  return oidc.authorizationCodeGrant(config, new URL(callbackUrl), { pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce });
}
