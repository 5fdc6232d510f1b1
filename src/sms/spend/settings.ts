// Spend and pumping-defence settings, one admin-editable row with documented defaults; the alert secret stays sealed.
import type { Knex } from 'knex';
import { getCountries } from 'libphonenumber-js/max';
import { z } from 'zod';
import { jsonColumn } from '../../db/knex.ts';
import { localSettingsCache, type SettingsCache } from '../../db/recent.ts';
import { parseWith } from '../../errors.ts';
import type { SecretBox } from '../../security/secrets.ts';

const countries = new Set<string>(getCountries());
const country = z
  .string()
  .transform((c) => c.toUpperCase())
  .refine((c) => countries.has(c), 'must be an ISO 3166-1 alpha-2 country code such as US or FR');
const money = z.number().min(0).max(10_000_000);
const messages = z.number().int().min(0).max(100_000_000);

export const spendSettingsSchema = z
  .object({
    /** Currency of prices and budgets (ISO 4217), for display and the metric label. */
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD').default('USD'),
    /** Price of one segment to a country without a price of its own. */
    defaultPrice: z.number().min(0).max(100).default(0.05),
    /** Price of one segment per country, and per provider where providers differ (a provider's price wins). */
    prices: z.array(z.object({ country, provider: z.string().min(1).max(32).nullable().default(null), price: z.number().min(0).max(100) }).strict()).max(1000).default([]),
    /** Messages per destination country per clock hour / UTC day, unless the country has caps of its own. */
    countryHourly: messages.default(1000),
    countryDaily: messages.default(10_000),
    countryCaps: z.array(z.object({ country, hourly: messages, daily: messages }).strict()).max(300).default([]),
    /** Money sent per UTC day and per UTC calendar month, all countries together. */
    dailyBudget: money.default(100),
    monthlyBudget: money.default(2000),
    /** Share of every cap and budget only MFA sends after a proven password may use. */
    mfaReserve: z.number().min(0).max(0.9).default(0.2),
    /** Where alerts are posted (signed); it must match SMS_PROVIDER_HOSTS. */
    alertUrl: z.url({ protocol: /^https?$/ }).max(500).nullable().default(null),
    conversion: z
      .object({
        /** Length of the sliding window, in seconds. */
        windowSeconds: z.number().int().min(300).max(7 * 86_400).default(3600),
        /** Sends in the window before a prefix, IP range or country can be judged. */
        minSendsPrefix: z.number().int().min(1).max(1_000_000).default(20),
        minSendsIp: z.number().int().min(1).max(1_000_000).default(20),
        minSendsCountry: z.number().int().min(1).max(1_000_000).default(200),
        /** Verified codes per send below which new sends there are refused. */
        threshold: z.number().min(0).max(1).default(0.2),
      })
      .strict()
      .default({ windowSeconds: 3600, minSendsPrefix: 20, minSendsIp: 20, minSendsCountry: 200, threshold: 0.2 }),
    /**
     * Support follow-up: minutes after which a delivered sign-in or reset code that is still unused gets one message
     * (purpose `support_followup`) with the support contact; null: off (the default).
     */
    followup: z
      .object({
        afterMinutes: z.number().int().min(5, 'must be at least 5 minutes').max(60, 'at most 60 minutes').nullable().default(null),
        purposes: z.array(z.enum(['login', 'signup', 'reset_password'])).min(1, 'name at least one purpose').max(3).default(['login', 'reset_password']),
      })
      .strict()
      .default({ afterMinutes: null, purposes: ['login', 'reset_password'] }),
  })
  .strict();

export type SpendSettings = z.infer<typeof spendSettingsSchema>;
export type SpendSettingsInput = z.input<typeof spendSettingsSchema> & { alertSecret?: string | null };
export const defaultSpendSettings: Readonly<SpendSettings> = Object.freeze(spendSettingsSchema.parse({}));

/** What the admin API shows: the settings, and whether an alert secret is set (never the secret). */
export type SpendSettingsView = SpendSettings & { alertSecretSet: boolean };

const secretSchema = z.string().min(16, 'must be at least 16 characters').max(200).nullable();

export function createSpendSettingsStore(db: Knex, box: SecretBox, now: () => number = Date.now, cacheOf: SettingsCache = localSettingsCache()) {
  const cache = cacheOf.recent<1, { settings: SpendSettings; secret: string | null }>();
  const load = () =>
    cache.get(1, async () => {
      const row = await db('sms_spend_settings').where({ id: 1 }).first('settings', 'alert_secret_sealed');
      const settings = row ? spendSettingsSchema.parse(jsonColumn(row.settings, {})) : { ...defaultSpendSettings };
      return { settings, secret: row?.alert_secret_sealed ? box.decrypt(String(row.alert_secret_sealed)) : null };
    });
  const view = (l: { settings: SpendSettings; secret: string | null }): SpendSettingsView => ({ ...l.settings, alertSecretSet: l.secret !== null });
  return {
    get: async (): Promise<SpendSettings> => (await load()).settings,
    view: async (): Promise<SpendSettingsView> => view(await load()),
    alertSecret: async (): Promise<string | null> => (await load()).secret,

    /** Validates and saves a change over the current settings; `alertSecret: null` removes the secret. */
    async update(change: unknown): Promise<SpendSettingsView> {
      const current = await load();
      const input = (change && typeof change === 'object' ? change : {}) as Record<string, unknown>;
      const { alertSecret, alertSecretSet: _ignored, ...rest } = input;
      const settings = parseWith(spendSettingsSchema, { ...current.settings, ...rest }, 'validation_failed');
      const secret = alertSecret === undefined ? current.secret : parseWith(secretSchema, alertSecret, 'validation_failed', { prefix: 'alertSecret' });
      await db('sms_spend_settings')
        .insert({ id: 1, settings: JSON.stringify(settings), alert_secret_sealed: secret === null ? null : box.encrypt(secret), updated_at: now() })
        .onConflict('id')
        .merge(['settings', 'alert_secret_sealed', 'updated_at']);
      await cacheOf.changed();
      return view({ settings, secret });
    },
  };
}

export type SpendSettingsStore = ReturnType<typeof createSpendSettingsStore>;
