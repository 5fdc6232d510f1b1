// Which localized message an error screen shows for an error code and oidc-provider's English description.
import { hasKey } from './index.ts';

/** oidc-provider descriptions that mean "the sign-in in this browser is gone" (SessionNotFound and friends). */
const LOST_SIGN_IN = /interaction session|session not found|session id cookie|session principal changed|interaction .*expired/i;

/** The i18n key for an error: the specific message a user can act on, else the code's own, else a generic one. */
export function errorMessageKey(code: string, description?: string): string {
  if (description && LOST_SIGN_IN.test(description)) return 'error.session_not_found';
  if (code === 'invalid_request' && description && /redirect_uri/.test(description)) return 'error.invalid_redirect_uri';
  const key = `error.${code}`;
  // A code without a screen text of its own reads as its sentence from the error vocabulary (src/i18n/errors/).
  return hasKey(key) ? key : hasKey(`errors.${code}`) ? `errors.${code}` : 'error.generic';
}
