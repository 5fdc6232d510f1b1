// Shared vocabulary of the one-time-code engine: purposes, per-call settings, inputs and verification results.
import { z } from 'zod';
import type { CounterAdd } from '../counters/index.ts';

export const codePurposes = ['login', 'signup', 'reset_password', 'mfa'] as const;
export type CodePurpose = (typeof codePurposes)[number];

/** Settings given on each issue (they come from the SMS connection or the factor's policy). */
export const codeSettingsSchema = z.object({
  /** Digits in the code, 4–10. */
  length: z.number().int().min(4).max(10),
  /** Seconds the code stays valid. */
  lifetimeSeconds: z.number().int().min(1).max(86_400),
  /** Submissions allowed for one code; the next one fails even with the right code. */
  maxAttempts: z.number().int().min(1).max(100),
});
export type CodeSettings = z.infer<typeof codeSettingsSchema>;

/** The SMS connection's documented defaults. */
export const defaultCodeSettings: Readonly<CodeSettings> = Object.freeze({ length: 6, lifetimeSeconds: 300, maxAttempts: 5 });

/**
 * What a code is bound to: the purpose, the flow and the phone number (E.164). The flow id is whatever the flow's state
 * store provides (an Interaction uid, or a server-side flow's `api:<client_id>:<opaque id>`); it is part of the HMAC
 * and of the lookup, so a code issued in one flow never verifies in another.
 */
export const codeTargetSchema = z.object({
  purpose: z.enum(codePurposes),
  flowId: z.string().min(1).max(255),
  phone: z.string().min(1).max(32),
});
export type CodeTarget = z.infer<typeof codeTargetSchema>;

export type IssueParams = CodeTarget & CodeSettings;

export interface IssuedCode {
  /** The plaintext code, digits only, leading zeros kept. Returned once; never stored or logged. */
  code: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * `requester` (e.g. `ip:<range>`) is whom wrong codes delay; without it, only this flow is delayed. `countOnSuccess`
 * gives the counters a verified code adds (the conversion figures, verified codes per day): they are added in the
 * same counter write that forgets the requester's wrong codes, asked for only once the code verified.
 */
export type VerifyParams = CodeTarget & { code: string; requester?: string; countOnSuccess?: () => Promise<readonly CounterAdd[]> };

export type VerifyFailureReason = 'invalid' | 'expired' | 'too_many_attempts' | 'used';

export type VerifyResult =
  | { ok: true }
  | { ok: false; reason: VerifyFailureReason }
  /** Too many wrong codes for this number lately: nothing was checked or counted; try again later. */
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };
