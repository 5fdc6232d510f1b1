// Parses the environment once into a frozen, typed configuration; a bad value stops start-up.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import type { DatabaseConfig } from './database.ts';
import { type SettingName, settings } from './schema.ts';

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** The issuer exactly as configured (`iss` of every token; may end with a slash). */
  issuer: string;
  /** The issuer without a trailing slash, for joining paths: `${urlBase}/admin`. */
  urlBase: string;
  /** Reverse proxies in front of Codeword (0: no X-Forwarded-* header is trusted). */
  trustProxyHops: number;
  database: DatabaseConfig;
  secretKey: string;
  previousSecretKeys: string[];
  dataDir: string;
  logLevel: string;
  defaultLocale: string;
  supportContact: string;
  demoClient: boolean;
  admin: { username?: string; password?: string; clientId?: string; clientSecret?: string };
  /** SMS behaviour an operator sets (handed to createSms). */
  sms: {
    homeCountry?: string;
    providerHosts: string[];
    autofill: boolean;
    providerTimeoutMs: number;
    worker: { intervalMs: number; batchSize: number; maxAttempts: number; backoffBaseMs: number; backoffMaxMs: number; maxAgeMs: number; leaseMs: number };
  };
  /** Wrong-password delays (the login throttle). */
  throttle: { freeAccountFailures: number; freeIpFailures: number; firstDelaySeconds: number; maxDelaySeconds: number; windowSeconds: number };
  /** Wrong-code delays per phone number. */
  codeFailures: { freeFailures: number; maxDelaySeconds: number; windowSeconds: number };
  /** Counters in Redis instead of the database (REDIS_URL); undefined: in the database. */
  redis?: { url: string; keyPrefix: string };
  /** Bearer token of GET /metrics; undefined: no metrics endpoint. */
  metricsToken?: string;
  maintenanceIntervalMs: number;
  /** Days sign-in events are kept (0: forever). */
  signInRetentionDays: number;
  /** MaxMind DB file giving the country of a client IP (GEOIP_DB); undefined: no IP countries. */
  geoipDb?: string;
  warnings: string[];
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function read<K extends SettingName>(env: Env, name: K): unknown {
  const setting = settings[name] as { schema: import('zod').ZodType; default?: string };
  const raw = env[name] === undefined || env[name] === '' ? setting.default : env[name];
  if (raw === undefined) return undefined;
  const parsed = setting.schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${name}: ${issue?.message ?? 'invalid value'} (got ${JSON.stringify(raw)})`);
  }
  return parsed.data;
}

function devSecret(dataDir: string, warnings: string[]): string {
  const file = join(dataDir, 'secret-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  warnings.push(`SECRET_KEY is not set: generated one into ${file}. Set SECRET_KEY in production.`);
  return secret;
}

/** 127.0.0.0/8, ::1 and `localhost`: addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const warnings: string[] = [];
  const nodeEnv = read(env, 'NODE_ENV') as Config['env'];
  const port = read(env, 'PORT') as number;
  const issuer = (read(env, 'ISSUER') as string | undefined) ?? `http://localhost:${port}`;
  const dataDir = resolve(read(env, 'DATA_DIR') as string);
  const dbUrl = (read(env, 'DATABASE_URL') as string | undefined) ?? `sqlite:${join(dataDir, 'codeword.sqlite')}`;
  const production = nodeEnv === 'production';

  let database: Config['database'];
  if (dbUrl.startsWith('sqlite:')) {
    const path = dbUrl.slice('sqlite:'.length);
    if (production && !(read(env, 'ALLOW_SQLITE_IN_PRODUCTION') as boolean)) {
      throw new ConfigError('DATABASE_URL: SQLite is refused in production; use mysql:// or set ALLOW_SQLITE_IN_PRODUCTION=true');
    }
    const filename = path === ':memory:' || isAbsolute(path) ? path : resolve(path);
    database = { client: 'better-sqlite3', filename };
  } else {
    database = { client: 'mysql2', url: dbUrl.replace(/^mariadb:/, 'mysql:') };
  }

  let secretKey = read(env, 'SECRET_KEY') as string | undefined;
  if (!secretKey) {
    if (production) throw new ConfigError('SECRET_KEY: required when NODE_ENV=production (at least 32 characters)');
    secretKey = devSecret(dataDir, warnings);
  }
  if (Boolean(env.ADMIN_USERNAME) !== Boolean(env.ADMIN_PASSWORD)) throw new ConfigError('ADMIN_PASSWORD: set ADMIN_USERNAME and ADMIN_PASSWORD together');
  if (Boolean(env.ADMIN_CLIENT_ID) !== Boolean(env.ADMIN_CLIENT_SECRET)) throw new ConfigError('ADMIN_CLIENT_SECRET: set ADMIN_CLIENT_ID and ADMIN_CLIENT_SECRET together');
  if (production && !issuer.startsWith('https://')) {
    throw new ConfigError('ISSUER: must be an https URL when NODE_ENV=production');
  }

  // TRUST_PROXY=true made Koa believe the leftmost X-Forwarded-For entry, which the client writes itself.
  const legacyProxy = env.TRUST_PROXY?.trim().toLowerCase();
  if (legacyProxy && !['false', '0', 'no'].includes(legacyProxy)) {
    throw new ConfigError('TRUST_PROXY: no longer supported (it let clients choose their own address); set TRUST_PROXY_HOPS to the number of reverse proxies instead, e.g. TRUST_PROXY_HOPS=1');
  }
  const host = read(env, 'HOST') as string;
  if (nodeEnv === 'development' && !isLoopback(host) && !(read(env, 'DEV_ALLOW_REMOTE') as boolean)) {
    throw new ConfigError(
      `HOST: ${host} is reachable from other machines, and in development /dev/sms shows every code to anyone; bind 127.0.0.1, or set DEV_ALLOW_REMOTE=true`,
    );
  }
  const num = (name: SettingName) => read(env, name) as number;

  const config: Config = {
    env: nodeEnv,
    port,
    host,
    issuer,
    urlBase: issuer.replace(/\/+$/, ''),
    trustProxyHops: num('TRUST_PROXY_HOPS'),
    database,
    secretKey,
    previousSecretKeys: (read(env, 'PREVIOUS_SECRET_KEYS') as string)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    dataDir,
    logLevel: read(env, 'LOG_LEVEL') as string,
    defaultLocale: read(env, 'DEFAULT_LOCALE') as string,
    supportContact: read(env, 'SUPPORT_CONTACT') as string,
    demoClient: !production && (read(env, 'DEMO_CLIENT') as boolean),
    admin: {
      username: read(env, 'ADMIN_USERNAME') as string | undefined,
      password: read(env, 'ADMIN_PASSWORD') as string | undefined,
      clientId: read(env, 'ADMIN_CLIENT_ID') as string | undefined,
      clientSecret: read(env, 'ADMIN_CLIENT_SECRET') as string | undefined,
    },
    metricsToken: read(env, 'METRICS_TOKEN') as string | undefined,
    ...(env.REDIS_URL ? { redis: { url: read(env, 'REDIS_URL') as string, keyPrefix: read(env, 'REDIS_KEY_PREFIX') as string } } : {}),
    sms: {
      homeCountry: read(env, 'SMS_HOME_COUNTRY') as string | undefined,
      providerHosts: (read(env, 'SMS_PROVIDER_HOSTS') as string)
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      autofill: read(env, 'SMS_AUTOFILL') as boolean,
      providerTimeoutMs: num('SMS_PROVIDER_TIMEOUT_MS'),
      worker: {
        intervalMs: num('SMS_WORKER_INTERVAL_MS'),
        batchSize: num('SMS_WORKER_BATCH_SIZE'),
        maxAttempts: num('SMS_WORKER_MAX_ATTEMPTS'),
        backoffBaseMs: num('SMS_WORKER_BACKOFF_BASE_MS'),
        backoffMaxMs: num('SMS_WORKER_BACKOFF_MAX_MS'),
        maxAgeMs: num('SMS_WORKER_MAX_AGE_MS'),
        leaseMs: num('SMS_WORKER_LEASE_MS'),
      },
    },
    throttle: {
      freeAccountFailures: num('LOGIN_FREE_ACCOUNT_FAILURES'),
      freeIpFailures: num('LOGIN_FREE_IP_FAILURES'),
      firstDelaySeconds: num('LOGIN_FIRST_DELAY_SECONDS'),
      maxDelaySeconds: num('LOGIN_MAX_DELAY_SECONDS'),
      windowSeconds: num('LOGIN_WINDOW_SECONDS'),
    },
    codeFailures: {
      freeFailures: num('CODE_FREE_FAILURES'),
      maxDelaySeconds: num('CODE_MAX_DELAY_SECONDS'),
      windowSeconds: num('CODE_FAILURE_WINDOW_SECONDS'),
    },
    maintenanceIntervalMs: num('MAINTENANCE_INTERVAL_MS'),
    signInRetentionDays: num('SIGN_IN_EVENTS_RETENTION_DAYS'),
    ...(env.GEOIP_DB ? { geoipDb: resolve(read(env, 'GEOIP_DB') as string) } : {}),
    warnings,
  };
  return Object.freeze(config);
}
