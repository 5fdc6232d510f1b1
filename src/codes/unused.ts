// Whether the code a message carried is still unused: for support follow-ups, decided from the codes table alone.
import type { Knex } from 'knex';

/** A code stored within this long of its message is that message's code (stored just before the message). */
const SAME_SEND_MS = 60_000;

/**
 * True when the flow's code from that send is still there and unused: not consumed, not replaced by a newer code (a
 * resend has its own message), not purged. A flow has one live code per purpose.
 */
export async function codeStillUnused(db: Knex, q: { flowId: string; sentAt: number }): Promise<boolean> {
  const rows = (await db('one_time_codes').where({ flow_id: q.flowId }).select('used_at', 'created_at')) as { used_at: unknown; created_at: unknown }[];
  if (rows.length === 0 || rows.some((r) => r.used_at != null)) return false;
  return rows.some((r) => Math.abs(Number(r.created_at) - q.sentAt) <= SAME_SEND_MS);
}
