// Delivery-status polling: accepted messages whose report has not arrived are looked up at the provider; status only moves forward.
import type { WorkerDeps } from './deps.ts';

/** Stop looking a day after acceptance; the message keeps its last known status. */
const GIVE_UP_MS = 24 * 3600_000;

export function createPoller(deps: Pick<WorkerDeps, 'repo' | 'accounts' | 'providers' | 'box' | 'logger' | 'now' | 'failover'>) {
  const { repo, logger, now } = deps;
  return {
    async run(limit: number): Promise<number> {
      const rows = await repo.pollDue(limit);
      for (const row of rows) {
        const account = await deps.accounts.load(row.accountId);
        const d = account ? deps.providers.registry.find(account.provider) : undefined;
        const provider = account && d ? deps.providers.forAccount(account) : undefined;
        if (!account || !d?.reports || !provider?.status || !row.toSealed) {
          await repo.pollLater(row.id, null);
          continue;
        }
        const again = now() + d.reports.pollAfterMs(account.settings);
        try {
          const found = await provider.status({ to: deps.box.decrypt(row.toSealed), messageId: row.id, providerMessageId: row.providerMessageId, sentAt: row.acceptedAt ?? row.createdAt });
          const failure = found && found.status === 'undelivered';
          const moved = found
            ? await repo.advance(row.id, failure ? { status: found.status, errorCode: found.errorCode ?? null, reason: d.mapError(found.errorCode, 400).reason, source: 'poll' } : { status: found.status, source: 'poll' })
            : false;
          if (moved) logger.debug({ messageId: row.id, status: found?.status }, 'SMS delivery status polled');
          if (moved && failure) await deps.failover?.after(row, d.mapError(found.errorCode, 400).reason);
          if (found?.status !== 'delivered') await repo.pollLater(row.id, now() - (row.acceptedAt ?? row.createdAt) > GIVE_UP_MS ? null : again);
        } catch (err) {
          logger.warn({ messageId: row.id, err: err instanceof Error ? err.message : String(err) }, 'SMS delivery status lookup failed');
          await repo.pollLater(row.id, again);
        }
      }
      return rows.length;
    },
  };
}
