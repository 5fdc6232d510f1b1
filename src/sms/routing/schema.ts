// What admins may send for a routing rule, validated at the edge of the routing service.
import { getCountries } from 'libphonenumber-js/max';
import { z } from 'zod';
import { blankToUndefined } from '../validation.ts';

const countries = new Set<string>(getCountries());

const optional = <T extends z.ZodTypeAny>(s: T) => z.preprocess(blankToUndefined, s.nullable().optional());

const fields = {
  country: optional(
    z
      .string()
      .trim()
      .transform((v) => v.toUpperCase())
      .refine((v) => countries.has(v), 'must be an ISO 3166 country code such as CN, AU or US'),
  ),
  prefix: optional(z.string().trim().regex(/^\+[1-9]\d{0,14}$/, 'must be a number prefix in E.164 form, such as +86 or +8613')),
  clientId: optional(z.string().trim().min(1).max(255)),
  accountId: z.string({ message: 'is required' }).trim().min(1, 'is required').max(36),
  fallbackAccountId: optional(z.string().trim().min(1).max(36)),
  note: optional(z.string().max(500, 'at most 500 characters')),
  /** Where to put the rule (1 = first); default: last. */
  position: z.number().int().min(1, 'must be 1 or more').max(10_000).optional(),
};

export const routeInput = z.object(fields).strict();
export const routePatch = z.object(fields).partial().strict();
export type RouteInput = z.infer<typeof routeInput>;
