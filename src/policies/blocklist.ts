// The common-password blocklist: zxcvbn-ts's list of about 49,000 leaked passwords, shipped as npm data.
import { dictionary } from '@zxcvbn-ts/language-common';
import { passwordForms } from './variants.ts';

/** Lower-cased common passwords (frozen data from @zxcvbn-ts/language-common). */
const common: ReadonlySet<string> = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/** Number of entries in the blocklist (tested to stay above 10,000). */
export const blocklistSize = common.size;

/** Forms shorter than this are not looked up: "12345678a" decorates "a", which says nothing about the password. */
const MIN_FORM_LENGTH = 4;

/** True when the password, or an obvious variant of it ("P@ssw0rd2024!"), is a common password. */
export function isCommonPassword(password: string): boolean {
  return passwordForms(password).some((f) => f.length >= MIN_FORM_LENGTH && common.has(f));
}
