// Policies as admins submit and read them: three sections with documented bounds; "SMS reset needs the SMS factor" is a 422.
import { z } from 'zod';
import { mfaSectionSchema, passwordSectionSchema, passwordUpdateSectionSchema, policyInputSchema, policyNameSchema } from '../../../policies/schema.ts';
import { optionalFields } from '../fields.ts';
import { pageFields } from '../page.ts';

export const policyCreateInput = policyInputSchema.describe(
  'Sections left out take their defaults. Password reset by SMS (passwordUpdate.methods: ["sms"]) needs the SMS factor (mfa.factors: ["sms"]): 422 otherwise.',
);

export const policyPatchInput = z
  .object({
    name: policyNameSchema.optional(),
    mfa: z.object(optionalFields(mfaSectionSchema.shape)).strict().optional(),
    password: z.object(optionalFields(passwordSectionSchema.shape)).strict().optional(),
    passwordUpdate: z.object(optionalFields(passwordUpdateSectionSchema.shape)).strict().optional(),
  })
  .strict()
  .describe('Fields left out keep their value; the result is checked as a whole (422 when a rule is broken, e.g. removing the SMS factor while SMS reset uses it).');

export const policyView = z.object({
  id: z.string(),
  name: z.string(),
  isDefault: z.boolean().describe('Users without an assigned policy follow the default one.'),
  mfa: mfaSectionSchema,
  password: passwordSectionSchema,
  passwordUpdate: passwordUpdateSectionSchema,
  assignedUsers: z.number().int().describe('Users assigned to this policy explicitly.'),
  usersInEffect: z.number().int().describe('Users this policy applies to: those assigned, plus, for the default policy, every user without a policy of their own.'),
  usersWithoutPhone: z
    .number()
    .int()
    .optional()
    .describe('In the answer to a save of a policy that requires MFA: how many of its users have no verified phone (they cannot pass the SMS factor).'),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type PolicyView = z.output<typeof policyView>;

export const policyListQuery = z.object({ ...pageFields }).strict();

export const policyDeleteQuery = z
  .object({
    reassignUsersTo: z
      .string()
      .min(1)
      .max(36)
      .optional()
      .describe('Where the policy\'s users go: another policy\'s id, or "default" to follow the default policy. Required when users are assigned.'),
  })
  .strict();
