// The SMS message log as admins read it: filters (recipient, country, status, purpose, app, account, provider, dates), the masked view and the detail.
import { getCountryCallingCode, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import { e164OrUndefined } from '../../../phone.ts';
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
    clientId: z.string().min(1).max(255).optional().describe('Only messages sent for this app (its client id).'),
    provider: z.string().max(32).optional(),
    to: z
      .string()
      .max(40)
      .transform((v, ctx) => {
        const e164 = e164OrUndefined(v);
        if (!e164) ctx.addIssue({ code: 'custom', message: 'must be a whole phone number in international form, e.g. +14155552671' });
        return e164 ?? '';
      })
      .optional()
      .describe('The whole recipient number (E.164, e.g. +61491570156): compared by its keyed hash, the number itself is never stored.'),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code, e.g. FR')
      .transform((v) => v.toUpperCase())
      .refine((v) => isSupportedCountry(v), 'is not a country code we know')
      .optional()
      .describe('Recipient country (ISO 3166 alpha-2), matched by calling code: countries sharing one (US and CA: +1) match together.'),
    since,
    until,
  })
  .strict();

/** `+33` for `FR`. */
export const callingCodeOf = (country: string): string => `+${getCountryCallingCode(country as CountryCode)}`;

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
    clientId: z.string().nullable().describe('The app (client id) the message was sent for; null for test sends.'),
    signatureId: z.string().nullable().optional().describe('For approved-template providers: the signature it was sent with.'),
    providerTemplateId: z.string().nullable().optional().describe('For approved-template providers: the provider template it was sent with.'),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
    acceptedAt: z.number().int().nullable(),
    completedAt: z.number().int().nullable(),
  })
  .describe('A message of the log: never its text or the full number.');

export const messageDetailView = messageView
  .extend({
    reasonText: z.string().nullable().describe('What the reason means, in English (the console shows it in the admin language).'),
    timeline: z
      .array(z.object({ status: z.string(), at: z.number().int() }))
      .describe('What is known of the message over time: queued, accepted by the provider, final status.'),
    template: z
      .object({
        purpose: z.enum(PURPOSES),
        language: z.string(),
        signName: z.string().nullable().optional().describe('For approved-template providers (Alibaba): the signature it was sent with; null when that signature was deleted since.'),
        providerTemplateCode: z.string().nullable().optional().describe("For approved-template providers: the provider template's code; null when deleted since."),
      })
      .describe('The template used: its purpose in the language the message was sent in, and for approved-template providers the signature and provider template.'),
    attemptLog: z
      .array(
        z.object({
          attempt: z.number().int().describe('1 for the first try.'),
          provider: z.string(),
          accountId: z.string(),
          startedAt: z.number().int(),
          finishedAt: z.number().int(),
          outcome: z.enum(['accepted', 'found', 'retry', 'failed']).describe('accepted by the provider; found there after an unanswered try; to be tried again; failed for good.'),
          httpStatus: z.number().int().nullable().describe("The provider's HTTP status, when it answered with an error."),
          errorCode: z.string().nullable().describe("The provider's error code (e.g. Twilio 21211), never its response body."),
          reason: z.string().nullable().describe('Our reason for the failure.'),
          reasonText: z.string().nullable().describe('What the reason means, in English.'),
        }),
      )
      .describe('Every attempt at the provider, oldest first.'),
    callbacks: z
      .array(
        z.object({
          receivedAt: z.number().int(),
          source: z.enum(['callback', 'poll']).describe('callback: pushed by the provider; poll: looked up at the provider.'),
          status: z.string(),
          errorCode: z.string().nullable(),
          reason: z.string().nullable(),
          reasonText: z.string().nullable(),
          applied: z.boolean().describe('false for a repeated or late report that did not change the status.'),
        }),
      )
      .describe('Every delivery report received, oldest first.'),
    price: z
      .object({
        amount: z.number().describe('perSegment × segments, in currency units.'),
        currency: z.string().describe('ISO 4217, from the spend settings.'),
        perSegment: z.number().describe('The price per segment set for the country and provider (else the default price).'),
        segments: z.number().int(),
        country: z.string().describe('The country priced: the main country of the number\'s calling code.'),
        estimated: z.literal(true).describe("Always true: the spend settings' prices, not the provider's invoice."),
      })
      .nullable()
      .describe('The estimated price, as the spend caps and budgets counted it; null when spend limits are not set up.'),
  })
  .describe('One message with what support needs: the failure and its meaning, timeline, template and size; never its text, code or the full number.');
