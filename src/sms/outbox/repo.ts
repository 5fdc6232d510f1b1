// sms_messages table access: the outbox (insert, atomic claim, outcome) and the message log (status, listing).
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { prepared } from '../../db/prepared.ts';
import { FINAL_RANK, rankOf } from '../status.ts';
import type { Encoding } from '../templates/segments.ts';
import type { Purpose } from '../types.ts';
import { createMessageHistory, type ReportSource } from './history.ts';
import { createMessageIds } from './ids.ts';

export interface MessageRow {
  id: string;
  accountId: string;
  provider: string;
  purpose: Purpose;
  toMasked: string;
  toSealed: string | null;
  bodySealed: string | null;
  /** Template variables (JSON), sealed; null for messages queued before they were kept. */
  varsSealed: string | null;
  language: string;
  encoding: Encoding;
  characters: number;
  segments: number;
  status: string;
  providerMessageId: string | null;
  errorCode: string | null;
  reason: string | null;
  attempts: number;
  inDoubt: boolean;
  nextAttemptAt: number | null;
  flowId: string | null;
  /** The app (client id) the message was sent for; null for test sends. */
  clientId: string | null;
  /** Template-code providers: the signature and provider template the message was composed with. */
  signatureId: string | null;
  providerTemplateId: string | null;
  /** The routing rule's fallback account: a failed message goes out once more through it. */
  fallbackAccountId: string | null;
  /** On a fallback message: the message it replaces. */
  failoverOf: string | null;
  /** When the support follow-up of this code message is due to be considered (null: none). */
  followupAt: number | null;
  /** On a support follow-up: the code message it follows. */
  followupOf: string | null;
  createdAt: number;
  updatedAt: number;
  acceptedAt: number | null;
  completedAt: number | null;
}

type Row = Record<string, unknown>;
const TABLE = 'sms_messages';
const num = (v: unknown): number | null => (v == null ? null : Number(v));
const str = (v: unknown): string | null => (v == null ? null : String(v));

export const fromRow = (r: Row): MessageRow => ({
  id: String(r.id),
  accountId: String(r.account_id),
  provider: r.provider as string,
  purpose: r.purpose as Purpose,
  toMasked: String(r.to_masked),
  toSealed: str(r.to_sealed),
  bodySealed: str(r.body_sealed),
  varsSealed: str(r.vars_sealed),
  language: String(r.language),
  encoding: r.encoding as Encoding,
  characters: Number(r.characters),
  segments: Number(r.segments),
  status: String(r.status),
  providerMessageId: str(r.provider_message_id),
  errorCode: str(r.error_code),
  reason: str(r.reason),
  attempts: Number(r.attempts),
  inDoubt: Boolean(r.in_doubt),
  nextAttemptAt: num(r.next_attempt_at),
  flowId: str(r.flow_id),
  clientId: str(r.client_id),
  signatureId: str(r.signature_id),
  providerTemplateId: str(r.provider_template_id),
  fallbackAccountId: str(r.fallback_account_id),
  failoverOf: str(r.failover_of),
  followupAt: num(r.followup_at),
  followupOf: str(r.followup_of),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  acceptedAt: num(r.accepted_at),
  completedAt: num(r.completed_at),
});

export interface NewMessage {
  accountId: string;
  provider: string;
  purpose: Purpose;
  toMasked: string;
  toHash: string;
  toSealed: string;
  bodySealed: string;
  varsSealed: string;
  language: string;
  encoding: Encoding;
  characters: number;
  segments: number;
  flowId: string | null;
  clientId?: string | null;
  signatureId?: string | null;
  providerTemplateId?: string | null;
  fallbackAccountId?: string | null;
  failoverOf?: string | null;
  /** Delay after which the support follow-up is considered (code messages, when follow-ups are on). */
  followupAfterMs?: number | null;
  followupOf?: string | null;
}

/** The columns of a new, pending message. */
function columns(id: string, m: NewMessage, at: number): Row {
  return {
    id,
    account_id: m.accountId,
    provider: m.provider,
    purpose: m.purpose,
    to_masked: m.toMasked,
    to_hash: m.toHash,
    to_sealed: m.toSealed,
    body_sealed: m.bodySealed,
    vars_sealed: m.varsSealed,
    language: m.language,
    encoding: m.encoding,
    characters: m.characters,
    segments: m.segments,
    status: 'pending',
    status_rank: 0,
    attempts: 0,
    in_doubt: false,
    next_attempt_at: at,
    flow_id: m.flowId,
    client_id: m.clientId ?? null,
    signature_id: m.signatureId ?? null,
    provider_template_id: m.providerTemplateId ?? null,
    fallback_account_id: m.fallbackAccountId ?? null,
    failover_of: m.failoverOf ?? null,
    followup_at: m.followupAfterMs ? at + m.followupAfterMs : null,
    followup_of: m.followupOf ?? null,
    created_at: at,
    updated_at: at,
  };
}

