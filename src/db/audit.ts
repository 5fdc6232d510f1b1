// Audit events repository: records who did what to whom, and reads them back newest first.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { jsonColumn } from './knex.ts';

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
  return {
    /** Writes one event; never pass secrets (passwords, codes, tokens) in `details`. */
    async record(event: NewAuditEvent): Promise<AuditEvent> {
      const row = { id: randomUUID(), at: now(), actor: event.actor ?? null, action: event.action, target: event.target ?? null, details: JSON.stringify(event.details ?? {}) };
      await db('audit_events').insert(row);
      return fromRow(row);
    },

    /** Newest first, optionally narrowed to one action and/or target. */
    async list(q: { action?: string; target?: string; limit?: number } = {}): Promise<AuditEvent[]> {
      const query = db('audit_events').orderBy([{ column: 'at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(Math.min(q.limit ?? 50, 500));
      if (q.action) query.where({ action: q.action });
      if (q.target) query.where({ target: q.target });
      return (await query).map(fromRow);
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
