// Counts the outbox's outcomes (accepted, failed, delivered) by provider, country and purpose, around the messages repo.
import type { MessagesRepo } from '../sms/outbox/repo.ts';
import { countryOfMasked } from './country.ts';
import type { Metrics } from './index.ts';

type Outcome = 'smsAccepted' | 'smsFailed' | 'smsDelivered';

export function observeMessages(repo: MessagesRepo, metrics: Pick<Metrics, Outcome>): MessagesRepo {
  const count = async (id: string, which: Outcome) => {
    const row = await repo.find(id).catch(() => undefined);
    if (row) metrics[which].inc({ provider: row.provider, country: countryOfMasked(row.toMasked), purpose: row.purpose });
  };
  return {
    ...repo,
    async accepted(id, token, r) {
      const moved = await repo.accepted(id, token, r);
      if (moved) await count(id, 'smsAccepted');
      return moved;
    },
    async failed(id, token, r) {
      const before = await repo.find(id).catch(() => undefined);
      await repo.failed(id, token, r);
      const after = await repo.find(id).catch(() => undefined);
      if (before?.status === 'pending' && after?.status === 'failed') await count(id, 'smsFailed');
    },
    async advance(id, r) {
      const moved = await repo.advance(id, r);
      if (moved && r.status === 'delivered') await count(id, 'smsDelivered');
      if (moved && (r.status === 'undelivered' || r.status === 'failed')) await count(id, 'smsFailed');
      return moved;
    },
  };
}
