// Password expiry and reminder dates from a policy's maximum age, in epoch milliseconds (exact 24-hour days).
import type { PasswordSection } from './schema.ts';

export const DAY_MS = 86_400_000;

type AgeSettings = Pick<PasswordSection, 'maxAgeDays' | 'reminderDays'>;

export interface PasswordExpiry {
  /** When the password stops being accepted; null when it never expires. */
  expiresAt: number | null;
  /** From when the reminder SMS is due; null without expiry or without a reminder. */
  remindAt: number | null;
  /** `fresh`: nothing due; `remind`: inside the reminder window; `expired`: must be changed at next sign-in. */
  state: 'never' | 'fresh' | 'remind' | 'expired';
  /** Whole days left before expiry, rounded up (0 once expired); null when it never expires. */
  daysLeft: number | null;
}

/** When a password set at `changedAt` expires, or null (no maximum age, or no password). */
export function passwordExpiresAt(changedAt: number | null, settings: AgeSettings): number | null {
  if (changedAt === null || settings.maxAgeDays === null) return null;
  return changedAt + settings.maxAgeDays * DAY_MS;
}

/** When the reminder for a password set at `changedAt` becomes due, or null. */
export function passwordReminderAt(changedAt: number | null, settings: AgeSettings): number | null {
  const expiresAt = passwordExpiresAt(changedAt, settings);
  if (expiresAt === null || settings.reminderDays === null) return null;
  return expiresAt - settings.reminderDays * DAY_MS;
}

/** Where a password stands at `now`. */
export function passwordExpiry(changedAt: number | null, settings: AgeSettings, now: number): PasswordExpiry {
  const expiresAt = passwordExpiresAt(changedAt, settings);
  const remindAt = passwordReminderAt(changedAt, settings);
  if (expiresAt === null) return { expiresAt, remindAt, state: 'never', daysLeft: null };
  const daysLeft = Math.max(0, Math.ceil((expiresAt - now) / DAY_MS));
  if (now >= expiresAt) return { expiresAt, remindAt, state: 'expired', daysLeft };
  if (remindAt !== null && now >= remindAt) return { expiresAt, remindAt, state: 'remind', daysLeft };
  return { expiresAt, remindAt, state: 'fresh', daysLeft };
}

/**
 * Bounds on `password_changed_at` for a reminder job's query at `now`: passwords changed in (notBefore, remindUpTo]
 * are inside the reminder window and not yet expired. The expiry date identifies the period, so a job that records
 * (user, expiresAt) sends one reminder per user per period. Null when the policy sends no reminders.
 */
export function reminderWindow(settings: AgeSettings, now: number): { notBefore: number; remindUpTo: number } | null {
  if (settings.maxAgeDays === null || settings.reminderDays === null) return null;
  return { notBefore: now - settings.maxAgeDays * DAY_MS, remindUpTo: now - (settings.maxAgeDays - settings.reminderDays) * DAY_MS };
}
