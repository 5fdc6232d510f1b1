// The audit log as admins read it: filters by action, target, actor and dates.
import { z } from 'zod';
import { pageFields, timestampQuery } from '../page.ts';

const since = timestampQuery.optional().describe('Only events at or after this time (ISO 8601 date or date-time, or epoch ms).');
const until = timestampQuery.optional().describe('Only events before this time (ISO 8601 date or date-time, or epoch ms).');

export const auditListQuery = z
  .object({
    ...pageFields,
    action: z.string().max(64).optional().describe('An action (user.update) or a prefix: `user.` or `user` finds user.create, user.update, …; `signin.` finds sign-in events.'),
    target: z.string().max(64).optional().describe('Id of the resource changed, or a username or email.'),
    actor: z.string().max(64).optional().describe('client:<client_id> (API), user:<user id> (console), or a username.'),
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
  actorLabel: z.string().nullable().describe('The actor by name (username or app name), when it still exists.'),
  targetLabel: z.string().nullable().describe('The target by name (username, app, policy or SMS account name), when it still exists.'),
  changes: z
    .array(z.object({ field: z.string(), before: z.string().nullable(), after: z.string().nullable() }))
    .describe('Field-by-field difference of details.before and details.after (values as JSON text; null: absent).'),
  details: z.record(z.string(), z.unknown()).describe('before/after views (secrets masked) and other facts of the change.'),
});
