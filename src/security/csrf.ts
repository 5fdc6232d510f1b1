// CSRF tokens for hosted forms: an HMAC bound to the interaction (itself bound to the browser's interaction cookie).
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { SecretBox } from './secrets.ts';

export interface Csrf {
  token(bindTo: string): string;
  /** Throws a 403 `csrf` error when the token is missing or wrong. */
  verify(bindTo: string, token: unknown): void;
}

export function createCsrf(box: SecretBox): Csrf {
  const token = (bindTo: string) => box.hmac('csrf', bindTo);
  return {
    token,
    verify(bindTo, given) {
      const expected = Buffer.from(token(bindTo));
      const actual = Buffer.from(typeof given === 'string' ? given : '');
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new AppError('csrf', 403);
    },
  };
}
