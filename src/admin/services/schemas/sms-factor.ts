// The SMS factor (one per installation) as admins read and change it, with its availability and phone-field choices.
import { z } from 'zod';
import { phoneFieldSchema } from '../../../policies/phone-field.ts';
import { smsFactorSettingsSchema } from '../../../policies/sms-factor.ts';
import { optionalFields } from '../fields.ts';

const { mfaCode, resetCode, ...factorTop } = smsFactorSettingsSchema.shape;

export const smsFactorPatchInput = z
  .object({
    ...optionalFields(factorTop),
    mfaCode: z.object(optionalFields(mfaCode.removeDefault().shape)).strict().optional(),
    resetCode: z.object(optionalFields(resetCode.removeDefault().shape)).strict().optional(),
  })
  .strict()
  .describe('Settings left out keep their value; code settings merge field by field. Activating needs a verified SMS account.');

export const smsAvailabilityView = z.object({
  available: z.boolean(),
  reason: z.enum(['sms_factor_inactive', 'sms_account_missing', 'sms_account_unverified']).optional().describe('Why SMS options are not offered.'),
});

export const smsFactorView = z
  .object({ ...smsFactorSettingsSchema.shape, availability: smsAvailabilityView.describe('Read-only.') })
  .describe('The SMS factor (one per installation) and whether SMS options are offered now.');

export const phoneFieldList = z.object({ items: z.array(phoneFieldSchema) }).describe('Fields the SMS factor can read numbers from.');
