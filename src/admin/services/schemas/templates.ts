// SMS templates as admins submit and read them, and the preview (text, encoding, segments) the editor shows.
import { z } from 'zod';
import { previewInput, templateInput } from '../../../sms/templates/schema.ts';
import { PURPOSES } from '../../../sms/types.ts';
import { pageFields } from '../page.ts';

export const templateSaveInput = templateInput.describe(
  'Creates the override of one scope (purpose, language, accountId, region), or replaces the body of the one that exists.',
);

export const templatePatchInput = z.object({ body: z.string().max(1600, 'at most 1600 characters') }).strict();

export const templatePreviewInput = previewInput.describe(
  'Renders `body` (or the template that would be used) with sample values, or with `values` when given.',
);

export const templateView = z.object({
  id: z.string(),
  purpose: z.enum(PURPOSES),
  language: z.string(),
  accountId: z.string().nullable(),
  region: z.enum(['domestic', 'international']).nullable(),
  body: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type TemplateView = z.output<typeof templateView>;

export const builtinTemplateView = z.object({ purpose: z.enum(PURPOSES), language: z.string(), body: z.string() });

export const templatePreview = z.object({
  text: z.string().describe('The message as it would be sent (with the autofill line for code purposes).'),
  encoding: z.enum(['GSM-7', 'UCS-2']),
  characters: z.number().int(),
  units: z.number().int().describe('Septets (GSM-7) or UTF-16 code units (UCS-2).'),
  segments: z.number().int(),
  language: z.string(),
  languageSource: z.string(),
  templateId: z.string().nullable().describe('The stored template used; null for the given body or a built-in text.'),
  gsm7Friendly: z.boolean().describe('Whether characters outside GSM-7 were replaced by their nearest GSM-7 equivalents.'),
  alternative: z
    .object({ text: z.string(), encoding: z.enum(['GSM-7', 'UCS-2']), characters: z.number().int(), units: z.number().int(), segments: z.number().int(), gsm7Friendly: z.boolean() })
    .describe('The same message in the other rendering (GSM-7 friendly on or off), to compare the cost.'),
});

export const templateListQuery = z
  .object({
    ...pageFields,
    purpose: z.enum(PURPOSES).optional(),
    language: z.string().max(35).optional(),
    accountId: z.string().max(36).optional(),
  })
  .strict();
