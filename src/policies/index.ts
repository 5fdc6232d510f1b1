// Public surface of the policy model: schemas, pure rules, password checks, expiry dates, phone mapping, SMS factor.

export { normaliseMobileNumber, SMS_CAPABLE_TYPES } from '../phone.ts';
export { blocklistSize, isCommonPassword } from './blocklist.ts';
export * as policyDefaults from './defaults.ts';
export { DAY_MS, type PasswordExpiry, passwordExpiresAt, passwordExpiry, passwordReminderAt, reminderWindow } from './expiry.ts';
export { checkPassword, type PasswordOwner, type PasswordProblem, passwordLength } from './password.ts';
export { defaultCountrySchema, mappedPhoneValue, type PhoneField, type PhoneSource, phoneFieldSchema, readUserPhone } from './phone-field.ts';
export { checkMfaRequiredHasFactor, checkPolicyRules, checkSmsResetNeedsSmsFactor, type PolicyRuleCode, type PolicyRuleViolation } from './rules.ts';
export * from './schema.ts';
export * from './sms-factor.ts';
export { type UserSmsOptions, userSmsOptions } from './user-options.ts';
export { checkPolicy, policyErrorToAppError } from './validate.ts';
