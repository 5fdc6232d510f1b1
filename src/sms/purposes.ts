// What an SMS is for, and the region of its number: the vocabulary providers and templates share.
export const PURPOSES = ['login', 'signup', 'reset_password', 'mfa', 'password_changed', 'password_expiry_reminder', 'support_followup', 'test'] as const;
export type Purpose = (typeof PURPOSES)[number];

/** Purposes whose text must carry the one-time code (and get the autofill line). */
export const CODE_PURPOSES: ReadonlySet<Purpose> = new Set(['login', 'signup', 'reset_password', 'mfa']);

export type Region = 'domestic' | 'international';
