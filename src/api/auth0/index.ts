// Auth0's passwordless API for native and embedded apps: /passwordless/start, /otp/challenge and the OTP grant.
import type Router from '@koa/router';
import type Provider from 'oidc-provider';
import type { ProviderEdge } from '../../http/provider-front.ts';
import type { Logger } from '../../logger.ts';
import { createClientAuth } from './client-auth.ts';
import { auth0Edge } from './edge.ts';
import { auth0Errors } from './errors.ts';
import { createOtpGrant } from './grant.ts';
import { passwordlessApiDocument } from './openapi.ts';
import { OTP_GRANT, OTP_GRANT_PARAMS } from './schemas.ts';
import { createNativeService, type NativeDeps } from './service.ts';
import { startRoutes } from './start.ts';

export { OTP_GRANT } from './schemas.ts';

export interface Auth0ApiDeps extends NativeDeps {
  provider: Provider;
  /** ISSUER as configured (it may end with a slash, as Auth0 writes its own). */
  issuer: string;
  logger: Logger;
  now: () => number;
}

/** The issuer without its trailing slash, for joining paths. */
export const urlBase = (issuer: string) => issuer.replace(/\/+$/, '');

/**
 * Registers the OTP grant with the provider and returns the router for the two start endpoints and the edge that runs
 * just before the provider on Auth0's paths and the token endpoint (Auth0's names, JSON token bodies).
 */
export function createAuth0Api(deps: Auth0ApiDeps): { router: Router; edge: ProviderEdge } {
  const base = urlBase(deps.issuer);
  const native = createNativeService(deps);
  // Auth0 names its own user info API as an audience; Codeword has no other API to issue access tokens for.
  const audienceAllowed = (value: string) => urlBase(value) === `${base}/userinfo`;
  deps.provider.registerGrantType(OTP_GRANT, createOtpGrant({ native, audienceAllowed, now: deps.now }), [...OTP_GRANT_PARAMS]);
  const authenticate = createClientAuth({
    provider: deps.provider,
    audiences: [deps.issuer, base, `${base}/`, `${base}/passwordless/start`, `${base}/otp/challenge`, `${base}/oauth/token`, `${base}/token`],
  });
  const router = startRoutes({ native, authenticate, audienceAllowed, errors: auth0Errors(deps.logger), document: passwordlessApiDocument(base) });
  return { router, edge: auth0Edge() };
}
