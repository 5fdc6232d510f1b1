// The SMS account as services use it (secrets decrypted) and as it may be shown (secrets masked).
import type { ProviderKind } from '../types.ts';

export type VerifyStatus = 'unverified' | 'valid' | 'invalid';

export interface Verification {
  status: VerifyStatus;
  reason: string | null;
  checkedAt: number | null;
}

/** Internal view: `settings` holds decrypted secrets. Never return it from an API or render it. */
export interface SmsAccount {
  id: string;
  name: string;
  note: string | null;
  provider: ProviderKind;
  isDefault: boolean;
  settings: Record<string, unknown>;
  verification: Verification;
  createdAt: number;
  updatedAt: number;
}

/** Display view: same shape, secrets masked (`••••••••abcd`). */
export type PublicSmsAccount = SmsAccount & { readonly masked: true };

/** Id recorded on messages sent through the built-in development inbox (no account configured). */
export const BUILTIN_DEV_ID = 'builtin-dev-inbox';
