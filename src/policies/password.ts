// Checks a new password against a policy's password section: length, common passwords, the user's own identifiers.
import { isCommonPassword } from './blocklist.ts';
import type { PasswordSection } from './schema.ts';
import { fold, passwordForms, reversedForms, unleet, unseparate } from './variants.ts';

/** Codes are i18n keys; params fill the message ("at least {min} characters"). */
export type PasswordProblem =
  | { code: 'password_too_short'; params: { min: number } }
  | { code: 'password_too_long'; params: { max: number } }
  | { code: 'password_too_common'; params: Record<string, never> }
  | { code: 'password_like_username'; params: Record<string, never> }
  | { code: 'password_like_email'; params: Record<string, never> };

export interface PasswordOwner {
  username?: string | null;
  email?: string | null;
}

/** Identifiers shorter than this are not compared ("al" would match too much by chance). */
const MIN_IDENTIFIER_LENGTH = 3;

/** Characters as people count them: Unicode code points, so "pässwörd" and emoji count once each. */
export function passwordLength(password: string): number {
  return [...password].length;
}

function identifierForms(values: (string | null | undefined)[]): Set<string> {
  const forms = new Set<string>();
  for (const value of values) {
    if (!value) continue;
    const lower = fold(value.trim());
    for (const f of [lower, unseparate(lower), unleet(lower), unleet(unseparate(lower))]) {
      if (f.length >= MIN_IDENTIFIER_LENGTH) forms.add(f);
    }
  }
  return forms;
}

/** The email as a whole, its local part, and the local part without a +tag. */
function emailParts(email: string | null | undefined): string[] {
  if (!email) return [];
  const at = email.lastIndexOf('@');
  const local = at > 0 ? email.slice(0, at) : email;
  return [email, local, local.split('+')[0] ?? local];
}

/** True when the password is the identifier in an obvious disguise: case, decoration, leetspeak, separators, reversed. */
function resembles(password: string, identifiers: Set<string>): boolean {
  if (identifiers.size === 0) return false;
  const forms = passwordForms(password);
  return [...forms, ...reversedForms(forms)].some((f) => identifiers.has(f) || identifiers.has(unleet(f)));
}

/**
 * Every problem of a new password under the policy (empty when acceptable). No composition rules: length, then
 * (with the blocklist on) common passwords and the user's username/email.
 */
export function checkPassword(password: string, section: PasswordSection, owner: PasswordOwner = {}): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = passwordLength(password);
  if (length < section.minLength) problems.push({ code: 'password_too_short', params: { min: section.minLength } });
  if (length > section.maxLength) problems.push({ code: 'password_too_long', params: { max: section.maxLength } });
  if (!section.blocklist || length > section.maxLength) return problems;
  if (isCommonPassword(password)) problems.push({ code: 'password_too_common', params: {} });
  if (resembles(password, identifierForms([owner.username]))) problems.push({ code: 'password_like_username', params: {} });
  if (resembles(password, identifierForms(emailParts(owner.email)))) problems.push({ code: 'password_like_email', params: {} });
  return problems;
}
