// Routing rules as admins submit and read them (the SMS layer validates them again), and the effective order.
import { z } from 'zod';
import { routeInput, routePatch } from '../../../sms/routing/schema.ts';

export const smsRouteCreateInput = routeInput.describe(
  'A routing rule: messages to numbers of `country` and/or starting with `prefix`, optionally for one app only, go out through `accountId`; when that fails for a reason of the route, once more through `fallbackAccountId`. Rules are evaluated by `position`, 1 first.',
);
export const smsRoutePatchInput = routePatch;

export const smsRouteView = z.object({
  id: z.string(),
  position: z.number().int().describe('Evaluation order, 1 first.'),
  country: z.string().nullable().describe('ISO 3166 country of the destination; null: any.'),
  prefix: z.string().nullable().describe('E.164 prefix of the destination; null: any.'),
  clientId: z.string().nullable().describe('Only messages for this app; null: any app.'),
  accountId: z.string(),
  fallbackAccountId: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

export const smsRoutesView = z.object({
  items: z.array(smsRouteView),
  implicit: z
    .array(z.object({ source: z.enum(['sms_connection', 'sms_factor', 'default']), accountId: z.string().nullable(), accountName: z.string().nullable() }))
    .describe('What happens when no rule matches (or its account may not be used by the app): the SMS connection’s account for sign-in codes, the SMS factor’s for MFA codes, else the default account.'),
});
