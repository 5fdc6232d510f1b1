// Audit events repository: records who did what to whom, and reads them back newest first.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { jsonColumn } from './knex.ts';
import { prepared } from './prepared.ts';

export interface AuditEvent {
  id: string;
  /** Epoch milliseconds. */
  at: number;
  actor: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

export type NewAuditEvent = Pick<AuditEvent, 'action'> & Partial<Pick<AuditEvent, 'actor' | 'target' | 'details'>>;

const fromRow = (r: Record<string, unknown>): AuditEvent => ({
  id: r.id as string,
  at: Number(r.at),
  actor: (r.actor as string | null) ?? null,
  action: r.action as string,
  target: (r.target as string | null) ?? null,
  details: jsonColumn(r.details, {}),
});

export function createAuditRepo(db: Knex, now: () => number = Date.now) {
  const sql = prepared(db);
  return {
    /** Writes one event; never pass secrets (passwords, codes, tokens) in `details`. */
    async record(event: NewAuditEvent): Promise<AuditEvent> {
      const row = { id: randomUUID(), at: now(), actor: event.actor ?? null, action: event.action, target: event.target ?? null, details: JSON.stringify(event.details ?? {}) };
      await sql.insert('audit_events', row);
      return fromRow(row);
    },

    /**
     * Newest first, optionally narrowed to an action or action prefix, a target and/or actor, and to a time range (`since` inclusive,
     * `until` exclusive, epoch ms). `after` continues a listing past the last event of the previous page.
     */
    async list(
      q: { action?: string; target?: string; actor?: string; since?: number; until?: number; after?: { at: number; id: string }; limit?: number } = {},
    ): Promise<AuditEvent[]> {
      const query = db('audit_events').orderBy([{ column: 'at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(Math.min(q.limit ?? 50, 500));
      // `user.` (or `user`) finds user.create, user.update, …; `user.create` finds only that action.
      if (q.action) {
        const base = q.action.replace(/\.$/, '');
        const like = `${base.replace(/[!%_]/g, '!$&')}.%`;
        query.where((w) => w.where({ action: base }).orWhereRaw("action LIKE ? ESCAPE '!'", [like]));
      }
      if (q.target) query.where({ target: q.target });
      if (q.actor) query.where({ actor: q.actor });
      if (q.since !== undefined) query.where('at', '>=', q.since);
      if (q.until !== undefined) query.where('at', '<', q.until);
      const after = q.after;
      if (after) query.where((w) => w.where('at', '<', after.at).orWhere((x) => x.where('at', after.at).where('id', '<', after.id)));
      return (await query).map(fromRow);
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
