// Auth0's error contract for its passwordless API: `{ error, error_description }`, the codes its SDKs switch on, never a stack.
import type { Middleware } from 'koa';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';

/** An answer in Auth0's shape; `retryAfter` (seconds) becomes the Retry-After header. */
export class Auth0Error extends Error {
  readonly status: number;
  readonly error: string;
  readonly retryAfter: number | undefined;

  constructor(status: number, error: string, description: string, opts: { retryAfter?: number } = {}) {
    super(description);
    this.name = 'Auth0Error';
    this.status = status;
    this.error = error;
    this.retryAfter = opts.retryAfter;
  }
}

/** Every error of `/passwordless/start` and `/otp/challenge`, with the sentence it carries (README and OpenAPI list them). */
export const START_ERRORS = {
  'bad.request': [400, 'The body must be a JSON object or a form with only the documented properties.'],
  'bad.client_id': [400, 'Missing or unknown client_id.'],
  'bad.connection': [400, 'The connection must be "sms" and enabled for this client.'],
  'bad.phone_number': [400, 'The phone number must be a valid mobile number in E.164 format from an allowed country.'],
  'bad.send': [400, 'Only "code" is supported for send: links are not sent by SMS.'],
  'bad.authParams': [400, 'authParams must be an object with only scope, state, audience or resource, each a string.'],
  'bad.delivery_method': [400, 'delivery_method must be "text".'],
  unauthorized_client: [401, 'Client authentication failed.'],
  unauthorized_client_grant: [403, 'This client may not use passwordless sign-in by SMS.'],
  too_many_requests: [429, 'Too many codes were sent to this number or from this address. Try again later.'],
  temporarily_unavailable: [503, 'Text messages cannot be sent right now. Try again later.'],
} as const;

export type StartErrorCode = keyof typeof START_ERRORS;

export function startError(code: StartErrorCode, description?: string, opts: { retryAfter?: number } = {}): Auth0Error {
  const [status, text] = START_ERRORS[code];
  // Two entries share the code `unauthorized_client`; the key only tells their statuses apart.
  const error = code === 'unauthorized_client_grant' ? 'unauthorized_client' : code;
  return new Auth0Error(status, error, description ?? text, opts);
}

/**
 * The SMS layer's refusals that reach the API (a destination paused by the pumping defence, sending stopped by a cap or
 * budget, no usable SMS account) in Auth0's vocabulary; anything else stays a 500.
 */
function fromAppError(err: unknown): Auth0Error | undefined {
  if (!(err instanceof AppError) || !err.expose) return undefined;
  const retryAfter = typeof err.params?.retryAfter === 'number' ? err.params.retryAfter : undefined;
  if (err.status === 429) return startError('too_many_requests', undefined, { retryAfter });
  if (err.status === 503) return startError('temporarily_unavailable', undefined, { retryAfter });
  return undefined;
}

/** Renders Auth0Error as Auth0 does; anything else is a bare 500 in the same shape, logged, without detail. */
export function auth0Errors(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const known = err instanceof Auth0Error ? err : fromAppError(err);
      if (!known) logger.error({ err, path: ctx.path }, 'passwordless API request failed');
      ctx.status = known?.status ?? 500;
      if (known?.retryAfter !== undefined) ctx.set('retry-after', String(known.retryAfter));
      ctx.set('cache-control', 'no-store');
      ctx.body = { error: known?.error ?? 'server_error', error_description: known?.message ?? 'Internal error.' };
    }
  };
}
