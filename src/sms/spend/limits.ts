// Spend limits, fail closed: per-country message caps and money budgets, counted before a message reaches the outbox.
import { countryOfE164 } from '../../phone.ts';
import { type CounterAdd, type CounterStore, cooldownGate, counterKey, MONTH, type Window } from '../../counters/index.ts';
import { bucketEnd } from '../../counters/index.ts';
import { AppError } from '../../errors.ts';
import { countryOfMasked } from '../../metrics/country.ts';
import type { AlertSender } from './alerts.ts';
import type { SpendSettings, SpendSettingsStore } from './settings.ts';

/** Money is counted in ten-thousandths of the currency unit, so counters stay whole numbers. */
export const MONEY_SCALE = 10_000;
const HOUR: Window = { seconds: 3600, keepSeconds: 7 * 86_400 };
const DAY: Window = { seconds: 86_400, keepSeconds: 31 * 86_400 };

export type SpendLimitKind = 'country_hourly' | 'country_daily' | 'budget_daily' | 'budget_monthly';

/** A message about to be handed to the outbox: where to, through which provider, what for, how many segments. */
export interface SpendRequest {
  to: string;
  provider: string;
  purpose: string;
  segments: number;
  /** A one-time code's send: its requester, counted in the pumping checks in the same statement (see SpendDeps). */
  requesterIp?: string;
}

/** Purposes sent only after a proven password: they may use the reserved share. */
const PROVEN = new Set(['mfa']);

export interface SpendEvents {
  audit(action: string, details: Record<string, unknown>, actor?: string | null): Promise<unknown>;
  /** A stop was reached (metric); `scope` is a country or `all`. */
  stopped?(kind: SpendLimitKind, scope: string): void;
  /** A message was counted (metric): segments and money in currency units. */
  counted?(r: { country: string; provider: string; purpose: string; money: number; currency: string }): void;
}

/** The number's country; for numbers outside any assigned range, the main country of its calling code. */
export const countryOf = (to: string): string => countryOfE164(to) ?? countryOfMasked(to);

/** Price of one segment: the provider's own for the country, else the country's, else the default. */
export function priceOf(s: SpendSettings, country: string, provider: string): number {
  const own = s.prices.find((p) => p.country === country && p.provider === provider);
  const any = s.prices.find((p) => p.country === country && p.provider === null);
  return (own ?? any)?.price ?? s.defaultPrice;
}

interface Limit {
  kind: SpendLimitKind;
  scope: string;
  key: string;
  window: Window;
  by: number;
  max: number;
}

const capsOf = (s: SpendSettings, country: string) => s.countryCaps.find((c) => c.country === country) ?? { hourly: s.countryHourly, daily: s.countryDaily };

function limitsFor(s: SpendSettings, country: string, cost: number): Limit[] {
  const caps = capsOf(s, country);
  return [
    { kind: 'country_hourly', scope: country, key: counterKey('spend_msg', country), window: HOUR, by: 1, max: caps.hourly },
    { kind: 'country_daily', scope: country, key: counterKey('spend_msg', country), window: DAY, by: 1, max: caps.daily },
    { kind: 'budget_daily', scope: 'all', key: 'spend_money', window: DAY, by: cost, max: Math.round(s.dailyBudget * MONEY_SCALE) },
    { kind: 'budget_monthly', scope: 'all', key: 'spend_money', window: MONTH, by: cost, max: Math.round(s.monthlyBudget * MONEY_SCALE) },
  ];
}

const paused = (l: Limit) =>
  new AppError('sms_sending_paused', 503, {
    expose: true,
    message: `sending to ${l.scope === 'all' ? 'every country' : l.scope} is paused: ${l.kind} reached`,
    params: { limit: l.kind, scope: l.scope },
  });

export interface SpendLine {
  kind: SpendLimitKind;
  scope: string;
  /** Messages (caps) or money in currency units (budgets) so far in the current window. */
  used: number;
  max: number;
  /** What sends other than proven MFA may use. */
  openMax: number;
  /** `open`; `reserve_only` (only proven MFA sends go on); `stopped`. */
  state: 'open' | 'reserve_only' | 'stopped';
  windowEndsAt: number;
}

export interface SpendDeps {
  counters: CounterStore;
  settings: SpendSettingsStore;
  alerts: AlertSender;
  events: SpendEvents;
  now: () => number;
  /** What else a reserved message counts in the same statement: a code send's pumping-check counts. */
  alsoCount?: (s: SpendSettings, r: SpendRequest) => CounterAdd[];
}

