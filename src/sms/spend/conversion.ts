// Pumping defence: send → verify conversion per country, number prefix and client IP range over a sliding window.
import type { Knex } from 'knex';
import { type CounterAdd, type CounterStore, cooldownGate, counterKey, type Probe, type Window } from '../../counters/index.ts';
import { AppError } from '../../errors.ts';
import { ipBucket } from '../../security/ip-range.ts';
import { sentPerHour } from '../outbox/figures.ts';
import type { AlertSender } from './alerts.ts';
import { countryOf, type SpendEvents } from './limits.ts';
import type { SpendSettings, SpendSettingsStore } from './settings.ts';

export type Scope = 'prefix' | 'ip' | 'country';

/** The number without its last 4 digits: adjacent numbers of one range share it. */
export const prefixOf = (phone: string): string => phone.replace(/[^\d+]/g, '').slice(0, -4);

/** An IPv4 client's /24, an IPv6 client's /64. */
export function ipRangeOf(ip: string | undefined): string {
  const b = ipBucket(ip);
  const v4 = /^(\d+\.\d+\.\d+)\.\d+$/.exec(b);
  return v4 ? `${v4[1]}.0/24` : b;
}

interface Subject {
  scope: Scope;
  key: string;
}

const subjects = (phone: string, ip: string | undefined): Subject[] => [
  { scope: 'prefix', key: prefixOf(phone) },
  { scope: 'ip', key: ipRangeOf(ip) },
  { scope: 'country', key: countryOf(phone) },
];

const STATS: Window = { seconds: 3600, keepSeconds: 7 * 86_400 };

const DAY_MS = 86_400_000;
/** How many past days `verifiedPerDay` can read (the daily counts are kept that long; the dashboard shows 14). */
export const VERIFIED_DAYS_KEPT = 31;
/** Verified codes per UTC day, every purpose and country: the dashboard's days. */
const DAILY: Window = { seconds: 86_400, keepSeconds: VERIFIED_DAYS_KEPT * 86_400 };
const verifiedDaily = counterKey('conv_day', 'verified');

export interface Judged extends Subject {
  sends: number;
  verified: number;
}

export interface ConversionDeps {
  db: Knex;
  counters: CounterStore;
  settings: SpendSettingsStore;
  alerts: AlertSender;
  events: SpendEvents & { blocked?(scope: Scope): void };
  now: () => number;
}

