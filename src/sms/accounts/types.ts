// The SMS account as services use it (secrets decrypted) and as it may be shown (secrets masked).

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
  /** The kind of a registered provider descriptor. */
  provider: string;
  isDefault: boolean;
  /** Any app may send through it; otherwise only the apps granted it ("Authorize app"). */
  general: boolean;
  /** Country whose numbers are `domestic` for region-narrowed templates; null: the installation default. */
  homeCountry: string | null;
  settings: Record<string, unknown>;
  verification: Verification;
  createdAt: number;
  updatedAt: number;
}

/** Display view: same shape, secrets masked (`••••••••abcd`). */
export type PublicSmsAccount = SmsAccount & { readonly masked: true };

/** Id recorded on messages sent through the built-in development inbox (no account configured). */
export const BUILTIN_DEV_ID = 'builtin-dev-inbox';
