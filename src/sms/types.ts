// Shared vocabulary of the SMS layer: purposes, provider kinds, and the options the factory accepts.

export const PURPOSES = ['login', 'signup', 'reset_password', 'mfa', 'password_changed', 'password_expiry_reminder', 'test'] as const;
export type Purpose = (typeof PURPOSES)[number];

/** Purposes whose text must carry the one-time code (and get the autofill line). */
export const CODE_PURPOSES: ReadonlySet<Purpose> = new Set(['login', 'signup', 'reset_password', 'mfa']);

export const PROVIDERS = ['twilio', 'http', 'dev'] as const;
export type ProviderKind = (typeof PROVIDERS)[number];

export type Region = 'domestic' | 'international';

export interface SmsOptions {
  /** ISO 3166 country that counts as `domestic` for region-narrowed templates (unset: region templates never apply). */
  homeCountry?: string;
  /** Language of messages when nothing else matches (default: config.defaultLocale). */
  defaultLanguage?: string;
  /** `application.name` when the caller does not give one (default "Codeword"). */
  applicationName?: string;
  /** Append the browser autofill line `@host #code` to code messages (default true). */
  autofill?: boolean;
  /** Host patterns providers may be reached at (`*.` matches subdomains); from SMS_PROVIDER_HOSTS. */
  providerHosts?: string[];
  /** Per-request timeout towards providers, in ms (default 10 000). */
  providerTimeoutMs?: number;
  worker?: Partial<WorkerOptions>;
  /** fetch used by the HTTP gateway provider (tests may replace it). */
  fetch?: typeof fetch;
}

export interface WorkerOptions {
  /** Poll interval of the background loop, ms. */
  intervalMs: number;
  /** Rows claimed per run. */
  batchSize: number;
  /** Attempts before a message is marked failed. */
  maxAttempts: number;
  /** First retry delay, doubled after each failure up to backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A message not handed to a provider within this time is failed (its code would be stale). */
  maxAgeMs: number;
  /** How long a claimed row belongs to one worker before another may take it over. */
  leaseMs: number;
}

export const defaultWorkerOptions: WorkerOptions = {
  intervalMs: 1000,
  batchSize: 20,
  maxAttempts: 5,
  backoffBaseMs: 2000,
  backoffMaxMs: 60_000,
  maxAgeMs: 10 * 60_000,
  leaseMs: 60_000,
};
