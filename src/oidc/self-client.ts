// A relying party of our own issuer (openid-client): the demo app and the admin console sign users in through it.
import type * as Oidc from 'openid-client';

/** openid-client, loaded when the console or the demo app first signs someone in. */
const load = () => import('openid-client');

export interface PendingLogin {
  verifier: string;
  state: string;
  nonce: string;
}

export interface SelfClient {
  /** Builds an authorization request (code + PKCE S256) and what must be kept to finish it. */
  start(params: Record<string, string>): Promise<{ url: URL; pending: PendingLogin }>;
  /** Exchanges the code on the callback URL; throws when the response is an error or does not match. */
  finish(callbackUrl: URL, pending: PendingLogin): Promise<Awaited<ReturnType<typeof Oidc.authorizationCodeGrant>>>;
  endSessionUrl(params: Record<string, string>): Promise<URL>;
}

export function createSelfClient(issuer: string, clientId: string, secret: () => Promise<string | undefined>): SelfClient {
  let discovered: Promise<Oidc.Configuration> | undefined;
  const config = () => {
    discovered ??= Promise.all([secret(), load()]).then(([s, oidc]) =>
      oidc.discovery(new URL(issuer), clientId, s, undefined, { execute: issuer.startsWith('http://') ? [oidc.allowInsecureRequests] : [] }),
    );
    return discovered.catch((err) => {
      discovered = undefined;
      throw err;
    });
  };

  return {
    async start(params) {
      const oidc = await load();
      const pending = { verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
      const url = oidc.buildAuthorizationUrl(await config(), {
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
        ...params,
      });
      return { url, pending };
    },
    async finish(callbackUrl, pending) {
      const oidc = await load();
      return oidc.authorizationCodeGrant(await config(), callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
      });
    },
    async endSessionUrl(params) {
      const oidc = await load();
      return oidc.buildEndSessionUrl(await config(), params);
    },
  };
}
