// Sign-in events in the audit log: success and failure per method (password, SMS, MFA), app, IP, country, reason; kept for a set number of days.
import type { Knex } from 'knex';
import { countryOfE164 } from '../phone.ts';
import type { AuditRepo } from './audit.ts';

export type SignInMethod = 'password' | 'sms' | 'mfa';

export interface SignInFact {
  outcome: 'success' | 'failure';
  /** The method, or the `amr` of a finished sign-in it is read from. */
  method?: SignInMethod;
  amr?: string[];
  userId?: string | null;
  clientId?: string | null;
  ip?: string | null;
  /** e.g. invalid_credentials, throttled, disabled, wrong_code. */
  reason?: string | null;
  /** The user's phone number when the caller has the user at hand (else it is looked up for SMS methods). */
  phone?: string | null;
}

/** `['pwd', 'sms', 'mfa']` → mfa; `['sms', 'otp']` → sms; `['pwd']` → password. */
export const methodOf = (amr: string[] = []): SignInMethod => (amr.includes('mfa') ? 'mfa' : amr.includes('sms') ? 'sms' : 'password');

/** The country of an E.164 number (`AU` for +61…), or null. */
const countryOfPhone = (phone: string | null | undefined): string | null => (phone ? (countryOfE164(phone) ?? null) : null);

export interface SignInEventsDeps {
  audit: Pick<AuditRepo, 'record'>;
  db: Knex;
  now: () => number;
  /** Days to keep events; 0 keeps them. */
  retentionDays: number;
  /** The user's phone number (E.164), for the country of SMS methods. */
  phoneOf(userId: string): Promise<string | null | undefined>;
  /** Country of an IP address; only with a GeoIP database configured (none ships). */
  countryOfIp?(ip: string): string | null;
}

export function createSignInEvents(deps: SignInEventsDeps) {
  /** A lookup that fails leaves the country empty; the event is still recorded. */
  const ipCountry = (ip: string): string | null => {
    try {
      return deps.countryOfIp?.(ip) ?? null;
    } catch {
      return null;
    }
  };
  return {
    /** Records one sign-in outcome; never fails the sign-in it describes. */
    async record(f: SignInFact): Promise<void> {
      try {
        const method = f.method ?? methodOf(f.amr);
        const userId = f.userId ?? null;
        const phone = method === 'password' ? null : f.phone !== undefined ? f.phone : userId ? await deps.phoneOf(userId) : null;
        const country = method !== 'password' && (phone || userId) ? countryOfPhone(phone) : f.ip ? ipCountry(f.ip) : null;
        await deps.audit.record({
          actor: userId ? `user:${userId}` : null,
          action: `signin.${f.outcome}`,
          target: userId,
          details: { method, clientId: f.clientId ?? null, ip: f.ip ?? null, country, reason: f.reason ?? null },
        });
      } catch {
        // An audit write that fails must not turn a sign-in into an error page.
      }
    },

    /** Deletes sign-in events older than the retention period. */
    async purgeExpired(): Promise<number> {
      if (deps.retentionDays <= 0) return 0;
      return deps.db('audit_events').where('action', 'in', ['signin.success', 'signin.failure']).where('at', '<', deps.now() - deps.retentionDays * 86_400_000).del();
    },
  };
}

export type SignInEvents = ReturnType<typeof createSignInEvents>;

declare module 'koa' {
  interface DefaultContext {
    /** Where flows report how a sign-in ended (set once on the app by the composition root). */
    signIns?: SignInEvents;
  }
}
