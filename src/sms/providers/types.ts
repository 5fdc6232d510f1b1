// The contract every SMS provider implements, and the one error type the outbox worker understands.
import type { FailureKind, Reason } from '../reasons.ts';

export interface OutgoingSms {
  /** Our message id (used as an idempotency key where the provider supports one). */
  messageId: string;
  to: string;
  body: string;
  /** Where the provider should report delivery, when status callbacks are enabled. */
  statusCallback?: string;
}

export interface SendResult {
  providerMessageId: string | null;
  /** Provider status right after acceptance, e.g. `queued`, `accepted`, or `delivered` for the dev inbox. */
  status: string;
}

export interface VerifyResult {
  ok: boolean;
  reason: string;
}

export interface SmsProvider {
  send(msg: OutgoingSms): Promise<SendResult>;
  verify(): Promise<VerifyResult>;
  /**
   * After an attempt whose outcome is unknown (timeout, 5xx), looks for the message at the provider so that it is
   * not sent twice. Providers that cannot look return undefined from this method's absence.
   */
  findSent?(q: { to: string; body: string; since: number }): Promise<SendResult | null>;
}

export class ProviderError extends Error {
  readonly kind: FailureKind;
  readonly reason: Reason;
  /** Provider error code (e.g. Twilio `21211`), `http_<status>`, or a network error name. */
  readonly code: string;

  constructor(kind: FailureKind, reason: Reason, code: string, message: string) {
    super(message);
    this.name = 'ProviderError';
    this.kind = kind;
    this.reason = reason;
    this.code = code;
  }
}

/** Network errors: refused or unresolved connections never reached the provider; resets and timeouts may have. */
export function networkFailure(err: unknown): ProviderError {
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code = String(e.code ?? e.cause?.code ?? e.name ?? 'network_error');
  const notReached = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ERR_INVALID_URL/.test(code);
  const timeout = /ECONNABORTED|ETIMEDOUT|TimeoutError|AbortError/.test(code);
  return new ProviderError(
    notReached ? 'retry' : 'in_doubt',
    'provider_unavailable',
    timeout ? 'timeout' : code,
    `${timeout ? 'timed out' : 'network error'}: ${typeof e.message === 'string' ? e.message : code}`,
  );
}
