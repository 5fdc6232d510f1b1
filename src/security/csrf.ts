// CSRF tokens for hosted forms: an HMAC bound to the interaction (itself bound to the browser's interaction cookie).
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
      // Tokens made under a previous SECRET_KEY (forms opened before a rotation) still pass.
      if (!box.verifyHmac('csrf', bindTo, given)) throw new AppError('csrf', 403);
    },
  };
}
