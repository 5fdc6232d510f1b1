// What admins may send for signatures, provider templates and account access, validated at the edge of the resources service.
import { z } from 'zod';
import { PURPOSES } from '../purposes.ts';
import { canonicalTag } from '../templates/language.ts';
import { blankToUndefined } from '../validation.ts';
import { TEMPLATE_VARIABLES } from './types.ts';

const region = z.enum(['domestic', 'international'], { message: 'must be domestic or international' });
const clientIdList = z.array(z.string().trim().min(1).max(255)).max(500, 'at most 500 apps');
const clientIds = clientIdList.default([]);
const note = z.preprocess(blankToUndefined, z.string().max(2000, 'at most 2000 characters').nullable().optional());

const signatureFields = {
  // Alibaba: 2 to 12 characters, no 【】 (carriers add them); the international site allows a little more.
  signName: z
    .string()
    .trim()
    .min(2, 'at least 2 characters')
    .max(20, 'at most 20 characters')
    .refine((v) => !/[【】[\]\r\n]/.test(v), 'without brackets or line breaks (carriers add 【】 themselves)'),
  region,
  note,
};

export const signatureInput = z.object({ accountId: z.string().min(1).max(36), ...signatureFields, general: z.boolean().default(false), clientIds }).strict();

/** A change: only the fields given (no defaults, so a change of the note keeps the grants). */
export const signaturePatch = z.object({ ...signatureFields, general: z.boolean(), clientIds: clientIdList }).partial().strict();

const templateCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{3,64}$/, 'must be the provider template code, e.g. SMS_154950909');

const templateFields = {
  purpose: z.enum(PURPOSES, { message: `must be one of ${PURPOSES.join(', ')}` }),
  region,
  language: z.preprocess(
    blankToUndefined,
    z
      .string()
      .transform((v, ctx) => {
        const tag = canonicalTag(v);
        if (!tag) ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag such as en or zh-CN' });
        return tag ?? v;
      })
      .nullable()
      .optional(),
  ),
};

const params = z.record(
  z.string().regex(/^\w{1,32}$/, 'parameter names are letters, digits and _'),
  z.enum(TEMPLATE_VARIABLES, { message: `must be one of ${TEMPLATE_VARIABLES.join(', ')}` }),
);

export const templateInput = z
  .object({ accountId: z.string().min(1).max(36), code: templateCode, ...templateFields, params: params.default({}), general: z.boolean().default(false), clientIds })
  .strict();

/** A change: only the fields given (no defaults, so a change of the grants keeps the mapping). */
export const templatePatch = z.object({ ...templateFields, params, general: z.boolean(), clientIds: clientIdList }).partial().strict();

export const accessInput = z.object({ general: z.boolean(), clientIds }).strict();

export const previewInput = z
  .object({ values: z.partialRecord(z.enum(TEMPLATE_VARIABLES), z.string().max(200)).optional(), signatureId: z.string().max(36).optional() })
  .strict();
