// A user as admins submit and read it: profile, phone fields, custom attributes, roles, policy; the password write-only.
import { z } from 'zod';
import { CUSTOM_FIELD } from '../../../db/users.ts';
import { e164OrUndefined } from '../../../phone.ts';
import { optionalFields } from '../fields.ts';
import { pageFields, queryBoolean } from '../page.ts';

/** Any valid number in E.164 form (whether it can receive SMS is decided where it is used). */
export const e164 = z
  .string()
  .trim()
  .refine((v) => e164OrUndefined(v) !== undefined, 'must be a valid phone number in E.164 form, e.g. +14155552671')
  .transform((v) => e164OrUndefined(v) ?? v);

const attributeValue = z.union([z.string().max(1000, 'at most 1000 characters'), z.number(), z.boolean()], {
  message: 'must be text, a number or true/false',
});
const attributeName = z.string().regex(CUSTOM_FIELD, 'must start with a letter or _, then letters, digits or _ (at most 64 characters)');
const maxAttributes = (o: Record<string, unknown>) => Object.keys(o).length <= 50;

export const roleSchema = z.string().regex(/^[a-z][a-z0-9_:-]{0,31}$/, 'must be a lower-case name such as admin (at most 32 characters)');

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`).nullable();

const fields = {
  username: z.string().trim().min(1).max(191).regex(/^\S+$/, 'must not contain spaces').nullable().describe('Stored lower-cased.'),
  email: z.email({ message: 'must be an email address' }).max(191).nullable().describe('Stored lower-cased.'),
  emailVerified: z.boolean().default(false),
  password: z.string().min(1).max(1024).describe('Write-only; checked against the password section of the user\'s policy.'),
  name: text(255),
  givenName: text(255),
  familyName: text(255),
  locale: z.string().trim().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or pt-BR').nullable(),
  phoneNumber: e164.nullable(),
  phoneNumberVerified: z.boolean().default(false),
  customAttributes: z
    .record(attributeName, attributeValue)
    .refine(maxAttributes, 'at most 50 custom attributes')
    .default({})
    .describe('Custom fields, e.g. {"mobile": "+14155552671"}; any of them can be the SMS factor\'s phone field.'),
  roles: z
    .array(roleSchema)
    .max(20)
    .refine((a) => new Set(a).size === a.length, 'must not repeat')
    .default([])
    .describe('e.g. ["admin"] for console access.'),
  disabled: z.boolean().default(false).describe('A disabled user cannot sign in; their sessions and tokens end.'),
  policyId: z.string().min(1).max(36).nullable().describe('Assigned policy; null follows the default policy.'),
};

export const userCreateInput = z
  .object({
    ...fields,
    ...optionalFields({
      username: fields.username,
      email: fields.email,
      password: fields.password,
      name: fields.name,
      givenName: fields.givenName,
      familyName: fields.familyName,
      locale: fields.locale,
      phoneNumber: fields.phoneNumber,
      policyId: fields.policyId,
    }),
  })
  .strict()
  .refine((u) => Boolean(u.username || u.email), { message: 'set a username or an email', path: ['username'] });
export type UserCreateInput = z.input<typeof userCreateInput>;

/** Custom attributes merge key by key (null removes one); other fields left out keep their value. */
export const userPatchInput = z
  .object({
    ...optionalFields(fields),
    customAttributes: z
      .record(attributeName, attributeValue.nullable())
      .refine(maxAttributes, 'at most 50 custom attributes')
      .optional()
      .describe('Merged into the stored attributes; a null value removes that attribute.'),
  })
  .strict();
export type UserPatchInput = z.input<typeof userPatchInput>;

export const userView = z.object({
  id: z.string(),
  username: z.string().nullable(),
  email: z.string().nullable(),
  emailVerified: z.boolean(),
  name: z.string().nullable(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  locale: z.string().nullable(),
  phoneNumber: z.string().nullable(),
  phoneNumberVerified: z.boolean(),
  customAttributes: z.record(z.string(), z.unknown()),
  roles: z.array(z.string()),
  disabled: z.boolean(),
  policyId: z.string().nullable(),
  hasPassword: z.boolean(),
  passwordChangedAt: z.number().int().nullable().describe('Epoch milliseconds.'),
  createdAt: z.number().int().describe('Epoch milliseconds.'),
  updatedAt: z.number().int().describe('Epoch milliseconds.'),
});
export type UserView = z.output<typeof userView>;

export const userListQuery = z
  .object({
    ...pageFields,
    q: z.string().trim().min(1).max(191).optional().describe('Part of the username, email, name or phone number.'),
    role: roleSchema.optional(),
    disabled: queryBoolean.optional(),
    policyId: z.string().max(36).optional(),
  })
  .strict();
