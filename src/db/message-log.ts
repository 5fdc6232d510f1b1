// Support reads of the SMS message log: by recipient (keyed hash), country, status, purpose, account, provider and time.
import type { Knex } from 'knex';
import { fromRow, type MessageRow } from '../sms/outbox/repo.ts';
import type { Purpose } from '../sms/types.ts';

export interface MessageLogQuery {
  limit: number;
  /** Exclusive upper bound on created_at (epoch ms). */
  before?: number;
  /** Inclusive lower bound on created_at (epoch ms). */
  since?: number;
  after?: { createdAt: number; id: string };
  status?: string;
  accountId?: string;
  purpose?: Purpose;
  provider?: string;
  /** Keyed hash of the E.164 recipient, as stored in `to_hash`. */
  toHash?: string;
  /** Calling code of the recipient's country (`+33`): matched against the start of the masked number. */
  callingCode?: string;
}

export function createMessageLogRepo(db: Knex) {
  return {
    /** Newest first; `after` continues past the last row of the previous page. */
    async list(q: MessageLogQuery): Promise<MessageRow[]> {
      const query = db('sms_messages').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(q.limit);
      if (q.before !== undefined) query.where('created_at', '<', q.before);
      if (q.since !== undefined) query.where('created_at', '>=', q.since);
      const after = q.after;
      if (after) query.where((w) => w.where('created_at', '<', after.createdAt).orWhere((x) => x.where('created_at', after.createdAt).where('id', '<', after.id)));
      if (q.status) query.where({ status: q.status });
      if (q.accountId) query.where({ account_id: q.accountId });
      if (q.purpose) query.where({ purpose: q.purpose });
      if (q.provider) query.where({ provider: q.provider });
      if (q.toHash) query.where({ to_hash: q.toHash });
      // The mask keeps the calling code and puts a bullet right after it, so `+1•` never matches `+44…`.
      if (q.callingCode) query.where('to_masked', 'like', `${q.callingCode}•%`);
      return (await query).map(fromRow);
    },

    /** The most recent messages to one recipient (by hash), for a user's page. */
    recentTo: (toHash: string, limit = 10): Promise<MessageRow[]> =>
      db('sms_messages').where({ to_hash: toHash }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit).then((rows) => rows.map(fromRow)),
  };
}

export type MessageLogRepo = ReturnType<typeof createMessageLogRepo>;
