// Message statuses and their order, so a late or repeated report never moves a message backwards.

/** `pending` is ours (waiting in the outbox); the rest are Twilio's vocabulary, which the other providers reuse. */
export const STATUS_RANK: Readonly<Record<string, number>> = {
  pending: 0,
  accepted: 1,
  scheduled: 1,
  queued: 2,
  sending: 3,
  sent: 4,
  delivered: 5,
  undelivered: 5,
  failed: 5,
  canceled: 5,
};

export const FINAL_RANK = 5;

export type MessageStatus = keyof typeof STATUS_RANK;

export const isKnownStatus = (s: string): s is MessageStatus => Object.hasOwn(STATUS_RANK, s);

export const rankOf = (s: string): number => STATUS_RANK[s] ?? -1;
