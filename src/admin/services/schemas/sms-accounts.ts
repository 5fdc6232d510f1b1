// SMS accounts as admins submit and read them: provider settings per kind on create, secrets only ever masked in a view.
import { z } from 'zod';
import { accountPatchSchema, devSettingsSchema, httpSettingsSchema, twilioSettingsSchema } from '../../../sms/accounts/schema.ts';
import { pageFields } from '../page.ts';
import { e164 } from './users.ts';

const base = {
  name: z.string().trim().min(1, 'is required').max(100, 'at most 100 characters'),
  note: z.string().max(2000, 'at most 2000 characters').nullable().optional(),
  isDefault: z.boolean().optional().describe('The account used when a feature names none.'),
};

export const smsAccountCreateInput = z
  .discriminatedUnion(
    'provider',
    [
      z.object({ ...base, provider: z.literal('twilio'), settings: twilioSettingsSchema }).strict(),
      z.object({ ...base, provider: z.literal('http'), settings: httpSettingsSchema }).strict(),
      z.object({ ...base, provider: z.literal('dev'), settings: devSettingsSchema.default({}) }).strict(),
    ],
    { message: 'provider: must be twilio, http or dev' },
  )
  .describe('Secrets (authToken, apiKeySecret, secret header values) are stored encrypted and never returned in full.');

export const smsAccountPatchInput = accountPatchSchema.describe(
  'settings merge field by field: a field left out (or a blank secret) keeps its value, null clears an optional one. Changing credentials, the sender or the URL makes the account unverified.',
);

export const smsAccountView = z.object({
  id: z.string(),
  name: z.string(),
  note: z.string().nullable(),
  provider: z.enum(['twilio', 'http', 'dev']),
  isDefault: z.boolean(),
  settings: z.record(z.string(), z.unknown()).describe('Provider settings with secrets masked (••••••••abcd).'),
  verification: z.object({
    status: z.enum(['unverified', 'valid', 'invalid']),
    reason: z.string().nullable(),
    checkedAt: z.number().int().nullable().describe('Epoch milliseconds.'),
  }),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type SmsAccountView = z.output<typeof smsAccountView>;

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
