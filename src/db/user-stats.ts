// Facts about users gathered from other tables for the admin lists: users following the default policy, last sign-in per user.
import type { Knex } from 'knex';
import { jsonColumn } from './knex.ts';

export interface LastSignIn {
  at: number;
  method: string | null;
  clientId: string | null;
}

export function createUserStats(db: Knex) {
  return {
    /** Users with no policy of their own (they follow the default). */
    async unassigned(): Promise<number> {
      return Number((await db('users').whereNull('policy_id').count({ n: '*' }).first())?.n ?? 0);
    },

    /** The latest successful sign-in of each of these users (from the audit log). */
    async lastSignIns(userIds: string[]): Promise<Map<string, LastSignIn>> {
      const out = new Map<string, LastSignIn>();
      if (userIds.length === 0) return out;
      const rows = await db('audit_events').where({ action: 'signin.success' }).whereIn('target', userIds).orderBy('at', 'desc').limit(userIds.length * 20);
      for (const r of rows) {
        const target = String(r.target);
        if (out.has(target)) continue;
        const d = jsonColumn<{ method?: string; clientId?: string }>(r.details, {});
        out.set(target, { at: Number(r.at), method: d.method ?? null, clientId: d.clientId ?? null });
      }
      return out;
    },
  };
}

export type UserStats = ReturnType<typeof createUserStats>;
