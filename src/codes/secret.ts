// Makes codes and their keyed HMACs, and compares HMACs in constant time; plaintext codes never reach storage.
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../security/secrets.ts';
import type { CodeTarget } from './types.ts';

/** Returns an integer in [0, max); crypto.randomInt by default, replaceable in tests. */
export type RandomInt = (max: number) => number;

export const cryptoRandomInt: RandomInt = (max) => randomInt(0, max);

/** A code of exactly `length` digits (leading zeros kept). */
export function generateCode(length: number, random: RandomInt = cryptoRandomInt): string {
  return String(random(10 ** length)).padStart(length, '0');
}

/** HMAC under a key bound to the purpose, over the purpose, flow, phone and code (JSON keeps the fields apart). */
export function codeHmac(box: SecretBox, target: CodeTarget, code: string): string {
  return box.hmac(`one-time-code:${target.purpose}`, JSON.stringify([target.purpose, target.flowId, target.phone, code]));
}

/** Whether a stored HMAC is this code's, under the current or a previous SECRET_KEY (codes issued before a rotation stay valid). */
export function codeMatches(box: SecretBox, target: CodeTarget, code: string, stored: string): boolean {
  return box.verifyHmac(`one-time-code:${target.purpose}`, JSON.stringify([target.purpose, target.flowId, target.phone, code]), stored);
}

/** A value shaped like an HMAC that no code matches: stored for decoys, compared against when no code exists. */
export function unmatchableHmac(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison of two HMAC strings. */
export function sameHmac(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

/** What users type: spaces and dashes dropped ("123 456"); long input cut so hashing stays cheap. */
export function normalizeSubmittedCode(code: string): string {
  return code.replace(/[\s-]/g, '').slice(0, 32);
}
