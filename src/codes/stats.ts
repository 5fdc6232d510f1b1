// Verified codes per UTC day as they were counted before the conversion counts kept them (`code_stats_daily`, written
// no more): the dashboard adds these to the counter store's days, so no day's history is lost.
import type { Knex } from 'knex';

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function createCodeStats(db: Knex) {
  return {
    /** Verified codes per day (all purposes) from `fromDay` on, as a map day → count, from the earlier table. */
    async perDay(fromDay: string): Promise<Map<string, number>> {
      const rows = (await db('code_stats_daily').where('day', '>=', fromDay).groupBy('day').select('day').sum({ n: 'verified' })) as Array<{ day: string; n: number | string }>;
      return new Map(rows.map((r) => [String(r.day), Number(r.n)]));
    },
  };
}

export type CodeStats = ReturnType<typeof createCodeStats>;
