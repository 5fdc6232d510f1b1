// Counts the outbox's outcomes (accepted, failed, delivered) by provider, country and purpose, around the messages repo.
import type { MessageRow, MessagesRepo } from '../sms/outbox/repo.ts';
import { countryOfMasked } from './country.ts';
import type { Metrics } from './index.ts';

type Outcome = 'smsAccepted' | 'smsFailed' | 'smsDelivered';

export function observeMessages(repo: MessagesRepo, metrics: Pick<Metrics, Outcome>): MessagesRepo {
  type Labels = { provider: string; country: string; purpose: string };
  const labelsOf = (row: { provider: string; toMasked: string; purpose: string }): Labels => ({ provider: row.provider, country: countryOfMasked(row.toMasked), purpose: row.purpose });
  // Labels of the messages this process claimed, until their outcome: counting them reads nothing more.
  const claimed = new Map<string, Labels>();
  const count = async (id: string, which: Outcome) => {
    const known = claimed.get(id);
    claimed.delete(id);
    const labels = known ?? (await repo.find(id).then((row) => row && labelsOf(row)).catch(() => undefined));
    if (labels) metrics[which].inc(labels);
  };
  const remember = (row: MessageRow) => {
    if (claimed.size >= 10_000) claimed.clear();
    claimed.set(row.id, labelsOf(row));
  };
  return {
    ...repo,
    async claim(due, leaseMs) {
      const got = await repo.claim(due, leaseMs);
      if (got) remember(got.row);
      return got;
    },
    async insertClaimed(m, leaseMs) {
      const got = await repo.insertClaimed(m, leaseMs);
      remember(got.row);
      return got;
    },
    async accepted(id, token, r) {
      const moved = await repo.accepted(id, token, r);
      if (moved) await count(id, 'smsAccepted');
      else claimed.delete(id);
      return moved;
    },
    async failed(id, token, r) {
      const moved = await repo.failed(id, token, r);
      if (moved) await count(id, 'smsFailed');
      else claimed.delete(id);
      return moved;
    },
    async advance(id, r) {
      const moved = await repo.advance(id, r);
      if (moved && r.status === 'delivered') await count(id, 'smsDelivered');
      if (moved && (r.status === 'undelivered' || r.status === 'failed')) await count(id, 'smsFailed');
      return moved;
    },
  };
}
