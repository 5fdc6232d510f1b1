// oidc-provider's own paths while the database is unreachable: a 503 `temporarily_unavailable` with Retry-After
// (JSON at /token and the other endpoints, the "please try again" screen in a browser), never a 500.
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { isConnectionError, RETRY_AFTER_SECONDS } from '../db/retry.ts';

const DESCRIPTION = 'the service is briefly unavailable, try again';

/** The provider error an adapter call throws for a connection error; also marks the response with Retry-After. */
export function providerUnavailable(): Error {
  Provider.ctx?.set('retry-after', String(RETRY_AFTER_SECONDS));
  const err = new errors.CustomOIDCProviderError('temporarily_unavailable', DESCRIPTION);
  return Object.assign(err, { status: 503, statusCode: 503, expose: true });
}

/** Whether an error reaching the provider's error handling means the database is unreachable. */
export const isUnavailable = (err: unknown): boolean =>
  isConnectionError(err) || (typeof err === 'object' && err !== null && (err as { error?: unknown }).error === 'temporarily_unavailable') || (err as { code?: unknown })?.code === 'temporarily_unavailable';

/**
 * A connection error thrown outside the adapter (e.g. loading the account) reaches the provider as a server error:
 * its JSON answer becomes the 503 above. (Screens are handled in renderError, which runs before this event.)
 */
export function answerUnavailable(provider: Provider): void {
  provider.on('server_error', (ctx: KoaContextWithOIDC, err: unknown) => {
    if (!isConnectionError(err)) return;
    ctx.status = 503;
    ctx.set('retry-after', String(RETRY_AFTER_SECONDS));
    if (ctx.body && typeof ctx.body === 'object' && !Buffer.isBuffer(ctx.body)) ctx.body = { error: 'temporarily_unavailable', error_description: DESCRIPTION };
  });
}
