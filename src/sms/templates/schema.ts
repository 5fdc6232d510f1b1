// What admins may send for a template (save) and for a preview, validated at the edge of the templates service.
import { z } from 'zod';
import { PURPOSES } from '../types.ts';
import { canonicalTag } from './language.ts';

const language = z
  .string()
  .transform((v, ctx) => {
    const tag = canonicalTag(v);
    if (!tag) ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag such as en, pt-BR or zh-CN' });
    return tag ?? v;
  });

export const templateInput = z
  .object({
    purpose: z.enum(PURPOSES, { message: `must be one of ${PURPOSES.join(', ')}` }),
    language,
    accountId: z.string().min(1).nullable().optional(),
    region: z.enum(['domestic', 'international'], { message: 'must be domestic or international' }).nullable().optional(),
    body: z.string().max(1600, 'at most 1600 characters'),
  })
  .strict();

const valuesInput = z
  .object({
    code: z.string().max(32).optional(),
    phone_number: z.string().max(32).optional(),
    application: z.object({ name: z.string().max(100) }).partial().optional(),
    request_language: z.string().max(35).optional(),
    user: z.object({ name: z.string().max(200), login: z.string().max(200) }).partial().optional(),
    expires_in_minutes: z.number().int().min(0).max(100_000).optional(),
    support_contact: z.string().max(200).optional(),
  })
  .strict();

export const previewInput = z
  .object({
    purpose: z.enum(PURPOSES, { message: `must be one of ${PURPOSES.join(', ')}` }),
    language: language.optional(),
    body: z.string().max(1600, 'at most 1600 characters').optional(),
    accountId: z.string().min(1).optional(),
    to: z.string().optional(),
    /** Show the text "GSM-7 friendly" (characters outside GSM-7 replaced); default: the setting in use. */
    gsm7Friendly: z.boolean().optional(),
    values: valuesInput.optional(),
  })
  .strict();
