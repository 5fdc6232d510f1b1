// SMS send limits, keyed so they protect users: per purpose and requester, under a per-number ceiling; MFA on its own budget.
import { z } from 'zod';
import type { CodePurpose } from '../../codes/types.ts';
import { parseWith } from '../../errors.ts';
import { type CounterStore, cooldownGate, counterKey, type Probe } from '../../counters/index.ts';
import { ipBucket } from '../../security/ip-range.ts';

/** Limits given on each send (the SMS connection's, or the documented defaults for MFA and reset). */
export const sendLimitSettingsSchema = z.object({
  /** Seconds between two codes in one flow (0 turns the cooldown off). */
  resendCooldownSeconds: z.number().int().min(0).max(3600),
  /** Codes sent to one number per hour for one requester (client IP, IPv6: one /64) and purpose. */
  perPhonePerHour: z.number().int().min(1).max(10_000),
  /** Codes sent on behalf of one requester per hour, whatever the numbers and purposes. */
  perIpPerHour: z.number().int().min(1).max(1_000_000),
});
export type SendLimitSettings = z.infer<typeof sendLimitSettingsSchema>;

export const defaultSendLimitSettings: Readonly<SendLimitSettings> = Object.freeze({
  resendCooldownSeconds: 30,
  perPhonePerHour: 5,
  perIpPerHour: 50,
});

/** Installation-wide ceilings per number, whoever asks. */
export const sendCeilingsSchema = z.object({
  /** Codes sent to one number per hour for every purpose anyone may ask for without a password, all requesters together. */
  perPhonePerHour: z.number().int().min(1).max(10_000),
  /** Codes sent to one number per hour after a proven password (MFA): a budget nobody else can spend. */
  provenPerPhonePerHour: z.number().int().min(1).max(10_000),
});
export type SendCeilings = z.infer<typeof sendCeilingsSchema>;

export const defaultSendCeilings: Readonly<SendCeilings> = Object.freeze({ perPhonePerHour: 10, provenPerPhonePerHour: 10 });

/** Purposes that are only asked for after the password was proven. */
export const provenPurposes: readonly CodePurpose[] = ['mfa'];

export type SendLimit = 'resend_cooldown' | 'phone_hourly' | 'ip_hourly' | 'phone_ceiling' | 'proven_hourly';

/**
 * A refused send. `silent` refusals come from state other requesters share (the per-number ceiling): the caller must
 * answer exactly as for a send (and text nothing), so a refusal never tells whose number it is.
 */
export type Refusal = { allowed: false; limit: SendLimit; retryAfterSeconds: number; silent?: true; nextWaitSeconds?: number };
/**
 * `nextWaitSeconds` (from consume, for a send or a silent refusal): how long the requester waits before the flow's
 * next send, as this send left the counters — what check() answers right after it, without reading them again.
 */
export type SendDecision = { allowed: true; nextWaitSeconds?: number } | Refusal;

/** A send attempt: what for, in which flow, to which number (known or not), for which client. No user on purpose. */
export interface SendRequest {
  purpose: CodePurpose;
  flowId: string;
  phone: string;
  ip: string | undefined;
}

export interface SendLimits {
  /** Whether the requester may send now, consuming nothing (e.g. "Resend code in 20 s"); never reads shared state. */
  check(req: SendRequest, settings?: SendLimitSettings): Promise<SendDecision>;
  /** Consumes every limit; `allowed: true` means the caller sends now. A refusal the requester sees consumes nothing. */
  consume(req: SendRequest, settings?: SendLimitSettings): Promise<SendDecision>;
}

export interface SendLimitsDeps {
  counters: CounterStore;
  settings?: SendLimitSettings;
  ceilings?: SendCeilings;
}

const requestSchema = z.object({
  purpose: z.string().min(1).max(32),
  flowId: z.string().min(1).max(255),
  phone: z.string().min(1).max(32),
  ip: z.string().max(100).optional(),
});
const parseRequest = (req: SendRequest): SendRequest => ({ ...req, ...parseWith(requestSchema, req, 'send_limits_request_invalid') }) as SendRequest;
const parseSettings = (s: unknown) => parseWith(sendLimitSettingsSchema, s, 'send_limits_settings_invalid');

const HOUR = { seconds: 3600 } as const;

