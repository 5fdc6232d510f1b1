// Client (relying party or machine client) as admins submit and read it: RFC 7591 metadata names; the secret never in a view.
import { z } from 'zod';
import { OTP_GRANT } from '../../../api/auth0/schemas.ts';
import { optionalFields } from '../fields.ts';
import { pageFields } from '../page.ts';

/** The last one is Auth0's passwordless OTP grant, for first-party native apps (README: Coming from Auth0). */
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials', OTP_GRANT] as const;
export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;

const uri = z.url({ message: 'must be an absolute URL' }).max(2000);
const uriList = z
  .array(uri)
  .max(50, 'at most 50 URLs')
  .refine((a) => new Set(a).size === a.length, 'must not repeat');

export const clientIdSchema = z.string().regex(/^[A-Za-z0-9._-]{3,128}$/, 'must be 3 to 128 letters, digits, dots, dashes or underscores');

const fields = {
  client_name: z.string().trim().min(1, 'is required').max(255, 'at most 255 characters'),
  redirect_uris: uriList.default([]).describe('Where authorization responses may go (required for authorization_code).'),
  post_logout_redirect_uris: uriList.default([]),
  grant_types: z
    .array(z.enum(GRANT_TYPES, { message: `must be one of ${GRANT_TYPES.join(', ')}` }))
    .min(1, 'at least one grant type')
    .refine((a) => new Set(a).size === a.length, 'must not repeat')
    .default(['authorization_code', 'refresh_token']),
  token_endpoint_auth_method: z.enum(AUTH_METHODS, { message: `must be one of ${AUTH_METHODS.join(', ')}` }).default('client_secret_basic'),
  scope: z
    .string()
    .trim()
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'must be scope names separated by single spaces')
    .max(1000)
    .nullable()
    .optional()
    .describe('Scopes the client may ask for, e.g. "admin admin:read" for an admin API machine client.'),
  first_party: z.boolean().default(false).describe('Codeword-operated application: consent is not asked.'),
  disabled: z.boolean().default(false).describe('A disabled client can neither sign users in nor get tokens.'),
  forwarded_for_trusted: z
    .boolean()
    .default(false)
    .describe('A confidential backend may name its user\'s IP in auth0-forwarded-for on /passwordless/start (send limits count that IP).'),
};

export const clientCreateInput = z
  .object({ client_id: clientIdSchema.optional().describe('Generated when left out.'), ...fields })
  .strict()
  .describe('A new client. Its secret (confidential clients) is generated and returned once, in the response.');
export type ClientCreateInput = z.input<typeof clientCreateInput>;

export const clientPatchInput = z.object(optionalFields(fields)).strict().describe('Fields left out keep their value; scope null removes it.');
export type ClientPatchInput = z.input<typeof clientPatchInput>;

export const clientView = z.object({
  client_id: z.string(),
  client_name: z.string(),
  redirect_uris: z.array(z.string()),
  post_logout_redirect_uris: z.array(z.string()),
  grant_types: z.array(z.string()),
  response_types: z.array(z.string()),
  token_endpoint_auth_method: z.string(),
  scope: z.string().nullable(),
  first_party: z.boolean(),
  disabled: z.boolean(),
  forwarded_for_trusted: z.boolean(),
  created_at: z.number().int().nullable().describe('Epoch milliseconds.'),
  updated_at: z.number().int().nullable().describe('Epoch milliseconds.'),
});
export type ClientView = z.output<typeof clientView>;

export const clientWithSecret = clientView.extend({
  client_secret: z.string().nullable().describe('Shown only in this response (null for public clients); store it now.'),
});
export type ClientWithSecret = z.output<typeof clientWithSecret>;

export const clientListQuery = z.object({ ...pageFields }).strict();
