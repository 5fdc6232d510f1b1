// The SMS message log as admins read it: filters (status, purpose, account, provider, dates) and the masked view.
import { z } from 'zod';
import { STATUS_RANK } from '../../../sms/status.ts';
import { PURPOSES } from '../../../sms/types.ts';
import { pageFields, timestampQuery } from '../page.ts';

const STATUSES = Object.keys(STATUS_RANK) as [string, ...string[]];
const since = timestampQuery.optional().describe('Only messages created at or after this time (ISO 8601 date or date-time, or epoch ms).');
const until = timestampQuery.optional().describe('Only messages created before this time (ISO 8601 date or date-time, or epoch ms).');

export const messageListQuery = z
  .object({
    ...pageFields,
    status: z.enum(STATUSES, { message: `must be one of ${STATUSES.join(', ')}` }).optional(),
    purpose: z.enum(PURPOSES, { message: `must be one of ${PURPOSES.join(', ')}` }).optional(),
    accountId: z.string().max(36).optional(),
    provider: z.string().max(32).optional(),
    since,
    until,
  })
  .strict();

export const messageView = z
  .object({
    id: z.string(),
    accountId: z.string(),
    provider: z.string(),
    purpose: z.enum(PURPOSES),
    to: z.string().describe('Masked recipient (+33•••••••78).'),
    language: z.string(),
    encoding: z.string(),
    characters: z.number().int(),
    segments: z.number().int(),
    status: z.string().describe(`One of ${STATUSES.join(', ')}.`),
    final: z.boolean(),
    delivered: z.boolean(),
    failed: z.boolean(),
    errorCode: z.string().nullable(),
    reason: z.string().nullable(),
    reasonKey: z.string().nullable(),
    attempts: z.number().int(),
    providerMessageId: z.string().nullable(),
    flowId: z.string().nullable(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
    acceptedAt: z.number().int().nullable(),
    completedAt: z.number().int().nullable(),
  })
  .describe('A message of the log: never its text or the full number.');
