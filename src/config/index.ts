// Parses the environment once into a frozen, typed configuration; a bad value stops start-up.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { type SettingName, settings } from './schema.ts';

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  issuer: string;
  trustProxy: boolean;
  database: { client: 'mysql2'; url: string } | { client: 'better-sqlite3'; filename: string };
  secretKey: string;
  previousSecretKeys: string[];
  dataDir: string;
  logLevel: string;
  defaultLocale: string;
  supportContact: string;
  demoClient: boolean;
  admin: { username?: string; password?: string; clientId?: string; clientSecret?: string };
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

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const warnings: string[] = [];
  const nodeEnv = read(env, 'NODE_ENV') as Config['env'];
  const port = read(env, 'PORT') as number;
  const issuer = ((read(env, 'ISSUER') as string | undefined) ?? `http://localhost:${port}`).replace(/\/$/, '');
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

  const config: Config = {
    env: nodeEnv,
    port,
    host: read(env, 'HOST') as string,
    issuer,
    trustProxy: read(env, 'TRUST_PROXY') as boolean,
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
    warnings,
  };
  return Object.freeze(config);
}
