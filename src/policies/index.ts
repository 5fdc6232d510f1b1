// Public surface of the policy model: schemas, pure rules, password checks, expiry dates, phone mapping, SMS factor.
export * as policyDefaults from './defaults.ts';
export { blocklistSize, isCommonPassword } from './blocklist.ts';
export { DAY_MS, type PasswordExpiry, passwordExpiresAt, passwordExpiry, passwordReminderAt, reminderWindow } from './expiry.ts';
export { checkPassword, type PasswordOwner, type PasswordProblem, passwordLength } from './password.ts';
export { normaliseMobileNumber, SMS_CAPABLE_TYPES } from '../phone.ts';
export { defaultCountrySchema, mappedPhoneValue, type PhoneField, phoneFieldSchema, type PhoneSource, readUserPhone } from './phone-field.ts';
export { checkMfaRequiredHasFactor, checkPolicyRules, checkSmsResetNeedsSmsFactor, type PolicyRuleCode, type PolicyRuleViolation } from './rules.ts';
export * from './schema.ts';
export * from './sms-factor.ts';
export { type UserSmsOptions, userSmsOptions } from './user-options.ts';
export { assertValidPolicy, type PolicyError, type PolicyValidation, policyErrorToAppError, validatePolicy } from './validate.ts';
