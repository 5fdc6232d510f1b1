// Every environment variable Codeword reads, declared once with its default and meaning.
// README's configuration table is checked against this list by a test.
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be an integer')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

export interface Setting {
  schema: z.ZodType;
  default?: string;
  doc: string;
}

export const settings = {
  NODE_ENV: {
    schema: z.enum(['development', 'production', 'test']),
    default: 'development',
    doc: '`development`, `production` or `test`. Production refuses unsafe defaults.',
  },
  PORT: { schema: port, default: '3000', doc: 'TCP port to listen on.' },
  HOST: { schema: z.string().min(1), default: '127.0.0.1', doc: 'Address to bind (use `0.0.0.0` in a container).' },
  ISSUER: {
    schema: z.url({ message: 'must be an absolute http(s) URL' }).refine((u) => /^https?:\/\//.test(u), 'must be http(s)'),
    doc: 'Public issuer URL. Default `http://localhost:$PORT`. Must be https in production.',
  },
  TRUST_PROXY: {
    schema: bool,
    default: 'false',
    doc: 'Trust `X-Forwarded-*` headers from a reverse proxy (needed for secure cookies behind TLS termination).',
  },
  DATABASE_URL: {
    schema: z
      .string()
      .refine((v) => /^(mysql|mariadb):\/\/[^/]+\/[^/?]+/.test(v) || /^sqlite:/.test(v), 'must be mysql://user:pass@host:port/db or sqlite:path'),
    doc: '`mysql://user:pass@host:port/db` for MySQL/MariaDB, or `sqlite:path/to/file`. Default: the embedded SQLite file `DATA_DIR/codeword.sqlite`.',
  },
  ALLOW_SQLITE_IN_PRODUCTION: {
    schema: bool,
    default: 'false',
    doc: 'Allow the embedded SQLite database when `NODE_ENV=production` (single instance only).',
  },
  SECRET_KEY: {
    schema: z.string().min(32, 'must be at least 32 characters'),
    doc: 'Root secret: signs cookies, keys one-time-code HMACs, encrypts secrets at rest. Required in production; in development generated once into `DATA_DIR/secret-key`.',
  },
  PREVIOUS_SECRET_KEYS: {
    schema: z.string(),
    default: '',
    doc: 'Comma-separated former `SECRET_KEY` values, still accepted for decryption while secrets are rotated.',
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
  DEMO_CLIENT: {
    schema: bool,
    default: 'true',
    doc: 'In development, register the demo relying party at `/demo`. Ignored in production.',
  },
  ADMIN_USERNAME: {
    schema: z.string().min(1).max(191),
    doc: 'Username of the first admin, created on first start (with `ADMIN_PASSWORD`). In development without it, an `admin` user is created and its password printed once.',
  },
  ADMIN_PASSWORD: { schema: z.string().min(12, 'must be at least 12 characters'), doc: 'Password of the first admin (used only when that user is created).' },
  ADMIN_CLIENT_ID: {
    schema: z.string().regex(/^[A-Za-z0-9._-]{3,128}$/, 'must be 3 to 128 letters, digits, dots, dashes or underscores'),
    doc: 'Client id of the first machine client of the admin API (client credentials, scopes `admin` and `admin:read`), created on first start.',
  },
  ADMIN_CLIENT_SECRET: { schema: z.string().min(32, 'must be at least 32 characters'), doc: 'Secret of that machine client.' },
} satisfies Record<string, Setting>;

export type SettingName = keyof typeof settings;
