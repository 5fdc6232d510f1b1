// SMS send limits against pumping: per number a resend cooldown and an hourly cap, per client IP an hourly cap.
import type { Knex } from 'knex';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { createLimiterFactory, type LimiterFactory } from '../security/limiter.ts';
import { createCooldown } from './cooldown.ts';
import { ipBucket } from './ip.ts';
import { parseWith } from '../errors.ts';

export const sendLimitSettingsSchema = z.object({
  /** Seconds between two codes sent to one number (0 turns the cooldown off). */
  resendCooldownSeconds: z.number().int().min(0).max(3600),
  /** Codes sent to one number per hour. */
  perPhonePerHour: z.number().int().min(1).max(10_000),
  /** Codes sent on behalf of one client IP (IPv6: one /64) per hour, whatever the numbers. */
  perIpPerHour: z.number().int().min(1).max(1_000_000),
});
export type SendLimitSettings = z.infer<typeof sendLimitSettingsSchema>;

export const defaultSendLimitSettings: Readonly<SendLimitSettings> = Object.freeze({
  resendCooldownSeconds: 30,
  perPhonePerHour: 5,
  perIpPerHour: 50,
});

export type SendLimit = 'resend_cooldown' | 'phone_hourly' | 'ip_hourly';

export type Refusal = { allowed: false; limit: SendLimit; retryAfterSeconds: number };
export type SendDecision = { allowed: true } | Refusal;

/** A send attempt: the number the code would go to (known or not) and the client's IP. No user on purpose. */
export interface SendRequest {
  phone: string;
  ip: string | undefined;
}

export interface SendLimits {
  /** Whether a send would be allowed now, consuming nothing (e.g. to show "Resend code in 20 s"). */
  check(req: SendRequest, settings?: SendLimitSettings): Promise<SendDecision>;
  /** Checks, then consumes every limit; `allowed: true` means the caller sends now. Nothing is consumed when refused. */
  consume(req: SendRequest, settings?: SendLimitSettings): Promise<SendDecision>;
  /** Deletes cooldown rows that can no longer matter; hourly counters go with purgeExpiredLimits. */
  purgeExpired(): Promise<number>;
}

export interface SendLimitsDeps {
  db: Knex;
  /** Defaults to the shared-database factory; rate-limiter-flexible reads the wall clock (Date.now). */
  limiter?: LimiterFactory;
  /** Clock of the cooldown, epoch milliseconds. */
  now?: () => number;
  settings?: SendLimitSettings;
}

const requestSchema = z.object({ phone: z.string().min(1).max(32), ip: z.string().optional() });
const parseRequest = (req: SendRequest): SendRequest => {
  const { phone, ip } = parseWith(requestSchema, req, 'send_limits_request_invalid');
  return { phone, ip };
};

const parseSettings = (s: unknown) => parseWith(sendLimitSettingsSchema, s, 'send_limits_settings_invalid');

const HOUR = 3600;
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const refused = (limit: SendLimit, retryAfterSeconds: number): Refusal => ({ allowed: false, limit, retryAfterSeconds });

export function createSendLimits(deps: SendLimitsDeps): SendLimits {
  const factory = deps.limiter ?? createLimiterFactory(deps.db);
  const cooldown = createCooldown(deps.db, deps.now ?? Date.now);
  const defaults = parseSettings(deps.settings ?? defaultSendLimitSettings);
  // Limiters differ only in their threshold; counts live under one key prefix, so a changed setting keeps them.
  const cache = new Map<string, RateLimiterAbstract>();
  const hourly = (keyPrefix: string, points: number) => {
    const id = `${keyPrefix}:${points}`;
    const known = cache.get(id);
    if (known) return known;
    const made = factory({ keyPrefix, points, duration: HOUR });
    cache.set(id, made);
    return made;
  };

  const counters = (req: SendRequest, s: SendLimitSettings) =>
    [
      { limit: 'ip_hourly', limiter: hourly('sms_send_ip', s.perIpPerHour), key: ipBucket(req.ip), points: s.perIpPerHour },
      { limit: 'phone_hourly', limiter: hourly('sms_send_phone', s.perPhonePerHour), key: req.phone, points: s.perPhonePerHour },
    ] as const;

  const check: SendLimits['check'] = async (request, settings = defaults) => {
    const req = parseRequest(request);
    const s = parseSettings(settings);
    const [cool, ...used] = await Promise.all([
      cooldown.remaining(req.phone, s.resendCooldownSeconds),
      ...counters(req, s).map(async (c) => ({ c, res: await c.limiter.get(c.key) })),
    ]);
    const blocked: Refusal[] = used
      .filter(({ c, res }) => res !== null && res.consumedPoints >= c.points)
      .map(({ c, res }) => refused(c.limit, seconds(res?.msBeforeNext ?? 0)));
    if (cool > 0) blocked.push(refused('resend_cooldown', cool));
    // The caller must wait until every limit allows a send: report the longest wait.
    return blocked.reduce<SendDecision>((a, b) => (a.allowed || b.retryAfterSeconds > a.retryAfterSeconds ? b : a), { allowed: true });
  };

  return {
    check,

    async consume(request, settings = defaults) {
      const req = parseRequest(request);
      const s = parseSettings(settings);
      const first = await check(req, s);
      if (!first.allowed) return first;
      // Another instance may have consumed in between: take each limit, give back what was taken if one refuses.
      const taken: { limiter: RateLimiterAbstract; key: string }[] = [];
      const giveBack = () => Promise.all(taken.map((t) => t.limiter.reward(t.key, 1)));
      for (const c of counters(req, s)) {
        try {
          await c.limiter.consume(c.key, 1);
          taken.push(c);
        } catch (err) {
          if (!(err instanceof RateLimiterRes)) throw err;
          // A refused consume still added its point: take it back too, so a refusal consumes nothing.
          taken.push(c);
          await giveBack();
          return refused(c.limit, seconds(err.msBeforeNext));
        }
      }
      const wait = await cooldown.claim(req.phone, s.resendCooldownSeconds);
      if (wait > 0) {
        await giveBack();
        return refused('resend_cooldown', wait);
      }
      return { allowed: true };
    },

    purgeExpired() {
      return cooldown.purgeExpired(HOUR);
    },
  };
}
