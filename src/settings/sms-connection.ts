// Settings of the SMS connection (passwordless sign-in by text message), declared once with their defaults.
import type { Knex } from 'knex';
import { getCountries, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import { jsonColumn } from '../db/knex.ts';
import { localSettingsCache, type SettingsCache } from '../db/recent.ts';
import { guessingProblem } from '../codes/guessing.ts';
import { parseWith } from '../errors.ts';

const countries = new Set<string>(getCountries());
const country = z
  .string()
  .transform((c) => c.toUpperCase())
  .refine((c) => countries.has(c), 'must be an ISO 3166-1 alpha-2 country code such as US or FR');

export const smsConnectionSchema = z.object({
  /** Whether passwordless SMS sign-in is offered at all. */
  enabled: z.boolean().default(false),
  /** The SMS account codes are sent through (must be verified for the option to show). */
  accountId: z.string().min(1).nullable().default(null),
  /** Applications (client ids) that offer "Sign in with a text message"; others never show it. */
  clientIds: z.array(z.string().min(1)).default([]),
  /** Digits in a code. */
  codeLength: z.number().int().min(4, 'must be 4 to 10 digits').max(10, 'must be 4 to 10 digits').default(6),
  /** Seconds a code stays valid. */
  codeLifetimeSeconds: z.number().int().min(60, 'must be 60 to 3600 seconds').max(3600, 'must be 60 to 3600 seconds').default(300),
  /** Wrong codes allowed per code before it stops working. */
  maxAttempts: z.number().int().min(1).max(20).default(5),
  /** Seconds before another code can be sent to the same number. */
  resendCooldownSeconds: z.number().int().min(0).max(3600).default(30),
  /** Codes sent to one number per hour. */
  perPhonePerHour: z.number().int().min(1).max(1000).default(5),
  /** Codes sent on behalf of one client IP per hour. */
  perIpPerHour: z.number().int().min(1).max(100_000).default(50),
  /** Whether an unknown number gets an account after verifying its code. Off: only existing users can sign in. */
  signups: z.boolean().default(false),
  /** Countries numbers may belong to; empty means all. */
  allowedCountries: z.array(country).default([]),
  /** Country assumed for numbers typed in national format. */
  defaultCountry: country.nullable().default(null),
}).superRefine((c, ctx) => {
  const problem = guessingProblem(c.codeLength, c.maxAttempts);
  if (problem) ctx.addIssue({ code: 'custom', path: ['maxAttempts'], message: problem });
});

export type SmsConnection = z.infer<typeof smsConnectionSchema>;

export const defaultSmsConnection: Readonly<SmsConnection> = Object.freeze(smsConnectionSchema.parse({}));

export function createSmsConnectionStore(db: Knex, now: () => number = Date.now, caches: SettingsCache = localSettingsCache()) {
  const cache = caches.recent<1, SmsConnection>();
  return {
    get(): Promise<SmsConnection> {
      return cache.get(1, async () => {
        const row = await db('sms_connection').where({ id: 1 }).first('settings');
        return row ? smsConnectionSchema.parse(jsonColumn(row.settings, {})) : { ...defaultSmsConnection };
      });
    },

    /** Validates and saves a change (a partial update over the current settings). */
    async update(change: Partial<SmsConnection>): Promise<SmsConnection> {
      const settings = parseWith(smsConnectionSchema, { ...(await this.get()), ...change }, 'validation_failed');
      await db('sms_connection')
        .insert({ id: 1, settings: JSON.stringify(settings), updated_at: now() })
        .onConflict('id')
        .merge(['settings', 'updated_at']);
      await caches.changed();
      return settings;
    },
  };
}

export type SmsConnectionStore = ReturnType<typeof createSmsConnectionStore>;
export type { CountryCode };
