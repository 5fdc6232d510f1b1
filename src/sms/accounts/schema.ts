// The provider-independent part of an SMS account; provider settings are validated by the provider's descriptor.
import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import { blankToUndefined } from '../validation.ts';

const name = z.string().trim().min(1, 'is required').max(100, 'at most 100 characters');
const note = z.preprocess(blankToUndefined, z.string().max(2000, 'at most 2000 characters').nullable().optional());

/** ISO 3166-1 alpha-2: numbers of this country count as `domestic` for region-narrowed templates. */
export const homeCountry = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? null : v.trim().toUpperCase()) : v),
  z
    .string()
    .refine((c) => /^[A-Z]{2}$/.test(c) && isSupportedCountry(c), 'must be an ISO 3166-1 alpha-2 country code, e.g. AU')
    .nullable()
    .optional(),
);

export const accountFieldsSchema = z
  .object({
    name,
    note,
    provider: z.string().max(32),
    isDefault: z.boolean().optional(),
    homeCountry,
    settings: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const accountPatchSchema = z
  .object({
    name: name.optional(),
    note,
    isDefault: z.boolean().optional(),
    homeCountry,
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
