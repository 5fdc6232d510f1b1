// Every environment variable Codeword reads, declared once with its default and meaning.
// README's configuration tables are generated from this file (`npm run docs:config`) and a test checks they are equal.
import { z } from 'zod';
import { defaultFailureSettings } from '../codes/failures.ts';
import { defaultThrottleSettings } from '../security/login-throttle.ts';
import { defaultWorkerOptions } from '../sms/types.ts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const count = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be an integer')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be an integer')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

export interface Setting {
  schema: z.ZodType;
  default?: string;
  /** What README shows when there is no literal default (e.g. "generated in development"). */
  shownDefault?: string;
  doc: string;
}

export const settings = {
  NODE_ENV: {
    schema: z.enum(['development', 'production', 'test']),
    default: 'development',
    doc: '`development`, `production` or `test`. Production refuses unsafe defaults.',
  },
  PORT: { schema: port, default: '3000', doc: 'TCP port to listen on.' },
  HOST: {
    schema: z.string().min(1),
    default: '127.0.0.1',
    doc: 'Address to bind (use `0.0.0.0` in a container). In development only a loopback address is accepted unless `DEV_ALLOW_REMOTE=true`.',
  },
  DEV_ALLOW_REMOTE: {
    schema: bool,
    default: 'false',
    doc: 'In development, allow a non-loopback `HOST` (the development SMS inbox `/dev/sms` then shows every code to anyone who can reach it).',
  },
  ISSUER: {
    schema: z.url({ message: 'must be an absolute http(s) URL' }).refine((u) => /^https?:\/\//.test(u), 'must be http(s)'),
    shownDefault: '`http://localhost:$PORT`',
    doc: 'Public issuer URL, used verbatim as `iss` (with or without a trailing slash: `https://id.example.com/` as Auth0 writes it, or `https://id.example.com`). Every URL Codeword publishes is built from it, never from the request. Must be https in production. Changing it changes `iss` for every relying party.',
  },
  TRUST_PROXY_HOPS: {
    schema: count(0, 10),
    default: '0',
    doc: 'Number of reverse proxies in front of Codeword. With N > 0 the client address is the N-th entry from the right of `X-Forwarded-For` (entries further left are written by the client and ignored), and `X-Forwarded-Proto` is read; with 0 no `X-Forwarded-*` header is trusted. (`TRUST_PROXY=true` is refused: set this instead.)',
  },
  DATABASE_URL: {
    schema: z
      .string()
      .refine((v) => /^(mysql|mariadb):\/\/[^/]+\/[^/?]+/.test(v) || /^sqlite:/.test(v), 'must be mysql://user:pass@host:port/db or sqlite:path'),
    shownDefault: 'SQLite file `DATA_DIR/codeword.sqlite`',
    doc: '`mysql://user:pass@host:port/db` for MySQL/MariaDB, or `sqlite:path/to/file`.',
  },
  ALLOW_SQLITE_IN_PRODUCTION: {
    schema: bool,
    default: 'false',
    doc: 'Allow the embedded SQLite database when `NODE_ENV=production` (single instance only).',
  },
  SECRET_KEY: {
    schema: z.string().min(32, 'must be at least 32 characters'),
    shownDefault: 'generated in development',
    doc: 'Root secret (at least 32 characters): signs cookies, keys one-time-code HMACs, encrypts secrets at rest. Required in production; in development generated once into `DATA_DIR/secret-key`.',
  },
  PREVIOUS_SECRET_KEYS: {
    schema: z.string(),
    default: '',
    doc: 'Comma-separated former `SECRET_KEY` values: secrets they sealed still open and HMACs they made (codes, CSRF tokens, token ids) still verify, until `keys:reencrypt` has run (see Rotating keys).',
  },
  DATA_DIR: { schema: z.string().min(1), default: './data', doc: 'Directory for the SQLite file and the development secret.' },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    doc: 'pino log level.',
  },
  DEFAULT_LOCALE: { schema: z.string().min(2), default: 'en', doc: 'Language of screens when neither `ui_locales` nor `accept-language` match.' },
  SUPPORT_CONTACT: {
    schema: z.string(),
    default: '',
    doc: 'How users reach support (shown on screens when something cannot be done online).',
  },
  SMS_HOME_COUNTRY: {
    schema: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as US or FR')
      .transform((c) => c.toUpperCase()),
    shownDefault: 'none',
    doc: 'Installation default home country (ISO 3166-1 alpha-2) for region-narrowed templates (`domestic` / `international`); an SMS account may set its own. Without it region templates never apply.',
  },
  SMS_PROVIDER_HOSTS: {
    schema: z.string().min(1),
    default: 'api.twilio.com,*.twilio.com,*.aliyuncs.com',
    doc: 'Comma-separated host patterns SMS providers may be reached at (`*.` matches subdomains); provider credentials are never sent elsewhere.',
  },
  METRICS_TOKEN: {
    schema: z.string().min(16, 'must be at least 16 characters'),
    doc: 'Bearer token `GET /metrics` answers to (Prometheus text format); unset, `/metrics` answers 404.',
  },
  SMS_AUTOFILL: { schema: bool, default: 'true', doc: 'Append the browser autofill line `@host #code` to code messages.' },
  SMS_PROVIDER_TIMEOUT_MS: { schema: count(100, 120_000), default: '10000', doc: 'Per-request timeout towards SMS providers, in ms.' },
  SMS_WORKER_INTERVAL_MS: { schema: count(10, 3_600_000), default: String(defaultWorkerOptions.intervalMs), doc: 'Poll interval of the SMS outbox worker, in ms.' },
  SMS_WORKER_BATCH_SIZE: { schema: count(1, 1000), default: String(defaultWorkerOptions.batchSize), doc: 'Messages the outbox worker claims per run, and the most an instance sends at once right after storing them.' },
  SMS_WORKER_MAX_ATTEMPTS: { schema: count(1, 100), default: String(defaultWorkerOptions.maxAttempts), doc: 'Attempts before a message is marked failed.' },
  SMS_WORKER_BACKOFF_BASE_MS: {
    schema: count(0, 3_600_000),
    default: String(defaultWorkerOptions.backoffBaseMs),
    doc: 'First retry delay of a failed send, in ms; doubled after each failure up to `SMS_WORKER_BACKOFF_MAX_MS`.',
  },
  SMS_WORKER_BACKOFF_MAX_MS: { schema: count(0, 86_400_000), default: String(defaultWorkerOptions.backoffMaxMs), doc: 'Longest retry delay, in ms.' },
  SMS_WORKER_MAX_AGE_MS: {
    schema: count(1000, 86_400_000),
    default: String(defaultWorkerOptions.maxAgeMs),
    doc: 'A message not handed to a provider within this time is failed (its code would be stale), in ms.',
  },
  SMS_WORKER_LEASE_MS: {
    schema: count(1000, 3_600_000),
    default: String(defaultWorkerOptions.leaseMs),
    doc: 'How long a claimed message belongs to one instance before another may take it over, in ms.',
  },
  REDIS_URL: {
    schema: z.string().refine((v) => /^rediss?:\/\//.test(v), 'must be redis://host:port or rediss://host:port'),
    shownDefault: 'none (counters in the database)',
    doc: 'Keep the rate-limit counters (sign-in delays, SMS send limits and cooldowns, spend limits, pumping checks) and the settings version stamp in Redis instead of the database. Fails closed: while Redis is unreachable, SMS codes are not sent, password sign-in answers 503 "please try again", and `/readyz` answers 503.',
  },
  REDIS_KEY_PREFIX: { schema: z.string().min(1).max(100), default: 'codeword:', doc: 'Put before every Redis key, so several installations can share one Redis.' },
  LOGIN_FREE_ACCOUNT_FAILURES: {
    schema: count(1, 1000),
    default: String(defaultThrottleSettings.freeAccountFailures),
    doc: 'Wrong passwords per account before sign-in delays start.',
  },
  LOGIN_FREE_IP_FAILURES: { schema: count(1, 100_000), default: String(defaultThrottleSettings.freeIpFailures), doc: 'Wrong passwords per client IP before delays start.' },
  LOGIN_FIRST_DELAY_SECONDS: {
    schema: count(1, 3600),
    default: String(defaultThrottleSettings.firstDelaySeconds),
    doc: 'First sign-in delay once the free failures are used, in seconds; each further failure doubles it.',
  },
  LOGIN_MAX_DELAY_SECONDS: { schema: count(1, 86_400), default: String(defaultThrottleSettings.maxDelaySeconds), doc: 'Longest sign-in delay, in seconds.' },
  LOGIN_WINDOW_SECONDS: {
    schema: count(60, 30 * 86_400),
    default: String(defaultThrottleSettings.windowSeconds),
    doc: 'Wrong passwords are forgotten after this many seconds without another.',
  },
  CODE_FREE_FAILURES: { schema: count(1, 1000), default: String(defaultFailureSettings.freeFailures), doc: 'Wrong SMS codes per phone number before verification delays start.' },
  CODE_MAX_DELAY_SECONDS: {
    schema: count(1, 86_400),
    default: String(defaultFailureSettings.maxDelaySeconds),
    doc: 'Longest delay between two code verifications for one number, in seconds (delays double from 1 s).',
  },
  CODE_FAILURE_WINDOW_SECONDS: {
    schema: count(60, 30 * 86_400),
    default: String(defaultFailureSettings.windowSeconds),
    doc: 'The wrong-code count of a number starts again after this many seconds without a wrong code.',
  },
  SIGN_IN_EVENTS_RETENTION_DAYS: {
    schema: count(0, 3650),
    default: '90',
    doc: 'How long sign-in events (success and failure per method, app, IP, country, reason) stay in the audit log, in days; the maintenance job deletes older ones (0 keeps them).',
  },
  GEOIP_DB: {
    schema: z.string().min(1),
    shownDefault: 'none (no country for password sign-ins)',
    doc: 'Path of a MaxMind DB file (GeoLite2 or GeoIP2, Country or City) giving the country of password sign-in events from the client IP; opened once at start-up, and a missing or invalid file stops start-up. None ships with Codeword: GeoLite2-Country is a free download from MaxMind (an account is needed). Unset, password sign-ins record no country (SMS sign-ins take the phone number\'s).',
  },
  MAINTENANCE_INTERVAL_MS: {
    schema: count(0, 86_400_000),
    default: '600000',
    doc: 'How often each instance deletes expired tokens, codes and counters, in ms (0 disables).',
  },
  DEMO_CLIENT: {
    schema: bool,
    default: 'true',
    doc: 'In development, register the demo relying party at `/demo`. Ignored in production.',
  },
  ADMIN_USERNAME: {
    schema: z.string().min(1).max(191),
    doc: 'Username of the first admin, created on first start (with `ADMIN_PASSWORD`). In development without it, an `admin` user is created and its password printed once.',
  },
  ADMIN_PASSWORD: {
    schema: z.string().min(12, 'must be at least 12 characters'),
    doc: 'Password of the first admin (at least 12 characters; used only when that user is created).',
  },
  ADMIN_CLIENT_ID: {
    schema: z.string().regex(/^[A-Za-z0-9._-]{3,128}$/, 'must be 3 to 128 letters, digits, dots, dashes or underscores'),
    doc: 'Client id of the first machine client of the admin API (client credentials, scopes `admin` and `admin:read`), created on first start.',
  },
  ADMIN_CLIENT_SECRET: { schema: z.string().min(32, 'must be at least 32 characters'), doc: 'Secret of that machine client (at least 32 characters).' },
} satisfies Record<string, Setting>;

export type SettingName = keyof typeof settings;
