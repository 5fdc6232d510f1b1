// The common-password blocklist: zxcvbn-ts's list of about 49,000 leaked passwords, shipped as npm data, loaded on first use.
import { createRequire } from 'node:module';
import { passwordForms } from './variants.ts';

const require = createRequire(import.meta.url);
let common: ReadonlySet<string> | undefined;

/** Lower-cased common passwords (frozen data from @zxcvbn-ts/language-common): about 9 MiB, so read when first needed. */
function commonPasswords(): ReadonlySet<string> {
  if (!common) {
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  }
  return common;
}

/** Number of entries in the blocklist (tested to stay above 10,000). */
export const blocklistSize = (): number => commonPasswords().size;

/** Forms shorter than this are not looked up: "12345678a" decorates "a", which says nothing about the password. */
const MIN_FORM_LENGTH = 4;

/** True when the password, or an obvious variant of it ("P@ssw0rd2024!"), is a common password. */
export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  return passwordForms(password).some((f) => f.length >= MIN_FORM_LENGTH && list.has(f));
}
