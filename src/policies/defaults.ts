// Every policy and SMS-factor setting's default and bounds, declared once; schemas, docs and the default policy row read them.
import type { CountryCode } from 'libphonenumber-js/max';

/** Password length: the floor for the minimum, the default minimum, the floor and ceiling for the maximum. */
export const passwordLength = Object.freeze({
  /** No policy may accept passwords shorter than this (NIST SP 800-63B asks for at least 8). */
  minFloor: 8,
  /** Minimum length of a new policy. */
  minDefault: 8,
  /** The maximum may not be set below this, so long passphrases always fit. */
  maxFloor: 128,
  /** Maximum length of a new policy. */
  maxDefault: 128,
  /** Hard ceiling for the maximum: bounds the work of hashing one submitted password. */
  maxCeiling: 1024,
});

/** Password age: optional expiry and the SMS reminder before it. */
export const passwordAge = Object.freeze({
  /** Maximum age of a new policy: null means passwords never expire. */
  maxAgeDaysDefault: null as number | null,
  /** Bounds of the maximum age, in days (one day to ten years). */
  maxAgeDaysMin: 1,
  maxAgeDaysMax: 3650,
  /** Days before expiry when the `password_expiry_reminder` SMS is due; null means no reminder. */
  reminderDaysDefault: 7 as number | null,
  /** Bounds of the reminder; it must also be fewer days than the maximum age. */
  reminderDaysMin: 1,
  reminderDaysMax: 90,
});

/** Whether new policies reject common passwords and the user's own username/email. */
export const blocklistDefault = true;

/** Self-service password reset codes. */
export const resetCode = Object.freeze({
  /** Lifetime of a reset code, in seconds (10 minutes). */
  lifetimeSecondsDefault: 600,
  /** Allowed lifetimes: one minute to one day. */
  lifetimeSecondsMin: 60,
  lifetimeSecondsMax: 86_400,
});

/**
 * MFA of a new policy: no factor enabled, never required (an admin opts in once SMS is set up); when it is required, an
 * SMS sign-in is followed by the password.
 */
export const mfaDefaults = Object.freeze({ factors: [] as const, required: 'never' as const, afterSms: 'password' as const, enrolPhone: false });

/** Password update methods of a new policy: none (SMS reset is opted into, and needs the SMS factor). */
export const passwordUpdateMethodsDefault = [] as const;

/** Users with the admin role may not reset their password by SMS unless their policy says so. */
export const smsResetForAdminsDefault = false;

/** Name of the policy the migration creates. */
export const defaultPolicyName = 'Default';

/** The SMS factor (one per installation). */
export const smsFactorDefaults = Object.freeze({
  /** Off until an admin binds a verified SMS account. */
  active: false,
  /** Users' numbers are read from the built-in `phone_number` attribute. */
  phoneField: Object.freeze({ source: 'phone_number' as const }),
  /** Country assumed for numbers stored in national format (ISO 3166-1 alpha-2); null accepts only +E.164 numbers. */
  defaultCountry: null as CountryCode | null,
  /** Lifetime of an MFA sign-in code, in seconds (reset codes take theirs from the policy). */
  mfaCodeLifetimeSecondsDefault: 300,
  /** Allowed MFA code lifetimes: one minute to one hour (the user is waiting at the sign-in screen). */
  mfaCodeLifetimeSecondsMin: 60,
  mfaCodeLifetimeSecondsMax: 3600,
});
