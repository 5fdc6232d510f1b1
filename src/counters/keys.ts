// Counter keys of bounded length: parts joined readably, and anything longer than the column hashed, so no input can overflow it.
import { createHash } from 'node:crypto';

/** Longest key stored (the `counters.key` column). */
export const MAX_KEY_LENGTH = 100;

/** Joins key parts with `:`; a key over MAX_KEY_LENGTH keeps a readable head and ends with the SHA-256 of the whole. */
export function counterKey(...parts: readonly (string | number)[]): string {
  const key = parts.map(String).join(':');
  if (key.length <= MAX_KEY_LENGTH) return key;
  const digest = createHash('sha256').update(key).digest('base64url');
  return `${key.slice(0, MAX_KEY_LENGTH - digest.length - 1)}~${digest}`;
}
