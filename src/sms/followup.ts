// Support follow-up: a delivered sign-in or reset code still unused after the configured time gets one message that
// tells the user how to reach support; at most one per code message, never for a decoy (decoys are never stored).
import { isUniqueViolation } from '../db/constraints.ts';
import type { Logger } from '../logger.ts';
import type { MessageRow, MessagesRepo } from './outbox/repo.ts';

export interface FollowupDeps {
  repo: Pick<MessagesRepo, 'followupDue' | 'takeFollowup'>;
  /** Stores the follow-up message (SmsSender.followup). */
  send(row: MessageRow, applicationName?: string): Promise<string>;
  /** Whether the code this message carried is still unused (not consumed, not replaced by a newer code, not gone). */
  codeUnused(row: MessageRow): Promise<boolean>;
  /** The app's name for the text. */
  appName?(clientId: string): Promise<string | undefined>;
  logger: Logger;
}

export interface Followups {
  /** Decides the follow-ups that are due; resolves with how many were sent. */
  run(limit: number): Promise<number>;
}

export function createFollowups({ repo, send, codeUnused, appName, logger }: FollowupDeps): Followups {
  return {
    async run(limit) {
      let sent = 0;
      for (const row of await repo.followupDue(limit)) {
        // One instance takes each decision; the recipient kept for it is dropped with it.
        if (!(await repo.takeFollowup(row.id))) continue;
        if (row.status !== 'delivered' || !row.toSealed) continue;
        if (!(await codeUnused(row))) continue;
        try {
          const name = row.clientId && appName ? await appName(row.clientId) : undefined;
          const id = await send(row, name);
          sent++;
          logger.info({ messageId: row.id, followupId: id }, 'SMS support follow-up queued');
        } catch (err) {
          if (isUniqueViolation(err)) continue;
          logger.warn({ messageId: row.id, err: err instanceof Error ? err.message : String(err) }, 'SMS support follow-up not sent');
        }
      }
      return sent;
    },
  };
}
