// SMS accounts as admins submit and read them: one create variant per registered provider, secrets only ever masked.
import { z } from 'zod';
import { accountPatchSchema, homeCountry } from '../../../sms/accounts/schema.ts';
import type { ProviderRegistry } from '../../../sms/index.ts';
import { pageFields } from '../page.ts';
import { e164 } from './users.ts';

const base = {
  name: z.string().trim().min(1, 'is required').max(100, 'at most 100 characters'),
  note: z.string().max(2000, 'at most 2000 characters').nullable().optional(),
  isDefault: z.boolean().optional().describe('The account used when a feature names none.'),
  homeCountry: homeCountry.describe('ISO 3166-1 alpha-2 country whose numbers count as domestic for region-narrowed templates (default: the installation default, SMS_HOME_COUNTRY).'),
};

const verification = z.object({
  status: z.enum(['unverified', 'valid', 'invalid']),
  reason: z.string().nullable(),
  checkedAt: z.number().int().nullable().describe('Epoch milliseconds.'),
});

/** The account schemas of one instance, built from its provider registry (so the OpenAPI document lists every provider). */
export function smsAccountSchemas(registry: ProviderRegistry) {
  const kinds = registry.kinds();
  const variants = registry.list().map((d) => z.object({ ...base, provider: z.literal(d.kind), settings: d.settings.prefault({}) }).strict());
  const createInput = z
    .discriminatedUnion('provider', variants as unknown as [(typeof variants)[number], ...(typeof variants)[number][]], {
      message: `provider: must be one of ${kinds.join(', ')}`,
    })
    .describe('Secret settings are stored encrypted and never returned in full.');

  const patchInput = accountPatchSchema.describe(
    'settings merge field by field: a field left out (or a blank secret) keeps its value, null clears an optional one. Changing credentials, the sender or the URL makes the account unverified; changing the URL, account id or sender needs the secrets again.',
  );

  const view = z.object({
    id: z.string(),
    name: z.string(),
    note: z.string().nullable(),
    provider: z.enum(kinds),
    isDefault: z.boolean(),
    general: z.boolean().describe('Any app may send through it; otherwise only apps granted it (PUT /sms-accounts/{id}/access).'),
    homeCountry: z.string().nullable(),
    settings: z.record(z.string(), z.unknown()).describe('Provider settings with secrets masked (••••••••abcd).'),
    verification,
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  });
  return { createInput, patchInput, view };
}

export type SmsAccountSchemas = ReturnType<typeof smsAccountSchemas>;

export interface SmsAccountView {
  id: string;
  name: string;
  note: string | null;
  provider: string;
  isDefault: boolean;
  general: boolean;
  homeCountry: string | null;
  settings: Record<string, unknown>;
  verification: z.output<typeof verification>;
  createdAt: number;
  updatedAt: number;
}

export const smsTestInput = z
  .object({
    to: e164.describe('Recipient, E.164.'),
    language: z.string().max(35).optional().describe('Language of the test message (default: the default locale).'),
  })
  .strict();

export const smsTestResult = z.object({
  id: z.string().describe('Message id; follow it in /messages/{id}.'),
  language: z.string(),
  languageSource: z.string(),
  encoding: z.string(),
  characters: z.number().int(),
  segments: z.number().int(),
});

export const smsAccountListQuery = z.object({ ...pageFields }).strict();