interface Cap {
  limit: SendLimit;
  key: string;
  max: number;
  /** Shared by every requester: refused silently, and never read by check(). */
  shared?: boolean;
}

export function createSendLimits(deps: SendLimitsDeps): SendLimits {
  const { counters } = deps;
  const defaults = parseSettings(deps.settings ?? defaultSendLimitSettings);
  const ceilings = parseWith(sendCeilingsSchema, deps.ceilings ?? defaultSendCeilings, 'send_limits_settings_invalid');

  const cooldownKey = (r: SendRequest) => counterKey('sms_cool', r.purpose, r.phone, r.flowId);
  const caps = (r: SendRequest, s: SendLimitSettings): Cap[] => {
    if (provenPurposes.includes(r.purpose)) return [{ limit: 'proven_hourly', key: counterKey('sms_proven', r.phone), max: ceilings.provenPerPhonePerHour }];
    const requester = ipBucket(r.ip);
    return [
      { limit: 'phone_hourly', key: counterKey('sms_req', r.purpose, requester, r.phone), max: s.perPhonePerHour },
      { limit: 'ip_hourly', key: counterKey('sms_ip', requester), max: s.perIpPerHour },
      { limit: 'phone_ceiling', key: counterKey('sms_num', r.phone), max: ceilings.perPhonePerHour, shared: true },
    ];
  };
  const refused = (limit: SendLimit, retryAfterSeconds: number, silent?: boolean): Refusal =>
    silent ? { allowed: false, limit, retryAfterSeconds, silent: true } : { allowed: false, limit, retryAfterSeconds };
  /** The caller must wait until every limit allows a send: the longest wait. */
  const longest = (all: Refusal[]): SendDecision => all.reduce<SendDecision>((a, b) => (a.allowed || b.retryAfterSeconds > a.retryAfterSeconds ? b : a), { allowed: true });

  return {
    async check(request, settings = defaults) {
      const req = parseRequest(request);
      const s = parseSettings(settings);
      const own = caps(req, s).filter((c) => !c.shared);
      const probes: Probe[] = [{ key: cooldownKey(req), gate: true }, ...own.map((c) => ({ key: c.key, window: HOUR }))];
      const [cool = 0, ...counts] = await counters.peek(probes);
      const blocked = own.filter((c, i) => (counts[i] ?? 0) >= c.max).map((c) => refused(c.limit, counters.windowLeft(HOUR)));
      if (cool > 0) blocked.push(refused('resend_cooldown', cool));
      return longest(blocked);
    },

    async consume(request, settings = defaults) {
      const req = parseRequest(request);
      const s = parseSettings(settings);
      const all = caps(req, s);
      // The flow's cooldown first (of parallel sends in one flow one goes on), then every cap at once, in one
      // statement; what a refusal took is given back.
      const cooling = s.resendCooldownSeconds > 0;
      const gate = cooling ? await counters.pass(cooldownKey(req), cooldownGate(s.resendCooldownSeconds)) : { passed: true as const };
      if (!gate.passed) return refused('resend_cooldown', gate.waitSeconds);
      const counts = await counters.addAll(all.map((c) => ({ key: c.key, window: HOUR })));
      const over = all.filter((c, i) => (counts[i] ?? 0) > c.max);
      const own = over.filter((c) => !c.shared).map((c) => refused(c.limit, counters.windowLeft(HOUR)));
      if (own.length > 0) {
        await Promise.all([cooling ? counters.reset(cooldownKey(req)) : undefined, counters.addAll(all.map((c) => ({ key: c.key, window: HOUR, by: -1 })))]);
        return longest(own);
      }
      // What check() reads next: the cooldown just started, and any own limit this send filled.
      const full = all.some((c, i) => !c.shared && (counts[i] ?? 0) >= c.max);
      const nextWaitSeconds = Math.max(cooling ? s.resendCooldownSeconds : 0, full ? counters.windowLeft(HOUR) : 0);
      const shared = over.filter((c) => c.shared);
      if (shared.length > 0) {
        // To the requester this was a send (their own limits keep it); the number gets nothing more this hour.
        await counters.addAll(shared.map((c) => ({ key: c.key, window: HOUR, by: -1 })));
        return { ...refused('phone_ceiling', counters.windowLeft(HOUR), true), nextWaitSeconds };
      }
      return { allowed: true, nextWaitSeconds };
    },
  };
}
