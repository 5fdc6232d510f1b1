// The audit log as admins read it: filters by action, target, actor and dates.
import { z } from 'zod';
import { pageFields, timestampQuery } from '../page.ts';

const since = timestampQuery.optional().describe('Only events at or after this time (ISO 8601 date or date-time, or epoch ms).');
const until = timestampQuery.optional().describe('Only events before this time (ISO 8601 date or date-time, or epoch ms).');

export const auditListQuery = z
  .object({
    ...pageFields,
    action: z.string().max(64).optional().describe('e.g. user.update, sms_account.create.'),
    target: z.string().max(64).optional().describe('Id of the resource changed.'),
    actor: z.string().max(64).optional().describe('client:<client_id> (API) or user:<user id> (console).'),
    since,
    until,
  })
  .strict();

export const auditEventView = z.object({
  id: z.string(),
  at: z.number().int().describe('Epoch milliseconds.'),
  actor: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).describe('before/after views (secrets masked) and other facts of the change.'),
});
