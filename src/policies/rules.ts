// Cross-section rules of a policy as pure checks, shared by the admin API, the console and the flows.
import { type MfaSection, type PasswordSection, type PasswordUpdateSection, passwordSectionConflicts } from './schema.ts';

export type PolicyRuleCode =
  /** `sms` is a password update method but the MFA section does not enable the SMS factor. */
  | 'policy_sms_reset_needs_sms_factor'
  /** The change removes the SMS factor while password reset by SMS still uses it. */
  | 'policy_sms_factor_used_by_reset'
  /** MFA is required but no factor is enabled, so nobody could sign in. */
  | 'policy_mfa_required_without_factor'
  /** Two password settings contradict each other (e.g. the reminder comes after the expiry). */
  | 'policy_invalid';

export interface PolicyRuleViolation {
  code: PolicyRuleCode;
  /** Where an inline message belongs (a section field). */
  field: string;
  /** A clear English sentence for the API and the admin console; the code is the i18n key. */
  message: string;
}

type RuleSubject = {
  mfa: Pick<MfaSection, 'factors' | 'required'>;
  passwordUpdate: Pick<PasswordUpdateSection, 'methods'>;
  password?: Pick<PasswordSection, 'minLength' | 'maxLength' | 'maxAgeDays' | 'reminderDays'>;
};

/**
 * Password reset by SMS needs the SMS factor in the same policy. With `previous` (the stored policy), removing the SMS
 * factor from a policy whose reset still uses SMS is reported as such, so the console can say what blocks the removal.
 */
export function checkSmsResetNeedsSmsFactor(next: RuleSubject, previous?: RuleSubject): PolicyRuleViolation | undefined {
  if (!next.passwordUpdate.methods.includes('sms') || next.mfa.factors.includes('sms')) return undefined;
  const factorRemoved = previous?.mfa.factors.includes('sms') === true && previous.passwordUpdate.methods.includes('sms');
  if (factorRemoved) {
    return {
      code: 'policy_sms_factor_used_by_reset',
      field: 'mfa.factors',
      message: 'The SMS factor cannot be removed while password reset by SMS uses it: remove sms from the password update methods too.',
    };
  }
  return {
    code: 'policy_sms_reset_needs_sms_factor',
    field: 'passwordUpdate.methods',
    message: 'Password reset by SMS needs the SMS factor: enable sms in the MFA factors of this policy first.',
  };
}

/** Requiring MFA with no factor enabled would lock every user of the policy out. */
export function checkMfaRequiredHasFactor(next: RuleSubject): PolicyRuleViolation | undefined {
  if (next.mfa.required !== 'always' || next.mfa.factors.length > 0) return undefined;
  return {
    code: 'policy_mfa_required_without_factor',
    field: 'mfa.required',
    message: 'MFA cannot be required while no factor is enabled: enable sms in the MFA factors, or set required to never.',
  };
}

/** Every cross-section rule; an empty list means the policy may be saved. */
export function checkPolicyRules(next: RuleSubject, previous?: RuleSubject): PolicyRuleViolation[] {
  const conflicts = next.password ? passwordSectionConflicts(next.password) : [];
  return [
    ...conflicts.map((c): PolicyRuleViolation => ({ code: 'policy_invalid', field: `password.${c.field}`, message: `password.${c.field}: ${c.message}` })),
    ...[checkSmsResetNeedsSmsFactor(next, previous), checkMfaRequiredHasFactor(next)].filter((v): v is PolicyRuleViolation => v !== undefined),
  ];
}
