// Signing and cookie keys as admins see them (ids and stages, never key material), and the staged rotation request.
import { z } from 'zod';

export const keyView = z.object({
  kind: z.enum(['signing', 'cookie']),
  id: z.string().describe('kid of a signing key; a short fingerprint of a cookie key.'),
  alg: z.string().optional(),
  state: z.enum(['pending', 'signing', 'verifying', 'removed']).describe('pending: published, not signing yet; verifying: replaced, still accepted.'),
  signsFrom: z.number().describe('When it signs (epoch ms); 0 for keys that always did.'),
  removeAt: z.number().nullable().describe('When it leaves the key set (epoch ms), if scheduled.'),
});

export const keyList = z.object({ items: z.array(keyView) });

export const keyRotateInput = z
  .object({
    kind: z.enum(['signing', 'cookie', 'both'], { message: 'must be signing, cookie or both' }).default('both'),
    delaySeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .optional()
      .describe('Seconds before the new keys sign; longer than every instance takes to reload (MAINTENANCE_INTERVAL_MS). Default 3600.'),
    retainSeconds: z
      .number()
      .int()
      .min(0)
      .max(365 * 86_400)
      .optional()
      .describe('Seconds the replaced keys keep verifying after that. Default 2 days (signing), 15 days (cookies).'),
  })
  .strict();
