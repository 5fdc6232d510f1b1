// Wrong codes per phone number, counted across codes and flows, turned into growing delays until a success clears them.
import type { Knex } from 'knex';
import { delayAfter } from '../security/login-throttle.ts';

const TABLE = 'code_failures';

export interface FailureSettings {
  /** Wrong codes allowed per number before delays start. */
  freeFailures: number;
  /** Longest delay between two verifications, in seconds (delays double from 1 s up to this). */
  maxDelaySeconds: number;
  /** The count starts again after this many seconds without a wrong code. */
  windowSeconds: number;
}

export const defaultFailureSettings: Readonly<FailureSettings> = Object.freeze({
  freeFailures: 5,
  maxDelaySeconds: 15 * 60,
  windowSeconds: 24 * 60 * 60,
});

export interface CodeFailures {
  /** Seconds before this number may verify a code again, or 0. */
  waitSeconds(phone: string): Promise<number>;
  record(phone: string): Promise<void>;
  clear(phone: string): Promise<void>;
  /** Deletes counts older than the window. */
  purgeExpired(): Promise<number>;
}

export function createCodeFailures(db: Knex, now: () => number, settings: FailureSettings = defaultFailureSettings): CodeFailures {
  const windowMs = settings.windowSeconds * 1000;
  return {
    async waitSeconds(phone) {
      const row = await db(TABLE).where({ phone }).first('failures', 'last_failure_at');
      if (!row) return 0;
      const t = now();
      const last = Number(row.last_failure_at);
      if (t - last > windowMs) return 0;
      const delay = delayAfter(Number(row.failures), settings.freeFailures, settings.maxDelaySeconds);
      const remaining = last + delay * 1000 - t;
      return remaining > 0 ? Math.ceil(remaining / 1000) : 0;
    },

    async record(phone) {
      const t = now();
      // One atomic upsert; `failures` is assigned before `last_failure_at` because MySQL evaluates
      // ON DUPLICATE KEY UPDATE assignments left to right.
      await db(TABLE)
        .insert({ phone, failures: 1, last_failure_at: t })
        .onConflict('phone')
        .merge({
          failures: db.raw('CASE WHEN ?? < ? THEN 1 ELSE ?? + 1 END', [`${TABLE}.last_failure_at`, t - windowMs, `${TABLE}.failures`]),
          last_failure_at: t,
        });
    },

    async clear(phone) {
      await db(TABLE).where({ phone }).delete();
    },

    purgeExpired() {
      return db(TABLE).where('last_failure_at', '<', now() - windowMs).delete();
    },
  };
}