export function createSpendLimits({ counters, settings, alerts, events, now, alsoCount }: SpendDeps) {
  const asShown = (l: Limit, n: number) => (l.kind.startsWith('budget') ? n / MONEY_SCALE : n);

  /** The first to reach a stop in a window tells everyone: audit, metric and alert once per stop. */
  async function announce(l: Limit, used: number, proven: boolean, s: SpendSettings) {
    const end = bucketEnd(l.window, now());
    const once = await counters.pass(counterKey('spend_stop', l.kind, l.scope, proven ? 'all' : 'open', end), cooldownGate(Math.ceil((end - now()) / 1000) + 60));
    if (!once.passed) return;
    const details = { limit: l.kind, scope: l.scope, used: asShown(l, used), max: asShown(l, l.max), reserveOnly: !proven, currency: s.currency, windowEndsAt: end };
    events.stopped?.(l.kind, l.scope);
    await events.audit('sms_spend.stopped', details);
    alerts.fire({ event: 'sms.spend_stopped', ...details });
  }

  return {
    /**
     * Counts the message against every cap and budget in one atomic add each, before it is stored for sending; when
     * one is over, takes every count back and throws `sms_sending_paused`. Errors of the store also stop the send.
     */
    async reserve(r: SpendRequest): Promise<void> {
      const s = await settings.get();
      const country = countryOf(r.to);
      const price = priceOf(s, country, r.provider);
      const cost = Math.round(price * MONEY_SCALE) * Math.max(1, r.segments);
      const proven = PROVEN.has(r.purpose);
      const share = proven ? 1 : 1 - s.mfaReserve;
      const all = limitsFor(s, country, cost);
      // Per-country money for the dashboard (no cap of its own) is counted in the same statement.
      const money = [
        { key: counterKey('spend_cc', country), window: HOUR, by: cost },
        { key: counterKey('spend_cc', country), window: DAY, by: cost },
      ];
      const also = alsoCount?.(s, r) ?? [];
      const counts = await counters.addAll([...all, ...money, ...also]);
      const over = all.map((l, i) => ({ l, n: counts[i] ?? 0 })).filter(({ l, n }) => n > Math.floor(l.max * share));
      if (over.length > 0) {
        await counters.addAll([...all, ...money, ...also].map((l) => ({ key: l.key, window: l.window, by: -(l.by ?? 1) })));
        await Promise.all(over.map(({ l, n }) => announce(l, n - l.by, proven, s)));
        throw paused(over[0]!.l);
      }
      events.counted?.({ country, provider: r.provider, purpose: r.purpose, money: cost / MONEY_SCALE, currency: s.currency });
    },

    /**
     * The same decision as reserve, counting nothing: for requests answered with a decoy, so a paused destination
     * reads the same whether or not the number belongs to anyone.
     */
    async check(r: SpendRequest): Promise<void> {
      const s = await settings.get();
      const country = countryOf(r.to);
      const cost = Math.round(priceOf(s, country, r.provider) * MONEY_SCALE) * Math.max(1, r.segments);
      const share = PROVEN.has(r.purpose) ? 1 : 1 - s.mfaReserve;
      const all = limitsFor(s, country, cost);
      const counts = await counters.peek(all.map((l) => ({ key: l.key, window: l.window })));
      const over = all.find((l, i) => (counts[i] ?? 0) + l.by > Math.floor(l.max * share));
      if (over) throw paused(over);
    },

    /** Spend so far against every cap and budget: the global budgets, then the countries named (or capped/priced). */
    async status(extraCountries: readonly string[] = []): Promise<{ currency: string; lines: SpendLine[] }> {
      const s = await settings.get();
      const named = new Set([...s.countryCaps.map((c) => c.country), ...s.prices.map((p) => p.country), ...extraCountries]);
      const limits = [...limitsFor(s, 'ZZ', 0).filter((l) => l.scope === 'all'), ...[...named].sort().flatMap((c) => limitsFor(s, c, 0).filter((l) => l.scope !== 'all'))];
      const counts = await counters.peek(limits.map((l) => ({ key: l.key, window: l.window })));
      const t = now();
      return {
        currency: s.currency,
        lines: limits.map((l, i) => {
          const used = counts[i] ?? 0;
          const openMax = Math.floor(l.max * (1 - s.mfaReserve));
          return {
            kind: l.kind,
            scope: l.scope,
            used: asShown(l, used),
            max: asShown(l, l.max),
            openMax: asShown(l, openMax),
            state: used >= l.max ? 'stopped' : used >= openMax ? 'reserve_only' : 'open',
            windowEndsAt: bucketEnd(l.window, t),
          };
        }),
      };
    },

    /** Lifts a stop: the count of that limit's current window starts again from zero (audited). */
    async lift(kind: SpendLimitKind, scope: string, actor: string | null): Promise<void> {
      const s = await settings.get();
      const l = limitsFor(s, scope === 'all' ? 'ZZ' : scope, 0).find((x) => x.kind === kind && (x.scope === 'all') === (scope === 'all'));
      if (!l) throw new AppError('not_found', 404, { message: `no ${kind} limit for ${scope}` });
      const [used = 0] = await counters.peek([{ key: l.key, window: l.window }]);
      if (used > 0) await counters.add(l.key, l.window, -used);
      const end = bucketEnd(l.window, now());
      await Promise.all(['all', 'open'].map((p) => counters.reset(counterKey('spend_stop', l.kind, l.scope, p, end))));
      await events.audit('sms_spend.lifted', { limit: kind, scope, usedBefore: asShown(l, used) }, actor);
    },

    /** Money per hour for one country over the last `hours` hours, oldest first (the dashboard chart). */
    async hourly(country: string, hours = 24): Promise<number[]> {
      const t = now();
      const probes = Array.from({ length: hours }, (_, i) => ({ key: counterKey('spend_cc', country), window: HOUR, at: t - (hours - 1 - i) * 3600_000 }));
      return (await counters.peek(probes)).map((n) => n / MONEY_SCALE);
    },
  };
}

export type SpendLimits = ReturnType<typeof createSpendLimits>;
