// Dashboard figures: counts, and SMS sent / delivered / verified per day for the last 14 days (verified codes from
// the conversion counts, which keep their days VERIFIED_DAYS_KEPT long).
import type { Knex } from 'knex';
import { type CodeStats, utcDay } from '../../codes/index.ts';
import { isMysql } from '../../db/knex.ts';
import { sentCase } from '../../sms/outbox/figures.ts';

const DAY_MS = 86_400_000;
const DAYS = 14;

/** Where the verified codes per day come from. */
export interface VerifiedSources {
  /** The conversion counts' days (src/sms/spend/conversion.ts): every code verified since they keep them. */
  verifiedPerDay(firstDay: number, days: number): Promise<number[]>;
  /** Days counted before that, in `code_stats_daily` (no longer written): added, so no day's history is lost. */
  earlier: CodeStats;
}

// sent / delivered / verified as src/sms/outbox/figures.ts defines them (the spend page's conversion uses the same).

export interface DayFigures {
  day: string;
  sent: number;
  delivered: number;
  verified: number;
}

export interface Dashboard {
  counts: { users: number; clients: number; smsAccounts: number; messages24h: number };
  days: DayFigures[];
}

const count = async (q: Knex.QueryBuilder) => Number((await q.count({ n: '*' }).first())?.n ?? 0);

export function createDashboard(db: Knex, verifiedSources: VerifiedSources, now: () => number = Date.now) {
  return async function dashboard(): Promise<Dashboard> {
    const today = Math.floor(now() / DAY_MS);
    const first = today - (DAYS - 1);
    const dayExpr = isMysql(db) ? 'FLOOR(created_at / 86400000)' : 'created_at / 86400000';
    const [users, clients, smsAccounts, messages24h, rows, counted, earlier] = await Promise.all([
      count(db('users')),
      count(db('clients')),
      count(db('sms_accounts')),
      count(db('sms_messages').where('created_at', '>=', now() - DAY_MS)),
      db('sms_messages')
        .where('created_at', '>=', first * DAY_MS)
        .select(db.raw(`${dayExpr} as d`))
        .sum({ sent: db.raw(sentCase) })
        .sum({ delivered: db.raw("CASE WHEN status = 'delivered' THEN 1 ELSE 0 END") })
        .groupBy('d') as Promise<Array<{ d: number | string; sent: number | string | null; delivered: number | string | null }>>,
      verifiedSources.verifiedPerDay(first, DAYS),
      verifiedSources.earlier.perDay(utcDay(first * DAY_MS)),
    ]);
    const byDay = new Map(rows.map((r) => [Number(r.d), r]));
    const days: DayFigures[] = [];
    for (let d = first; d <= today; d++) {
      const day = utcDay(d * DAY_MS);
      const r = byDay.get(d);
      // A verification was counted in one place or the other, never both: the sum is the day's count.
      const verified = (counted[d - first] ?? 0) + (earlier.get(day) ?? 0);
      days.push({ day, sent: Number(r?.sent ?? 0), delivered: Number(r?.delivered ?? 0), verified });
    }
    return { counts: { users, clients, smsAccounts, messages24h }, days };
  };
}
