// The SMS-code method: proves a user holds a phone. Sends codes within the send limits, verifies them, reads delivery.
import { randomInt } from 'node:crypto';
import type { CodeEngine, CodePurpose, CodeSettings } from '../../codes/index.ts';
import type { CounterAdd } from '../../counters/index.ts';
import type { SendLimit, SendLimits, SendLimitSettings } from '../../sms/limits/index.ts';
import type { SendRequest, SmsSender } from '../../sms/sender.ts';
import type { LanguageHints } from '../../sms/templates/language.ts';
import { ipBucket } from '../../security/ip-range.ts';

export interface SmsCodeDeps {
  codes: CodeEngine;
  limits: SendLimits;
  sender: Pick<SmsSender, 'enqueue' | 'decoy' | 'latest'>;
  /** The pumping defence and metrics: may refuse a real send (throws), and hears of sends and verified codes. */
  watch?: SendWatch;
  /** Epoch milliseconds; injectable so tests can move time. */
  now?: () => number;
}

export interface SendWatch {
  /** Before a real send: throws (a localized AppError) when the destination or network is blocked. */
  check(phone: string, ip: string | undefined): Promise<void>;
  /** Before a decoy (no SMS): the same refusals, counting nothing, so a refusal never tells whose number it is. */
  checkDecoy?(phone: string, ip: string | undefined, purpose: string): Promise<void>;
  /**
   * The counters a verified code adds (the conversion figures, verified codes per day): the code engine adds them
   * in the counter write that forgets the requester's wrong codes, asked for only after a right code.
   */
  verifiedCounts?(phone: string, ip: string | undefined, purpose: CodePurpose): Promise<readonly CounterAdd[]>;
  /** After a right code (its counts are made by then). */
  verified(phone: string, ip: string | undefined, purpose: CodePurpose): void | Promise<void>;
  /** After every code check but a format slip, with what was checked (the sign-in log records failures). */
  outcome?(outcome: VerifyCodeResult, checked: { purpose: CodePurpose; phone: string; ip?: string } & CodeCheckWho): void | Promise<void>;
}

/** Whose code a check is, when the flow knows: the sign-in log names them (else the number's user is looked up). */
export interface CodeCheckWho {
  userId?: string | null;
  clientId?: string | null;
}

export interface SendCodeParams {
  /** What the code proves (binds it: a code of one purpose never verifies for another). */
  purpose: CodePurpose;
  /** The interaction (or other flow) the code belongs to. */
  flowId: string;
  phone: string;
  /** Whether the number is really texted; when not, a decoy code makes every later answer identical. */
  deliver: boolean;
  /** The template purpose, when it differs from the code's (sign-up codes use the `signup` text). */
  template?: SendRequest['purpose'];
  code: CodeSettings;
  limits: SendLimitSettings;
  ip: string;
  hints: LanguageHints;
  accountId?: string;
  /** The app the code is for (its granted SMS accounts, signatures and templates). */
  clientId?: string | null;
  applicationName?: string;
  user?: SendRequest['user'];
}

/**
 * `resendAt` (epoch ms): when the flow may send again as this send left the limits; a flow keeps it in its state so
 * its code screen shows the resend wait without reading the counters (the resend itself is checked in full).
 */
export type SendCodeResult = { ok: true; messageId: string | null; language: string | null; resendAt: number } | { ok: false; waitSeconds: number; limit: SendLimit };

const E164 = /^\+[1-9]\d{6,14}$/;
const randomDigits = (length: number) => Array.from({ length }, () => randomInt(10)).join('');

export type VerifyCodeResult = { ok: true } | { ok: false; reason: 'wrong_code' | 'format' } | { ok: false; reason: 'throttled'; waitSeconds: number };

