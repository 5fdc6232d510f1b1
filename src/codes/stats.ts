// Counts verified codes per UTC day and purpose, so an admin can compare sends with verifications (SMS pumping shows as sends without them).
import type { Knex } from 'knex';
import type { CodePurpose } from './types.ts';

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function createCodeStats(db: Knex) {
  return {
    async verified(purpose: CodePurpose, at: number): Promise<void> {
      await db('code_stats_daily')
        .insert({ day: utcDay(at), purpose, verified: 1 })
        .onConflict(['day', 'purpose'])
        .merge({ verified: db.raw('?? + 1', ['code_stats_daily.verified']) });
    },

    /** Verified codes per day (all purposes) from `fromDay` on, as a map day → count. */
    async perDay(fromDay: string): Promise<Map<string, number>> {
      const rows = (await db('code_stats_daily').where('day', '>=', fromDay).groupBy('day').select('day').sum({ n: 'verified' })) as Array<{ day: string; n: number | string }>;
      return new Map(rows.map((r) => [String(r.day), Number(r.n)]));
    },
  };
}

export type CodeStats = ReturnType<typeof createCodeStats>;
