// What the seed step is given and what it hands to the load generator; fixed names shared by both sides.
export const RP_CLIENT_ID = 'bench-rp';
export const REDIRECT_URI = 'https://rp.bench.example/callback';
/** The baseline's static client has this secret. */
export const BASELINE_CLIENT_SECRET = 'baseline-client-secret-0123456789abcdef';
export const USER_PASSWORD = 'bench users share this long passphrase';

export interface SeedInput {
  twilio: { url: string; accountSid: string; authToken: string; fromNumber: string };
  smsUsers: number;
  resetUsers: number;
  loginUsers: number;
}

export interface Seed {
  rp: { clientId: string; clientSecret: string; redirectUri: string };
  admin: { clientId: string; clientSecret: string };
  /** Password of every login and reset user (before any reset). */
  password: string;
  /** Numbers of users who sign in by SMS. */
  smsPhones: string[];
  /** Users who reset their password by SMS (each at most once per run: the send limits of reset are fixed). */
  resetUsers: { username: string; phone: string }[];
  /** Users who sign in with the password. */
  loginUsers: string[];
}

/**
 * A valid Australian mobile number (+61 4x xxx xxxx; libphonenumber-js/max types them MOBILE). `block` 1..9 keeps the
 * populations apart: +61 41…, +61 42…, …
 */
export function mobile(block: number, i: number): string {
  return `+614${block}${String(i).padStart(7, '0')}`;
}
