// Shared vocabulary of the SMS layer: purposes, and the options the factory accepts.
import type { ProviderDescriptor } from './providers/types.ts';
import type { Purpose } from './purposes.ts';

export { CODE_PURPOSES, PURPOSES, type Purpose, type Region } from './purposes.ts';

export interface SmsOptions {
  /**
   * Installation default of the accounts' home country (`SMS_HOME_COUNTRY`): numbers of this ISO 3166 country are
   * `domestic` for region-narrowed templates. An account's own `homeCountry` wins; with neither, region templates never apply.
   */
  homeCountry?: string;
  /** Hosts providers may be called on (`SMS_PROVIDER_HOSTS`; default DEFAULT_PROVIDER_HOSTS). */
  providerHosts?: readonly string[];
  /** Providers beyond the built-in ones (each a descriptor; see providers/registry.ts). */
  providers?: readonly ProviderDescriptor[];
  /** Language of messages when nothing else matches (default: config.defaultLocale). */
  defaultLanguage?: string;
  /** `application.name` when the caller does not give one (default "Codeword"). */
  applicationName?: string;
  /** Append the browser autofill line `@host #code` to code messages (default true). */
  autofill?: boolean;
  /** Send texts "GSM-7 friendly": characters outside GSM-7 replaced by their nearest GSM-7 equivalents (default false). */
  gsm7Friendly?: boolean;
  /** The real lifetime in minutes of the codes a purpose sends, for template previews (default: 10). */
  codeLifetimeMinutes?: (purpose: Purpose) => Promise<number | undefined>;
  /** Per-request timeout towards providers, in ms (default 10 000). */
  providerTimeoutMs?: number;
  worker?: Partial<WorkerOptions>;
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