export function createConversion({ db, counters, settings, alerts, events, now }: ConversionDeps) {
  const win = (s: SpendSettings): Window => ({ seconds: s.conversion.windowSeconds, keepSeconds: s.conversion.windowSeconds });
  const minSends = (s: SpendSettings, scope: Scope) =>
    scope === 'prefix' ? s.conversion.minSendsPrefix : scope === 'ip' ? s.conversion.minSendsIp : s.conversion.minSendsCountry;

  /**
   * Sends and verified codes per subject, a sliding estimate: this window's count plus the previous window's, weighted
   * by how much of it is still inside. `extra` probes are read in the same statement.
   */
  async function judge(s: SpendSettings, list: Subject[], extra: readonly Probe[] = []): Promise<[Judged[], number[]]> {
    const w = win(s);
    const t = now();
    const ms = w.seconds * 1000;
    const weight = 1 - (t % ms) / ms;
    const probes: Probe[] = list.flatMap((x) =>
      ['sent', 'verified'].flatMap((k) => [
        { key: counterKey('conv', k, x.scope, x.key), window: w },
        { key: counterKey('conv', k, x.scope, x.key), window: w, at: t - ms },
      ]),
    );
    const n = await counters.peek([...probes, ...extra]);
    const judged = list.map((x, i) => {
      const [sc = 0, sp = 0, vc = 0, vp = 0] = n.slice(i * 4, i * 4 + 4);
      return { ...x, sends: Math.round(sc + sp * weight), verified: Math.round(vc + vp * weight) };
    });
    return [judged, n.slice(probes.length)];
  }

  /** The adds that count one code send (for the spend limits to make in their own statement). */
  const sendAdds = (s: SpendSettings, phone: string, ip: string | undefined): CounterAdd[] =>
    subjects(phone, ip).map((x) => ({ key: counterKey('conv', 'sent', x.scope, x.key), window: win(s) }));

  /**
   * The adds that count one verified code: per subject for the conversion, per country and hour for the spend page
   * (its sends are read from the message log), per day for the dashboard. The code engine makes them in its own
   * counter write after a right code, so each figure counts the same verifications.
   */
  async function verifiedAdds(phone: string, ip: string | undefined): Promise<CounterAdd[]> {
    const s = await settings.get();
    return [
      ...subjects(phone, ip).map((x) => ({ key: counterKey('conv', 'verified', x.scope, x.key), window: win(s) })),
      { key: counterKey('conv_cc', 'verified', countryOf(phone)), window: STATS },
      { key: verifiedDaily, window: DAILY },
    ];
  }

  async function announce(s: SpendSettings, j: Judged) {
    const once = await counters.pass(counterKey('conv_block', j.scope, j.key), cooldownGate(s.conversion.windowSeconds));
    if (!once.passed) return;
    const details = { scope: j.scope, key: j.key, sends: j.sends, verified: j.verified, conversion: j.sends ? j.verified / j.sends : 0, threshold: s.conversion.threshold };
    await db('sms_pumping_blocks').insert({ scope: j.scope, key: j.key, sends: j.sends, verified: j.verified, blocked_at: now(), unblocked_at: null, unblocked_by: null });
    events.blocked?.(j.scope);
    await events.audit('sms_pumping.blocked', details);
    alerts.fire({ event: 'sms.pumping_blocked', ...details });
  }

  return {
    /** Refuses a send (`sms_destination_blocked`) when its prefix, IP range or country converts below the threshold. */
    async check(phone: string, ip: string | undefined): Promise<void> {
      const s = await settings.get();
      const list = subjects(phone, ip);
      const [judged, exempt] = await judge(s, list, list.map((x) => ({ key: counterKey('conv_ok', x.scope, x.key), gate: true as const })));
      const bad = judged.find((j, i) => !(exempt[i]! > 0) && j.sends >= minSends(s, j.scope) && j.verified < j.sends * s.conversion.threshold);
      if (!bad) return;
      await announce(s, bad);
      throw new AppError('sms_destination_blocked', 429, { message: `sending to this ${bad.scope === 'ip' ? 'network' : 'destination'} is paused: too few codes are used` });
    },
    /** Counts a real send (never a decoy); a code send through the sender is counted by the spend limits instead. */
    async recordSend(phone: string, ip: string | undefined): Promise<void> {
      await counters.addAll(sendAdds(await settings.get(), phone, ip));
    },
    sendAdds,
    verifiedAdds,

    /** Counts a verified code (where no code check makes the adds itself). */
    async recordVerified(phone: string, ip: string | undefined): Promise<void> {
      await counters.addAll(await verifiedAdds(phone, ip));
    },

    /** Verified codes on `days` UTC days from day number `firstDay` (days since the epoch) on, at most VERIFIED_DAYS_KEPT back. */
    verifiedPerDay(firstDay: number, days: number): Promise<number[]> {
      return counters.peek(Array.from({ length: days }, (_, i) => ({ key: verifiedDaily, window: DAILY, at: (firstDay + i) * DAY_MS })));
    },

    /** Blocks raised lately, newest first, with whether an admin lifted them. */
    async blocks(limit = 100) {
      const rows = await db('sms_pumping_blocks').orderBy('blocked_at', 'desc').orderBy('id', 'desc').limit(limit);
      return rows.map((r) => ({
        id: Number(r.id),
        scope: r.scope as Scope,
        key: String(r.key),
        sends: Number(r.sends),
        verified: Number(r.verified),
        blockedAt: Number(r.blocked_at),
        unblockedAt: r.unblocked_at == null ? null : Number(r.unblocked_at),
        unblockedBy: (r.unblocked_by as string | null) ?? null,
      }));
    },

    /** Lets sends there go on for one window whatever the conversion (audited). */
    async unblock(id: number, actor: string | null): Promise<void> {
      const row = await db('sms_pumping_blocks').where({ id }).first();
      if (!row) throw new AppError('not_found', 404, { message: `block ${id} does not exist` });
      const s = await settings.get();
      await counters.reset(counterKey('conv_ok', row.scope, row.key));
      await counters.pass(counterKey('conv_ok', row.scope, row.key), cooldownGate(s.conversion.windowSeconds));
      await counters.reset(counterKey('conv_block', row.scope, row.key));
      await db('sms_pumping_blocks').where({ id }).update({ unblocked_at: now(), unblocked_by: actor });
      await events.audit('sms_pumping.unblocked', { scope: row.scope, key: row.key }, actor);
    },

    /**
     * Messages sent and codes verified per hour for one country over the last `hours` hours, oldest first: sent as
     * the dashboard counts it (handed to the provider, not failed; src/sms/outbox/figures.ts), verified from the
     * verifications counted here.
     */
    async hourly(country: string, hours = 24): Promise<{ sent: number[]; verified: number[] }> {
      const t = now();
      const at = (i: number) => t - (hours - 1 - i) * 3600_000;
      const [sent, verified] = await Promise.all([
        sentPerHour(db, country, hours, t),
        counters.peek(Array.from({ length: hours }, (_, i) => ({ key: counterKey('conv_cc', 'verified', country), window: STATS, at: at(i) }))),
      ]);
      return { sent, verified };
    },

    /** Current sliding conversion of some subjects (the dashboard table). */
    async current(list: Subject[]): Promise<Judged[]> {
      return (await judge(await settings.get(), list))[0];
    },
  };
}

export type Conversion = ReturnType<typeof createConversion>;
