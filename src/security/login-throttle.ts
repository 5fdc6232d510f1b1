// Throttles password attempts per account and per client IP range with growing delays; never a permanent lockout.
import { backoffGate, type CounterStore, counterKey } from '../counters/index.ts';
import { ipBucket } from './ip-range.ts';

export { delayAfter } from '../counters/index.ts';

export interface ThrottleSettings {
  /** Failures allowed per account before delays start. */
  freeAccountFailures: number;
  /** Failures allowed per IP address (IPv6: per /64) before delays start. */
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
  /**
   * Counts an attempt as a failure before the password is checked (parallel attempts cannot all slip under the
   * delay); returns the seconds to wait, or 0 when the attempt may go on.
   */
  attempt(login: string, ip: string): Promise<number>;
  /** The attempt was right: the account's failures are forgotten, and it no longer counts against the IP range. */
  succeeded(login: string, ip: string): Promise<void>;
  /** An admin lifts the account's delay (the IP range keeps its own). */
  release(login: string): Promise<void>;
}

export function createLoginThrottle(counters: CounterStore, settings: ThrottleSettings = defaultThrottleSettings): LoginThrottle {
  const gate = (free: number) =>
    backoffGate({ free, firstSeconds: settings.firstDelaySeconds, maxSeconds: settings.maxDelaySeconds, forgetSeconds: settings.windowSeconds });
  const accountGate = gate(settings.freeAccountFailures);
  const ipGate = gate(settings.freeIpFailures);
  // Logins of any length become bounded keys; the IP counts by range, so one /64 is one client.
  const accountKey = (login: string) => counterKey('login_acct', login.trim().toLowerCase());
  const ipKey = (ip: string) => counterKey('login_ip', ipBucket(ip));

  return {
    async attempt(login, ip) {
      // The IP range first: a delayed client cannot add failures to someone's account.
      const byIp = await counters.pass(ipKey(ip), ipGate);
      if (!byIp.passed) return byIp.waitSeconds;
      const byAccount = await counters.pass(accountKey(login), accountGate);
      return byAccount.passed ? 0 : byAccount.waitSeconds;
    },
    async succeeded(login, ip) {
      await Promise.all([counters.reset(accountKey(login)), counters.refund(ipKey(ip), ipGate)]);
    },
    async release(login) {
      await counters.reset(accountKey(login));
    },
  };
}
