// The SMS factor's settings (one per installation) as data: bound account, phone-field mapping, code settings; and when SMS is usable.
import { z } from 'zod';
import { guessingProblem } from '../codes/guessing.ts';
import { type CodeSettings, codeSettingsSchema, defaultCodeSettings } from '../codes/types.ts';
import { smsFactorDefaults } from './defaults.ts';
import { defaultCountrySchema, phoneFieldSchema } from './phone-field.ts';
import type { PasswordUpdateSection } from './schema.ts';

/** Empty form fields mean "not set". */
const blankToNull = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? null : v);

const { length, maxAttempts } = codeSettingsSchema.shape;

/** Refuses code settings below the guessing-resistance floor, naming the attempts field. */
const guessable = (c: { length: number; maxAttempts: number }, ctx: z.RefinementCtx) => {
  const problem = guessingProblem(c.length, c.maxAttempts);
  if (problem) ctx.addIssue({ code: 'custom', path: ['maxAttempts'], message: problem });
};

export const smsFactorSettingsSchema = z
  .object({
    /** Whether users may receive SMS codes at all; saving it true needs a verified SMS account. */
    active: z.boolean({ message: 'must be true or false' }).default(smsFactorDefaults.active),
    /** The SMS account (see sms/accounts) that sends MFA and reset codes. */
    accountId: z.preprocess(blankToNull, z.string({ message: 'must be text' }).trim().min(1).max(36).nullable()).default(null),
    /** Where each user's number is read from. */
    phoneField: phoneFieldSchema.default({ ...smsFactorDefaults.phoneField }),
    /** Country assumed for numbers stored without +country code; null: such numbers count as missing. */
    defaultCountry: z.preprocess(blankToNull, defaultCountrySchema.nullable()).default(smsFactorDefaults.defaultCountry),
    /** Codes texted at sign-in as the second factor. */
    mfaCode: z
      .object({
        length: length.default(defaultCodeSettings.length),
        maxAttempts: maxAttempts.default(defaultCodeSettings.maxAttempts),
        lifetimeSeconds: z
          .number({ message: 'must be a number' })
          .int('must be a whole number')
          .min(smsFactorDefaults.mfaCodeLifetimeSecondsMin, `must be at least ${smsFactorDefaults.mfaCodeLifetimeSecondsMin}`)
          .max(smsFactorDefaults.mfaCodeLifetimeSecondsMax, `must be at most ${smsFactorDefaults.mfaCodeLifetimeSecondsMax}`)
          .default(smsFactorDefaults.mfaCodeLifetimeSecondsDefault),
      })
      .strict()
      .superRefine(guessable)
      .default({
        length: defaultCodeSettings.length,
        maxAttempts: defaultCodeSettings.maxAttempts,
        lifetimeSeconds: smsFactorDefaults.mfaCodeLifetimeSecondsDefault,
      }),
    /** Codes texted for a password reset; their lifetime is the user's policy's resetCodeLifetimeSeconds. */
    resetCode: z
      .object({ length: length.default(defaultCodeSettings.length), maxAttempts: maxAttempts.default(defaultCodeSettings.maxAttempts) })
      .strict()
      .superRefine(guessable)
      .default({ length: defaultCodeSettings.length, maxAttempts: defaultCodeSettings.maxAttempts }),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.active && !s.accountId) ctx.addIssue({ code: 'custom', path: ['accountId'], message: 'choose the SMS account that sends the codes before activating the factor' });
  });
export type SmsFactorSettings = z.output<typeof smsFactorSettingsSchema>;
export type SmsFactorInput = z.input<typeof smsFactorSettingsSchema>;

/** Settings of an installation where nobody has configured the factor yet. */
export function defaultSmsFactorSettings(): SmsFactorSettings {
  return smsFactorSettingsSchema.parse({});
}

/** What a repository knows about the bound account. */
export type SmsAccountState = 'verified' | 'unverified' | 'missing';

export type SmsAvailability =
  | { available: true }
  /** Shown to admins as the reason; users simply see no SMS option. */
  | { available: false; reason: 'sms_factor_inactive' | 'sms_account_missing' | 'sms_account_unverified' };

/** Whether any SMS option (factor, reset, passwordless) may be offered right now. */
export function smsAvailability(settings: Pick<SmsFactorSettings, 'active' | 'accountId'>, account: SmsAccountState): SmsAvailability {
  if (!settings.active) return { available: false, reason: 'sms_factor_inactive' };
  if (!settings.accountId || account === 'missing') return { available: false, reason: 'sms_account_missing' };
  if (account !== 'verified') return { available: false, reason: 'sms_account_unverified' };
  return { available: true };
}

/** Settings for issuing an MFA code with the code engine. */
export function mfaCodeSettings(settings: SmsFactorSettings): CodeSettings {
  return { ...settings.mfaCode };
}

/** Settings for issuing a reset code: the factor's length and attempts, the user's policy's lifetime. */
export function resetCodeSettings(settings: SmsFactorSettings, passwordUpdate: Pick<PasswordUpdateSection, 'resetCodeLifetimeSeconds'>): CodeSettings {
  return { ...settings.resetCode, lifetimeSeconds: passwordUpdate.resetCodeLifetimeSeconds };
}