export function createMessagesRepo(db: Knex, now: () => number) {
  const nextId = createMessageIds();
  const live = (id: string, token: string) => db(TABLE).where({ id, claim_token: token });

  const history = createMessageHistory(db);
  const sql = prepared(db);

  /** The text of advance()'s UPDATE: with or without an error, final or not (four fixed statements). */
  const advanceSql = (withError: boolean, final: boolean) =>
    [
      `UPDATE ${TABLE} SET status = ?, status_rank = ?`,
      withError ? ', error_code = ?, reason = ?' : '',
      // Whatever the provider reports, it no longer needs from us; the recipient is kept for polling until the end.
      // A pending support follow-up keeps the number until it is decided.
      final ? ', completed_at = ?, to_sealed = CASE WHEN followup_at IS NULL THEN NULL ELSE to_sealed END, next_attempt_at = NULL' : '',
      ', body_sealed = NULL, vars_sealed = NULL, updated_at = ? WHERE id = ? AND status_rank < ?',
    ].join('');

  /**
   * The text of accepted()'s UPDATE (one per combination of what is kept). A status callback may already have moved the
   * row further: only move forward. `status` is assigned before `status_rank` because MySQL evaluates SET assignments
   * left to right.
   */
  const acceptedSql = (keepVars: boolean, keepBody: boolean, keepTo: boolean, final: boolean) =>
    [
      `UPDATE ${TABLE} SET status = CASE WHEN status_rank < ? THEN ? ELSE status END, status_rank = CASE WHEN status_rank < ? THEN ? ELSE status_rank END`,
      ', provider_message_id = COALESCE(provider_message_id, ?), in_doubt = 0, claim_token = NULL, claimed_until = NULL, next_attempt_at = ?',
      keepVars ? '' : ', vars_sealed = NULL',
      keepBody ? '' : ', body_sealed = NULL',
      // A pending support follow-up keeps the number until it is decided.
      keepTo ? '' : ', to_sealed = CASE WHEN followup_at IS NULL THEN NULL ELSE to_sealed END',
      ', accepted_at = ?',
      final ? ', completed_at = COALESCE(completed_at, ?)' : '',
      ', updated_at = ? WHERE id = ? AND claim_token = ?',
    ].join('');

  /** The forward-only UPDATE of advance(). */
  async function advanceRow(id: string, r: { status: string; errorCode?: string | null; reason?: string | null }, t: number, rank: number): Promise<boolean> {
    const withError = r.errorCode !== undefined;
    const final = rank >= FINAL_RANK;
    const n = await sql.run(advanceSql(withError, final), [
      r.status,
      rank,
      ...(withError ? [r.errorCode, r.reason ?? null] : []),
      ...(final ? [t] : []),
      t,
      id,
      rank,
    ]);
    return n === 1;
  }

  return {
    ...history,

    /** A pending message: the next due scan of any instance claims it. */
    async insert(m: NewMessage): Promise<string> {
      const id = nextId();
      await db(TABLE).insert(columns(id, m, now()));
      return id;
    },

    /**
     * A message stored already claimed by the caller, exactly as claim() leaves a row: its first attempt counted and in
     * doubt, the lease running. The caller delivers it at once; if it never does, the lease expires and any instance's
     * due scan takes it over as after an unfinished attempt (in doubt: looked up before it is sent again).
     */
    async insertClaimed(m: NewMessage, leaseMs: number): Promise<{ row: MessageRow; token: string }> {
      const id = nextId();
      const token = randomUUID();
      const at = now();
      const c = { ...columns(id, m, at), claim_token: token, claimed_until: at + leaseMs, attempts: 1, in_doubt: true };
      await sql.insert(TABLE, c);
      // As from claim(): `inDoubt` is the state left by the previous attempt (none).
      return { row: { ...fromRow(c), inDoubt: false }, token };
    },

    async find(id: string): Promise<MessageRow | undefined> {
      const row = await db(TABLE).where({ id }).first();
      return row ? fromRow(row) : undefined;
    },

    /** Code messages whose support follow-up is due to be decided. */
    async followupDue(limit: number): Promise<MessageRow[]> {
      return (await db(TABLE).whereNotNull('followup_at').where('followup_at', '<=', now()).orderBy('followup_at').limit(limit)).map(fromRow);
    },

    /**
     * Takes the follow-up decision of one message for one instance (a conditional UPDATE: of several racing, one
     * wins) and drops the recipient kept for it unless polling still needs it. The caller has the row read before.
     */
    async takeFollowup(id: string): Promise<boolean> {
      const n = await db(TABLE)
        .where({ id })
        .whereNotNull('followup_at')
        .update({ followup_at: null, to_sealed: db.raw('CASE WHEN status_rank >= ? OR next_attempt_at IS NULL THEN NULL ELSE to_sealed END', [FINAL_RANK]), updated_at: now() });
      return n === 1;
    },

    /** The fallback message sent in place of this one, if it failed over. */
    async fallbackFor(id: string): Promise<MessageRow | undefined> {
      const row = await db(TABLE).where({ failover_of: id }).first();
      return row ? fromRow(row) : undefined;
    },

    /**
     * Messages kept for a possible failover hold their sealed recipient and variables until their final status; once
     * their code is stale (older than `before`) nothing more is sent for them, so both are dropped.
     */
    async dropFailoverData(before: number): Promise<number> {
      const base = () => db(TABLE).whereNotNull('fallback_account_id').whereBetween('status_rank', [1, FINAL_RANK - 1]).where('created_at', '<', before);
      const n = await base().whereNotNull('vars_sealed').update({ vars_sealed: null, updated_at: now() });
      // Messages still polled for their delivery status keep the number their lookup needs.
      await base().whereNull('next_attempt_at').whereNull('followup_at').whereNotNull('to_sealed').update({ to_sealed: null, updated_at: now() });
      return n;
    },

    /** Newest first. `since` is inclusive, `before` exclusive; `after` continues past the last row of a previous page. */
    async list(q: {
      limit: number;
      before?: number;
      since?: number;
      after?: { createdAt: number; id: string };
      status?: string;
      accountId?: string;
      clientId?: string;
      purpose?: Purpose;
      provider?: string;
      /** One recipient's hash, or its hashes under every known key. */
      toHash?: string | string[];
      /** Calling code of the recipient's country (`+33`): matched against the start of the masked number. */
      callingCode?: string;
    }): Promise<MessageRow[]> {
      const query = db(TABLE).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(q.limit);
      if (q.before !== undefined) query.where('created_at', '<', q.before);
      if (q.since !== undefined) query.where('created_at', '>=', q.since);
      const after = q.after;
      if (after) query.where((w) => w.where('created_at', '<', after.createdAt).orWhere((x) => x.where('created_at', after.createdAt).where('id', '<', after.id)));
      if (q.status) query.where({ status: q.status });
      if (q.accountId) query.where({ account_id: q.accountId });
      if (q.clientId) query.where({ client_id: q.clientId });
      if (q.purpose) query.where({ purpose: q.purpose });
      if (q.provider) query.where({ provider: q.provider });
      if (q.toHash) query.whereIn('to_hash', ([] as string[]).concat(q.toHash));
      // The mask keeps the calling code and puts a bullet right after it, so `+1•` never matches `+44…`.
      if (q.callingCode) query.where('to_masked', 'like', `${q.callingCode}•%`);
      return (await query).map(fromRow);
    },

    /** Outbox rows that are due and not held by a live claim, as read now (for claim()). */
    async due(limit: number): Promise<MessageRow[]> {
      const t = now();
      const rows = await db(TABLE)
        .where({ status: 'pending' })
        .where('next_attempt_at', '<=', t)
        .where((w) => w.whereNull('claimed_until').orWhere('claimed_until', '<', t))
        .orderBy('next_attempt_at')
        .limit(limit);
      return rows.map(fromRow);
    },

    /**
     * Claims one row for one worker with a single conditional UPDATE: of several instances racing for it, exactly one
     * sees an affected row. The attempt is counted and marked in doubt until its outcome is recorded.
     */
    async claim(before: MessageRow, leaseMs: number): Promise<{ row: MessageRow; token: string } | undefined> {
      const t = now();
      const token = randomUUID();
      const id = before.id;
      // `attempts` unchanged since due() read the row proves nobody claimed it in between, so `before` is the current state.
      const n = await db(TABLE)
        .where({ id, status: 'pending', attempts: before.attempts })
        .where('next_attempt_at', '<=', t)
        .where((w) => w.whereNull('claimed_until').orWhere('claimed_until', '<', t))
        .update({ claim_token: token, claimed_until: t + leaseMs, attempts: db.raw('attempts + 1'), in_doubt: true, updated_at: t });
      if (n !== 1) return undefined;
      // `inDoubt` reported here is the state left by the previous attempt.
      return { row: { ...before, attempts: before.attempts + 1 }, token };
    },

    /** The provider has the message: record its id and status, drop the sealed recipient (and body unless kept). */
    async accepted(id: string, token: string, r: { providerMessageId: string | null; status: string; keepBody: boolean; pollAt?: number; keepForFailover?: boolean }): Promise<boolean> {
      const t = now();
      const rank = Math.max(1, rankOf(r.status));
      const status = rankOf(r.status) >= 1 ? r.status : 'queued';
      const final = rank >= FINAL_RANK;
      // A message with a fallback keeps its sealed variables (and number) until its final status: an undelivered
      // report sends the same code again through the fallback.
      const keepVars = r.keepForFailover === true && !final;
      // A provider polled for delivery keeps the recipient (its lookup needs the number) until the final status; the
      // development inbox keeps the sealed text and number to show them; real messages keep neither.
      const keepTo = r.keepBody || ((Boolean(r.pollAt) || r.keepForFailover === true) && !final);
      const n = await sql.run(acceptedSql(keepVars, r.keepBody, keepTo, final), [
        rank,
        status,
        rank,
        rank,
        r.providerMessageId,
        r.pollAt && !final ? r.pollAt : null,
        t,
        ...(final ? [t] : []),
        t,
        id,
        token,
      ]);
      return n === 1;
    },

    /** Gives the row back to the outbox for a later attempt. */
    async retryLater(id: string, token: string, r: { at: number; inDoubt: boolean; errorCode: string; reason: string }): Promise<void> {
      await live(id, token).update({
        next_attempt_at: r.at,
        in_doubt: r.inDoubt,
        error_code: r.errorCode,
        reason: r.reason,
        claim_token: null,
        claimed_until: null,
        updated_at: now(),
      });
    },

    /** Final failure before the provider accepted the message; whether it was pending (and is now failed). */
    async failed(id: string, token: string | null, r: { errorCode: string; reason: string }): Promise<boolean> {
      const t = now();
      const q = (token ? live(id, token) : db(TABLE).where({ id })).where({ status: 'pending' });
      const n = await q.update({
        status: 'failed',
        status_rank: FINAL_RANK,
        error_code: r.errorCode,
        reason: r.reason,
        claim_token: null,
        claimed_until: null,
        next_attempt_at: null,
        followup_at: null,
        to_sealed: null,
        body_sealed: null,
        vars_sealed: null,
        completed_at: t,
        updated_at: t,
      });
      return n > 0;
    },

    /**
     * Moves a message forward only: the UPDATE applies only when the new status ranks above the stored one, so
     * repeated and out-of-order reports are no-ops. Every report is kept in the message's history (`source`: a pushed
     * callback unless told it was polled). Returns whether the status changed.
     */
    async advance(id: string, r: { status: string; providerMessageId?: string; errorCode?: string | null; reason?: string | null; source?: ReportSource }): Promise<boolean> {
      const t = now();
      const rank = rankOf(r.status);
      if (rank < 1) return false;
      const moved = await advanceRow(id, r, t, rank);
      await history.recordReport({ messageId: id, source: r.source ?? 'callback', status: r.status, errorCode: r.errorCode ?? null, reason: r.reason ?? null, applied: moved, receivedAt: t });
      return moved;
    },


    /** Accepted messages still waiting for a delivery report whose lookup is due. */
    async pollDue(limit: number): Promise<MessageRow[]> {
      const rows = await db(TABLE)
        .whereBetween('status_rank', [1, FINAL_RANK - 1])
        .whereNotNull('to_sealed')
        .where('next_attempt_at', '<=', now())
        .orderBy('next_attempt_at')
        .limit(limit);
      return rows.map(fromRow);
    },

    /** Looks again later, or (at = null) stops looking and drops the recipient. */
    async pollLater(id: string, at: number | null): Promise<void> {
      await db(TABLE)
        .where({ id })
        .whereBetween('status_rank', [1, FINAL_RANK - 1])
        .update(at === null ? { next_attempt_at: null, to_sealed: null, updated_at: now() } : { next_attempt_at: at, updated_at: now() });
    },

    /** The message our id or the provider's names (a pushed report carries both). */
    async findForReport(accountId: string, ref: { messageId?: string; providerMessageId?: string }): Promise<MessageRow | undefined> {
      if (ref.messageId && ref.messageId.length <= 36) {
        const row = await db(TABLE).where({ id: ref.messageId, account_id: accountId }).first();
        if (row) return fromRow(row);
      }
      if (ref.providerMessageId) {
        const row = await db(TABLE).where({ provider_message_id: ref.providerMessageId, account_id: accountId }).first();
        if (row) return fromRow(row);
      }
      return undefined;
    },

    /** Records the provider id learnt from a callback that arrived before the worker recorded it. */
    async setProviderId(id: string, providerMessageId: string): Promise<void> {
      await db(TABLE).where({ id }).whereNull('provider_message_id').update({ provider_message_id: providerMessageId });
    },
  };
}

export type MessagesRepo = ReturnType<typeof createMessagesRepo>;