export function createSmsCodeMethod({ codes, limits, sender, watch, now = Date.now }: SmsCodeDeps) {
  return {
    async send(p: SendCodeParams): Promise<SendCodeResult> {
      const decision = await limits.consume({ purpose: p.purpose, flowId: p.flowId, phone: p.phone, ip: p.ip }, p.limits);
      // A silent refusal (the number's shared ceiling) answers as a send does and texts nothing: a decoy, below.
      if (!decision.allowed && !decision.silent) return { ok: false, waitSeconds: decision.retryAfterSeconds, limit: decision.limit };
      const resendAt = now() + (decision.nextWaitSeconds ?? 0) * 1000;
      const target = { purpose: p.purpose, flowId: p.flowId, phone: p.phone, ...p.code };
      const message = (code: string) => ({
        purpose: p.template ?? p.purpose,
        to: p.phone,
        accountId: p.accountId,
        clientId: p.clientId,
        code,
        applicationName: p.applicationName,
        user: p.user ?? null,
        expiresInMinutes: Math.ceil(p.code.lifetimeSeconds / 60),
        hints: p.hints,
        flowId: p.flowId,
        // Counted as a code send for the pumping checks, with the spend limits (see SendRequest.requesterIp).
        requesterIp: p.ip,
      });
      if (p.deliver && decision.allowed) {
        await watch?.check(p.phone, p.ip);
        const sent = await sender.enqueue(message((await codes.issue(target)).code));
        return { ok: true, messageId: sent.id, language: sent.language, resendAt };
      }
      // A number due no SMS gets a code nobody knows and, when it is a real number, a message composed but never
      // stored or sent: the same work, answers and (roughly) time as a real send. Flows that stand in a made-up
      // identity for unknown users (reset) have no number to compose for and keep a time floor of their own.
      if (E164.test(p.phone)) await watch?.checkDecoy?.(p.phone, p.ip, p.template ?? p.purpose);
      await codes.issueDecoy(target);
      if (!E164.test(p.phone)) return { ok: true, messageId: null, language: null, resendAt };
      const decoy = await sender.decoy(message(randomDigits(p.code.length)));
      return { ok: true, messageId: decoy.id, language: decoy.language, resendAt };
    },

    /** Checks the typed code; every failure but a format slip or a delay reads the same to the user. */
    async verify(p: { purpose: CodePurpose; flowId: string; phone: string; input: string; length: number; ip?: string } & CodeCheckWho): Promise<VerifyCodeResult> {
      const code = p.input.replace(/[\s-]/g, '');
      if (!new RegExp(`^\\d{${p.length}}$`).test(code)) return { ok: false, reason: 'format' };
      // Wrong codes delay this requester (client IP range, else this flow) for this number, never everyone.
      const requester = p.ip === undefined ? undefined : `ip:${ipBucket(p.ip)}`;
      const counts = watch?.verifiedCounts;
      const countOnSuccess = counts ? () => counts.call(watch, p.phone, p.ip, p.purpose) : undefined;
      const result = await codes.verify({ purpose: p.purpose, flowId: p.flowId, phone: p.phone, code, requester, countOnSuccess });
      const outcome: VerifyCodeResult = result.ok
        ? { ok: true }
        : result.reason === 'throttled'
          ? { ok: false, reason: 'throttled', waitSeconds: result.retryAfterSeconds }
          : { ok: false, reason: 'wrong_code' };
      if (result.ok) await watch?.verified(p.phone, p.ip, p.purpose);
      await watch?.outcome?.(outcome, { purpose: p.purpose, phone: p.phone, ip: p.ip, userId: p.userId, clientId: p.clientId });
      return outcome;
    },

    /**
     * Seconds until another code may be sent to this number from this IP, consuming nothing: from the `resendAt` the
     * flow's last send gave, else read from the limits. (Sends of this requester in other flows since then are not
     * seen by the former: the resend itself still refuses, with its wait.)
     */
    async resendWait(phone: string, ip: string, settings: SendLimitSettings, flow: { purpose: CodePurpose; flowId: string }, resendAt?: number): Promise<number> {
      if (resendAt !== undefined) return Math.max(0, Math.ceil((resendAt - now()) / 1000));
      const d = await limits.check({ ...flow, phone, ip }, settings);
      return d.allowed ? 0 : d.retryAfterSeconds;
    },

    /**
     * Whether a sent message is known to have failed, with the reason's i18n key; `rerouted` while the fallback sent in
     * its place (failover) is on its way.
     */
    async delivery(messageId: string | null): Promise<{ undelivered: boolean; reasonKey: string | null; rerouted?: boolean }> {
      if (!messageId) return { undelivered: false, reasonKey: null };
      const latest = await sender.latest(messageId).catch(() => undefined);
      if (latest?.view.failed) return { undelivered: true, reasonKey: latest.view.reasonKey ?? 'sms.reason.unknown' };
      return { undelivered: false, reasonKey: null, rerouted: latest?.rerouted === true };
    },
  };
}

export type SmsCodeMethod = ReturnType<typeof createSmsCodeMethod>;
