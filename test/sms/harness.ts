// Test harness for the SMS suites: a migrated test database, a controllable clock, and createSms wired to them.
import { type Logger, pino } from 'pino';
import type { Config } from '../../src/config/index.ts';
import { createKnex, type Knex, migrateLatest } from '../../src/db/knex.ts';
import { createSecretBox, type SecretBox } from '../../src/security/secrets.ts';
import { createSms, DEFAULT_PROVIDER_HOSTS, type Sms, type SmsDeps } from '../../src/sms/index.ts';
import type { SmsOptions } from '../../src/sms/types.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import type { FakeTwilio } from '../fakes/fake-twilio.ts';

export const TEST_SECRET = 'sms-test-secret-key-that-is-long-enough-0123456789';

/** The fakes listen on the loopback address, which providers may call only when it is listed explicitly (.example never resolves). */
export const TEST_PROVIDER_HOSTS = [...DEFAULT_PROVIDER_HOSTS, '127.0.0.1', '*.example'];

export interface Clock {
  now(): number;
  advance(ms: number): void;
}

/** Starts at the real time (the fake Twilio stamps messages with real dates) and moves only when told. */
export function createClock(): Clock {
  let t = Date.now();
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

export type SmsConfig = Pick<Config, 'env' | 'issuer' | 'defaultLocale' | 'supportContact'>;

export interface Harness {
  db: Knex;
  box: SecretBox;
  clock: Clock;
  config: SmsConfig;
  database: TestDatabase;
  sms: Sms;
  /** Another createSms on the same database (a second instance), with its own connection pool. */
  instance(overrides?: { options?: SmsOptions }): Sms;
  close(): Promise<void>;
}

export async function createHarness(
  opts: { config?: Partial<SmsConfig>; options?: SmsOptions; logger?: Logger; screens?: SmsDeps['screens'] } = {},
): Promise<Harness> {
  const database = await createTestDatabase();
  const db = createKnex(database.database);
  await migrateLatest(db);
  const clock = createClock();
  const box = createSecretBox(TEST_SECRET);
  const logger = opts.logger ?? pino({ level: process.env.TEST_LOG ?? 'silent' });
  const config: SmsConfig = { env: 'test', issuer: 'https://id.example.com', defaultLocale: 'en', supportContact: '', ...opts.config };
  const options: SmsOptions = { providerTimeoutMs: 2000, providerHosts: TEST_PROVIDER_HOSTS, ...opts.options };
  const sms = createSms({ db, box, config, logger, now: clock.now, options, screens: opts.screens });
  const extra: { db: Knex; sms: Sms }[] = [];
  return {
    db,
    box,
    clock,
    config,
    database,
    sms,
    instance(overrides = {}) {
      const db2 = createKnex(database.database);
      const s = createSms({ db: db2, box, config, logger, now: clock.now, options: { ...options, ...overrides.options } });
      extra.push({ db: db2, sms: s });
      return s;
    },
    async close() {
      for (const e of extra) {
        await e.sms.worker.stop();
        await e.db.destroy();
      }
      await sms.worker.stop();
      await db.destroy();
      await database.drop();
    },
  };
}

/** Settings of a Twilio account on the fake, authenticated with the Auth Token and sending from the magic number. */
export function twilioSettings(fake: FakeTwilio, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { accountSid: fake.accountSid, authToken: fake.authToken, from: fake.fromNumber, apiBaseUrl: fake.url, ...extra };
}

/** Creates and verifies a Twilio account on the fake; returns its id. */
export async function verifiedTwilioAccount(sms: Sms, fake: FakeTwilio, name: string, extra: Record<string, unknown> = {}, isDefault = true): Promise<string> {
  const account = await sms.accounts.create({ name, provider: 'twilio', isDefault, settings: twilioSettings(fake, extra) });
  const verified = await sms.accounts.verify(account.id);
  if (verified.verification.status !== 'valid') throw new Error(`fake account not verified: ${verified.verification.reason}`);
  return account.id;
}

/** Australian numbers reserved for fiction: valid and mobile under libphonenumber-js/max. */
export const AU_MOBILE = '+61491570156';
export const AU_MOBILE_2 = '+61491570157';
