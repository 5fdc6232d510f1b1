// The policy as data: zod schemas of its three sections (MFA, password, password update) with documented bounds.
import { z } from 'zod';
import { passwordResetMethodIds, secondFactorIds } from '../methods/registry.ts';
import { blocklistDefault, mfaDefaults, passwordAge, passwordLength, passwordUpdateMethodsDefault, resetCode, smsResetForAdminsDefault } from './defaults.ts';

/** Authentication factors a policy can enable: the second-factor methods of the method registry. */
export const mfaFactors = secondFactorIds;
export type MfaFactor = (typeof mfaFactors)[number];

/** Self-service password update methods: the registry's methods that can prove a reset. */
export const passwordUpdateMethods = passwordResetMethodIds;
export type PasswordUpdateMethod = (typeof passwordUpdateMethods)[number];

const int = (label: string, min: number, max: number) =>
  z.number({ message: `${label} must be a number` }).int(`${label} must be a whole number`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

const uniqueList = <T extends string>(values: readonly [T, ...T[]], what: string) =>
  z.array(z.enum(values, { message: `must be one of: ${values.join(', ')}` })).refine((a) => new Set(a).size === a.length, `${what} must not repeat`);

export const mfaSectionSchema = z
  .object({
    /** Factors users of this policy may use as a second step. */
    factors: uniqueList(mfaFactors, 'factors').default([...mfaDefaults.factors]),
    /** `never`: no second step at sign-in; `always`: every password sign-in needs one. */
    required: z.enum(['never', 'always'], { message: 'must be never or always' }).default(mfaDefaults.required),
    /**
     * With MFA required, what follows a passwordless SMS sign-in: `password` asks for the account's password next
     * (the result is the MFA acr); `refuse` ends such sign-ins.
     */
    afterSms: z.enum(['password', 'refuse'], { message: 'must be password or refuse' }).default(mfaDefaults.afterSms),
    /**
     * With MFA required, a user without a usable phone may add one at sign-in and prove it with a code (never admins,
     * only accounts that never had a verified phone; that sign-in ends with the password acr). Off: whoever holds only
     * the password could enrol their own phone.
     */
    enrolPhone: z.boolean({ message: 'must be true or false' }).default(mfaDefaults.enrolPhone),
  })
  .strict();
export type MfaSection = z.output<typeof mfaSectionSchema>;

export const passwordSectionSchema = z
  .object({
    /** Fewest characters (Unicode code points) a new password may have. */
    minLength: int('minLength', passwordLength.minFloor, passwordLength.maxFloor).default(passwordLength.minDefault),
    /** Most characters a new password may have. */
    maxLength: int('maxLength', passwordLength.maxFloor, passwordLength.maxCeiling).default(passwordLength.maxDefault),
    /** Reject common passwords and the user's own username or email (and obvious variants of them). */
    blocklist: z.boolean({ message: 'must be true or false' }).default(blocklistDefault),
    /** Days a password stays valid; null: it never expires. */
    maxAgeDays: int('maxAgeDays', passwordAge.maxAgeDaysMin, passwordAge.maxAgeDaysMax).nullable().default(passwordAge.maxAgeDaysDefault),
    /** Days before expiry when the reminder SMS is sent; null: no reminder. Ignored without maxAgeDays. */
    reminderDays: int('reminderDays', passwordAge.reminderDaysMin, passwordAge.reminderDaysMax).nullable().default(passwordAge.reminderDaysDefault),
  })
  .strict()
  .superRefine((s, ctx) => {
    for (const issue of passwordSectionConflicts(s)) ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
  });
export type PasswordSection = z.output<typeof passwordSectionSchema>;

/** Fields of the password section that contradict each other (also checked on a patch merged over the stored section). */
export function passwordSectionConflicts(s: Pick<PasswordSection, 'minLength' | 'maxLength' | 'maxAgeDays' | 'reminderDays'>): { field: string; message: string }[] {
  const conflicts: { field: string; message: string }[] = [];
  if (s.minLength > s.maxLength) conflicts.push({ field: 'minLength', message: `must not exceed maxLength (${s.maxLength})` });
  if (s.maxAgeDays !== null && s.reminderDays !== null && s.reminderDays >= s.maxAgeDays) {
    conflicts.push({ field: 'reminderDays', message: `must be fewer days than maxAgeDays (${s.maxAgeDays})` });
  }
  return conflicts;
}

export const passwordUpdateSectionSchema = z
  .object({
    /** How users may reset a forgotten password themselves; `sms` needs the SMS factor in the same policy. */
    methods: uniqueList(passwordUpdateMethods, 'methods').default([...passwordUpdateMethodsDefault]),
    /** Seconds a reset code stays valid. */
    resetCodeLifetimeSeconds: int('resetCodeLifetimeSeconds', resetCode.lifetimeSecondsMin, resetCode.lifetimeSecondsMax).default(
      resetCode.lifetimeSecondsDefault,
    ),
    /** Whether users with the admin role may reset by SMS too (off: one phone must not be enough to take over an admin). */
    smsForAdmins: z.boolean({ message: 'must be true or false' }).default(smsResetForAdminsDefault),
  })
  .strict();
export type PasswordUpdateSection = z.output<typeof passwordUpdateSectionSchema>;

export const policyNameSchema = z
  .string({ message: 'must be text' })
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

/** A policy as admins submit it: every section may be left out and takes its defaults. */
export const policyInputSchema = z
  .object({
    name: policyNameSchema,
    mfa: mfaSectionSchema.default(() => mfaSectionSchema.parse({})),
    password: passwordSectionSchema.default(() => passwordSectionSchema.parse({})),
    passwordUpdate: passwordUpdateSectionSchema.default(() => passwordUpdateSectionSchema.parse({})),
  })
  .strict();
export type PolicyInput = z.input<typeof policyInputSchema>;
/** The rule-relevant content of a policy: its name and three sections, defaults applied. */
export type PolicyContent = z.output<typeof policyInputSchema>;

/** A change to a policy, as the patch schema gives it: the name and any fields of any section; the rest is kept. */
export interface PolicyPatch {
  name?: string;
  mfa?: Partial<MfaSection>;
  password?: Partial<PasswordSection>;
  passwordUpdate?: Partial<PasswordUpdateSection>;
}

/** A stored policy. */
export interface Policy extends PolicyContent {
  id: string;
  isDefault: boolean;
  createdAt: number;
  updatedAt: number;
}

/** The sections of a policy created with nothing but a name (the migration's default policy uses them too). */
export function defaultPolicyContent(name: string): PolicyContent {
  return policyInputSchema.parse({ name });
}

/** Applies a parsed patch over a policy's content, section by section; the result still goes through the policy rules. */
export function mergePolicyPatch(current: PolicyContent, patch: PolicyPatch): PolicyContent {
  const over = <T extends object>(stored: T, changes: Partial<T> | undefined): T => ({
    ...stored,
    ...Object.fromEntries(Object.entries(changes ?? {}).filter(([, v]) => v !== undefined)),
  });
  return {
    name: patch.name ?? current.name,
    mfa: over(current.mfa, patch.mfa),
    password: over(current.password, patch.password),
    passwordUpdate: over(current.passwordUpdate, patch.passwordUpdate),
  };
}
