// Throttles failed password attempts per account and per IP with growing delays; never a permanent lockout.
import type { LimiterFactory } from './limiter.ts';

export interface ThrottleSettings {
  /** Failures allowed per account before delays start. */
  freeAccountFailures: number;
  /** Failures allowed per IP address before delays start. */
  freeIpFailures: number;
  /** First delay once the free failures are used, in seconds; each further failure doubles it. */
  firstDelaySeconds: number;
  /** Longest delay, in seconds. */
  maxDelaySeconds: number;
  /** Failures are forgotten after this many seconds without another. */
  windowSeconds: number;
}

export const defaultThrottleSettings: ThrottleSettings = {
  freeAccountFailures: 5,
  freeIpFailures: 30,
  firstDelaySeconds: 1,
  maxDelaySeconds: 15 * 60,
  windowSeconds: 60 * 60,
};

export interface LoginThrottle {
  /** Seconds the caller must still wait for this login and IP, or 0. */
  waitSeconds(login: string, ip: string): Promise<number>;
  recordFailure(login: string, ip: string): Promise<void>;
  recordSuccess(login: string): Promise<void>;
}

/** Delay after `failures` failures with `free` allowed: first, 2×first, 4×first … up to the maximum. */
export function delayAfter(failures: number, free: number, max: number, first = 1): number {
  if (failures <= free) return 0;
  return Math.min(max, first * 2 ** Math.min(30, failures - free - 1));
}

export function createLoginThrottle(limiter: LimiterFactory, settings: ThrottleSettings = defaultThrottleSettings): LoginThrottle {
  const big = 1_000_000;
  const accountFailures = limiter({ keyPrefix: 'login_fail_acct', points: big, duration: settings.windowSeconds });
  const ipFailures = limiter({ keyPrefix: 'login_fail_ip', points: big, duration: settings.windowSeconds });
  const blocks = limiter({ keyPrefix: 'login_block', points: 1, duration: 1 });
  const accountKey = (login: string) => `a:${login.trim().toLowerCase()}`;
  const ipKey = (ip: string) => `i:${ip}`;

  const blockedFor = async (key: string) => {
    const res = await blocks.get(key);
    return res && res.consumedPoints > 1 ? Math.ceil(res.msBeforeNext / 1000) : 0;
  };

  return {
    async waitSeconds(login, ip) {
      const [a, i] = await Promise.all([blockedFor(accountKey(login)), blockedFor(ipKey(ip))]);
      return Math.max(a, i);
    },
    async recordFailure(login, ip) {
      const [a, i] = await Promise.all([accountFailures.penalty(accountKey(login), 1), ipFailures.penalty(ipKey(ip), 1)]);
      const aDelay = delayAfter(a.consumedPoints, settings.freeAccountFailures, settings.maxDelaySeconds, settings.firstDelaySeconds);
      const iDelay = delayAfter(i.consumedPoints, settings.freeIpFailures, settings.maxDelaySeconds, settings.firstDelaySeconds);
      await Promise.all([aDelay && blocks.block(accountKey(login), aDelay), iDelay && blocks.block(ipKey(ip), iDelay)]);
    },
    async recordSuccess(login) {
      await Promise.all([accountFailures.delete(accountKey(login)), blocks.delete(accountKey(login))]);
    },
  };
}
