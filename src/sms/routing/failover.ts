// Failover: a message that failed for a reason another route may overcome goes out once more, through its rule's fallback.
import { isUniqueViolation } from '../../db/constraints.ts';
import type { Logger } from '../../logger.ts';
import type { MessageRow } from '../outbox/repo.ts';
import type { Reason } from '../reasons.ts';

/**
 * Reasons that are the route's (provider down after its retries, the account's or its configuration's, carrier-side
 * failures another carrier path may reach) fail over; reasons that are the number's (invalid, not mobile, landline or
 * unknown destination, opted out), the message's (too long, stale) or rate limits per number do not.
 */
export const FAILOVER_REASONS: ReadonlySet<string> = new Set<Reason>(['provider_unavailable', 'configuration', 'region_not_enabled', 'unreachable', 'blocked', 'carrier_error']);

export interface FailoverDeps {
  /** Composes and stores the fallback message (the same code, in the same language, the fallback's own template). */
  resend(row: MessageRow): Promise<string>;
  logger: Logger;
  now: () => number;
  /** A message older than this is not failed over: its code is stale (the outbox's maxAgeMs). */
  maxAgeMs: number;
}

export interface Failover {
  /** Called once a message is known to have failed (send given up, or an undelivered report), with its row as read before. */
  after(row: MessageRow, reason: string | null | undefined): Promise<string | undefined>;
}

export function createFailover({ resend, logger, now, maxAgeMs }: FailoverDeps): Failover {
  return {
    async after(row, reason) {
      if (!row.fallbackAccountId || row.failoverOf || !reason || !FAILOVER_REASONS.has(reason)) return undefined;
      if (!row.toSealed || !row.varsSealed) {
        logger.warn({ messageId: row.id }, 'SMS failover skipped: the message content is no longer kept');
        return undefined;
      }
      if (now() - row.createdAt > maxAgeMs) {
        logger.info({ messageId: row.id }, 'SMS failover skipped: the code is stale');
        return undefined;
      }
      try {
        const id = await resend(row);
        logger.info({ messageId: row.id, fallbackId: id, fallbackAccountId: row.fallbackAccountId, reason }, 'SMS failed over to the fallback account');
        return id;
      } catch (err) {
        // Another instance failed it over first: the unique failover_of index lets exactly one fallback in.
        if (isUniqueViolation(err)) return undefined;
        logger.warn({ messageId: row.id, err: err instanceof Error ? err.message : String(err) }, 'SMS failover not sent');
        return undefined;
      }
    },
  };
}
