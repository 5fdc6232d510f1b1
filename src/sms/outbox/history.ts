// A message's history for support: each attempt at the provider and each delivery report received, oldest first.
import type { Knex } from 'knex';
import { prepared } from '../../db/prepared.ts';

export type AttemptOutcome = 'accepted' | 'found' | 'retry' | 'failed';

export interface AttemptRow {
  messageId: string;
  attempt: number;
  accountId: string;
  provider: string;
  startedAt: number;
  finishedAt: number;
  outcome: AttemptOutcome;
  /** The provider's HTTP answer, when there was one; never its body. */
  httpStatus: number | null;
  errorCode: string | null;
  reason: string | null;
}

export type ReportSource = 'callback' | 'poll';

export interface ReportRow {
  messageId: string;
  source: ReportSource;
  status: string;
  errorCode: string | null;
  reason: string | null;
  /** Whether the report moved the status (repeats and late reports do not). */
  applied: boolean;
  receivedAt: number;
}

const num = (v: unknown): number | null => (v == null ? null : Number(v));
const str = (v: unknown): string | null => (v == null ? null : String(v));

export function createMessageHistory(db: Knex) {
  const sql = prepared(db);
  return {
    async recordAttempt(a: AttemptRow): Promise<void> {
      await sql.insert('sms_message_attempts', {
        message_id: a.messageId,
        attempt: a.attempt,
        account_id: a.accountId,
        provider: a.provider,
        started_at: a.startedAt,
        finished_at: a.finishedAt,
        outcome: a.outcome,
        http_status: a.httpStatus,
        error_code: a.errorCode?.slice(0, 64) ?? null,
        reason: a.reason,
      });
    },

    async recordReport(r: ReportRow): Promise<void> {
      await db('sms_message_events').insert({
        message_id: r.messageId,
        source: r.source,
        status: r.status,
        error_code: r.errorCode?.slice(0, 64) ?? null,
        reason: r.reason,
        applied: r.applied,
        received_at: r.receivedAt,
      });
    },

    async attempts(messageId: string): Promise<AttemptRow[]> {
      const rows = await db('sms_message_attempts').where({ message_id: messageId }).orderBy([{ column: 'started_at' }, { column: 'id' }]);
      return rows.map((r: Record<string, unknown>) => ({
        messageId: String(r.message_id),
        attempt: Number(r.attempt),
        accountId: String(r.account_id),
        provider: String(r.provider),
        startedAt: Number(r.started_at),
        finishedAt: Number(r.finished_at),
        outcome: r.outcome as AttemptOutcome,
        httpStatus: num(r.http_status),
        errorCode: str(r.error_code),
        reason: str(r.reason),
      }));
    },

    async reports(messageId: string): Promise<ReportRow[]> {
      const rows = await db('sms_message_events').where({ message_id: messageId }).orderBy([{ column: 'received_at' }, { column: 'id' }]);
      return rows.map((r: Record<string, unknown>) => ({
        messageId: String(r.message_id),
        source: r.source as ReportSource,
        status: String(r.status),
        errorCode: str(r.error_code),
        reason: str(r.reason),
        applied: Boolean(r.applied),
        receivedAt: Number(r.received_at),
      }));
    },
  };
}

export type MessageHistory = ReturnType<typeof createMessageHistory>;
