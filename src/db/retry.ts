// Database restarts: which errors mean "the database is unreachable", bounded retries of reads and idempotent
// upserts, and the 503 they become when the deadline passes (never a 500).
import { AppError } from '../errors.ts';

/** Seconds a client is told to wait before trying again (a database restart takes a few seconds). */
export const RETRY_AFTER_SECONDS = 3;

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTCONN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_CONNECTION_KILLED',
]);
const CONNECTION_MESSAGES = /connection lost|closed state|Timeout acquiring a connection|connect ECONNREFUSED|server has gone away|Pool is closed/i;

/** Whether an error says the database could not be reached (rather than what a query asked being wrong). */
export function isConnectionError(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; fatal?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isConnectionError(x, depth + 1))) return true;
  return isConnectionError(e.cause, depth + 1);
}

/** The error a request answers with when the database stays unreachable: 503, shown as "please try again". */
export const unavailable = (): AppError => new AppError('temporarily_unavailable', 503, { expose: true, message: 'the database is briefly unavailable, try again' });

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** No new attempt starts after this many ms from the first. */
  deadlineMs?: number;
  /** Pause before the second attempt; doubled after each. */
  delayMs?: number;
}

/**
 * Runs a read or an idempotent upsert again after a connection error, a bounded number of times within a short
 * deadline; a connection error that outlasts them becomes `temporarily_unavailable`. Never wrap a code consume, a
 * claim or an increment: its first attempt may have been applied before the connection dropped.
 */
export async function retryIdempotent<T>(fn: () => Promise<T>, { attempts = 3, deadlineMs = 1500, delayMs = 150 }: RetryOptions = {}): Promise<T> {
  const start = Date.now();
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      const pause = delayMs * 2 ** (i - 1);
      if (i >= attempts || Date.now() - start + pause > deadlineMs) throw unavailable();
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}

/** A statement that must not run twice (consume, claim, increment): one attempt; a connection error becomes a 503. */
export async function once<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw isConnectionError(err) ? unavailable() : err;
  }
}
