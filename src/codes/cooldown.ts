// Resend cooldown per phone number, kept as a timestamp row so every instance agrees and tests can move the clock.
import type { Knex } from 'knex';

const TABLE = 'sms_send_cooldowns';

export interface Cooldown {
  /** Seconds until the next send to this number is allowed, or 0. */
  remaining(phone: string, seconds: number): Promise<number>;
  /** Atomically starts the cooldown if it has run out: returns 0 when claimed, else the seconds to wait. */
  claim(phone: string, seconds: number): Promise<number>;
  /** Deletes rows older than `maxSeconds` (the longest cooldown configured). */
  purgeExpired(maxSeconds: number): Promise<number>;
}

export function createCooldown(db: Knex, now: () => number): Cooldown {
  const wait = (lastSentAt: number, seconds: number, t: number) => {
    const ms = lastSentAt + seconds * 1000 - t;
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  };
  const remaining = async (phone: string, seconds: number, t = now()) => {
    const row = await db(TABLE).where({ phone }).first('last_sent_at');
    return row ? wait(Number(row.last_sent_at), seconds, t) : 0;
  };

  return {
    remaining: (phone, seconds) => remaining(phone, seconds),

    async claim(phone, seconds) {
      const t = now();
      if (seconds <= 0) {
        await db(TABLE).insert({ phone, last_sent_at: t }).onConflict('phone').merge(['last_sent_at']);
        return 0;
      }
      // A first row counts as sent exactly one cooldown ago, so it can be claimed at once.
      await db(TABLE).insert({ phone, last_sent_at: t - seconds * 1000 }).onConflict('phone').ignore();
      const claimed = await db(TABLE)
        .where({ phone })
        .where('last_sent_at', '<=', t - seconds * 1000)
        .update({ last_sent_at: t });
      if (claimed === 1) return 0;
      // Another instance claimed it first: report its cooldown (at least one second).
      return Math.max(1, await remaining(phone, seconds, t));
    },

    purgeExpired(maxSeconds) {
      return db(TABLE).where('last_sent_at', '<', now() - maxSeconds * 1000).delete();
    },
  };
}
