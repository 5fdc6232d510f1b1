// What SMS lets one user do under their policy: the single answer flows use before offering reset or MFA by SMS.
import type { MfaSection, PasswordUpdateSection } from './schema.ts';

export interface UserSmsOptions {
  /** "Text a code" may be offered on the forgot-password screen. */
  resetBySms: boolean;
  /** A code may be texted as the second factor at sign-in. */
  mfaBySms: boolean;
  /** The policy requires a second factor at every password sign-in. */
  mfaRequired: boolean;
  /** MFA is required but no factor can be used (no valid phone, or SMS unavailable): the user must contact support. */
  mfaBlocked: boolean;
}

/**
 * `smsAvailable` comes from smsAvailability (factor active, account verified); `phone` from readUserPhone (null when
 * the mapped field is empty or not a valid mobile number).
 */
export function userSmsOptions(
  policy: { mfa: Pick<MfaSection, 'factors' | 'required'>; passwordUpdate: Pick<PasswordUpdateSection, 'methods'> & Partial<Pick<PasswordUpdateSection, 'smsForAdmins'>> },
  smsAvailable: boolean,
  phone: string | null,
): UserSmsOptions {
  const smsFactor = smsAvailable && phone !== null && policy.mfa.factors.includes('sms');
  const mfaRequired = policy.mfa.required === 'always';
  return {
    resetBySms: smsFactor && policy.passwordUpdate.methods.includes('sms'),
    mfaBySms: smsFactor,
    mfaRequired,
    mfaBlocked: mfaRequired && !smsFactor,
  };
}
