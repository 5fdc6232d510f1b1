// password_reminders table access: the reminder job's user query and its atomic, lease-bounded claim per password period.
import type { Knex } from 'knex';

const TABLE = 'password_reminders';

/** One password period of one user: the row's primary key. */
export interface ReminderKey {
  userId: string;
  passwordChangedAt: number;
}

/** A user whose password is in the reminder window and who has no live claim for this period. */
export interface ReminderCandidate extends ReminderKey {
  /** The token of a claim left behind (older than the lease), to take over; null when nobody claimed the period yet. */
  staleToken: string | null;
}

export interface CandidateQuery {
  policyId: string;
  /** The default policy also covers unassigned users (and users of a policy that no longer exists, as forUser does). */
  isDefault: boolean;
  /** Bounds from reminderWindow: password_changed_at in (notBefore, remindUpTo]. */
  notBefore: number;
  remindUpTo: number;
  /** Claims made before this instant and still not queued are presumed abandoned. */
  staleBefore: number;
  /** Keyset paging by user id. */
  afterId: string;
  limit: number;
}

/** A second insert of the same primary key, on SQLite or MySQL/MariaDB. */
export function isDuplicateKey(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function createPasswordRemindersRepo(db: Knex, now: () => number = Date.now) {
  const row = (key: ReminderKey) => db(TABLE).where({ user_id: key.userId, password_changed_at: key.passwordChangedAt });

  return {
    /** Enabled users with a password of this policy inside the window, without a reminder queued or being queued. */
    async candidates(q: CandidateQuery): Promise<ReminderCandidate[]> {
      const query = db('users as u')
        .leftJoin('policies as p', 'p.id', 'u.policy_id')
        .leftJoin(`${TABLE} as r`, (j) => {
          j.on('r.user_id', '=', 'u.id').andOn('r.password_changed_at', '=', 'u.password_changed_at');
        })
        .where('u.disabled', false)
        .whereNotNull('u.password_hash')
        .where('u.password_changed_at', '>', q.notBefore)
        .where('u.password_changed_at', '<=', q.remindUpTo)
        .where((w) => w.whereNull('r.user_id').orWhere((s) => s.where('r.status', 'claimed').where('r.claimed_at', '<', q.staleBefore)))
        .where('u.id', '>', q.afterId)
        .orderBy('u.id')
        .limit(q.limit)
        .select('u.id as user_id', 'u.password_changed_at', 'r.claim_token');
      if (q.isDefault) query.whereNull('p.id');
      else query.where('u.policy_id', q.policyId);
      const rows: Record<string, unknown>[] = await query;
      return rows.map((r) => ({
        userId: String(r.user_id),
        passwordChangedAt: Number(r.password_changed_at),
        staleToken: r.claim_token == null ? null : String(r.claim_token),
      }));
    },

    /** Claims the period for `token`; false when another run (of any instance) already holds it. */
    async claim(key: ReminderKey, token: string, expiresAt: number): Promise<boolean> {
      const t = now();
      try {
        await db(TABLE).insert({
          user_id: key.userId,
          password_changed_at: key.passwordChangedAt,
          status: 'claimed',
          claim_token: token,
          claimed_at: t,
          message_id: null,
          expires_at: expiresAt,
          created_at: t,
          updated_at: t,
        });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    /** Takes over a claim abandoned before `staleBefore`; false when someone else took it or it was queued meanwhile. */
    async takeOver(key: ReminderKey, staleToken: string, token: string, staleBefore: number): Promise<boolean> {
      const t = now();
      const changed = await row(key)
        .where({ status: 'claimed', claim_token: staleToken })
        .where('claimed_at', '<', staleBefore)
        .update({ claim_token: token, claimed_at: t, updated_at: t });
      return changed === 1;
    },

    /** Records the queued message; false when the claim is no longer this token's (taken over or purged). */
    async queued(key: ReminderKey, token: string, messageId: string): Promise<boolean> {
      const changed = await row(key).where({ status: 'claimed', claim_token: token }).update({ status: 'queued', message_id: messageId, updated_at: now() });
      return changed === 1;
    },

    /** Drops this token's unqueued claim so a later run may try the period again. */
    async release(key: ReminderKey, token: string): Promise<void> {
      await row(key).where({ status: 'claimed', claim_token: token }).delete();
    },

    /**
     * The outbox message a crashed claim may already have queued, found by the flow id the job gives its messages. This
     * reads the SMS layer's table directly: the sender offers no lookup by flow id, and this runs only for abandoned claims.
     */
    async messageForFlow(flowId: string): Promise<string | undefined> {
      const found = await db('sms_messages').where({ flow_id: flowId }).first('id');
      return found ? String(found.id) : undefined;
    },

    /** Deletes rows of periods that ended (the password changed since) or of users that no longer exist. */
    async purgeSuperseded(): Promise<number> {
      return db(TABLE)
        .whereNotExists((s) => {
          s.select(db.raw('1'))
            .from('users')
            .whereRaw('users.id = password_reminders.user_id')
            .whereRaw('users.password_changed_at = password_reminders.password_changed_at');
        })
        .delete();
    },

    /** Rows of one user, oldest period first (admin views and tests). */
    async forUser(userId: string): Promise<Array<ReminderKey & { status: string; messageId: string | null; claimedAt: number }>> {
      const rows: Record<string, unknown>[] = await db(TABLE).where({ user_id: userId }).orderBy('password_changed_at');
      return rows.map((r) => ({
        userId: String(r.user_id),
        passwordChangedAt: Number(r.password_changed_at),
        status: String(r.status),
        messageId: r.message_id == null ? null : String(r.message_id),
        claimedAt: Number(r.claimed_at),
      }));
    },
  };
}

export type PasswordRemindersRepo = ReturnType<typeof createPasswordRemindersRepo>;
