// Outbox worker: sends the messages its process stores (claimed at INSERT) at once, claims due ones atomically, hands
// them to the provider, retries transient failures with backoff.
import { createLoop } from '../../jobs/loop.ts';
import { type OutgoingSms, ProviderError, type SendResult } from '../providers/types.ts';
import type { AttemptOutcome } from './history.ts';
import type { MessageRow, NewMessage } from './repo.ts';
import type { WorkerDeps } from './deps.ts';
import { createPoller } from './poll.ts';

export type { WorkerDeps } from './deps.ts';


export interface OutboxWorker {
  /** Processes every message due now; resolves with how many were attempted. Tests drive the outbox with it. */
  runOnce(): Promise<number>;
  /** Starts the background loop (idempotent). */
  start(): void;
  /** Stops the loop and waits for a run in progress and for the deliveries enqueue() started. */
  stop(): Promise<void>;
  /**
   * Stores a new message and sees that it is sent. A started worker with room stores it already claimed by itself and
   * delivers it in the background (no due scan, no claim); otherwise it is stored pending for a due scan, run soon by a
   * started loop. Resolves with the message id once stored, never waiting for the provider.
   */
  enqueue(m: NewMessage): Promise<string>;
}

export function createOutboxWorker(deps: WorkerDeps): OutboxWorker {
  const { repo, logger, now, options } = deps;

  const backoff = (attempts: number) => Math.min(options.backoffMaxMs, options.backoffBaseMs * 2 ** Math.max(0, attempts - 1));

  async function deliver(row: MessageRow, token: string): Promise<void> {
    const startedAt = now();
    const account = await deps.accounts.load(row.accountId);
    // Each attempt is kept for support: provider, times, HTTP status, the provider's error code and our reason.
    const attempt = (outcome: AttemptOutcome, e?: { httpStatus?: number | null; errorCode: string; reason: string }) =>
      repo
        .recordAttempt({ messageId: row.id, attempt: row.attempts, accountId: account?.id ?? row.accountId, provider: account?.provider ?? row.provider, startedAt, finishedAt: now(), outcome, httpStatus: e?.httpStatus ?? null, errorCode: e?.errorCode ?? null, reason: e?.reason ?? null })
        .catch((err) => logger.warn({ err, messageId: row.id }, 'SMS attempt not recorded'));
    // Final failure; a reason another route may overcome sends the message again through its fallback account.
    const fail = async (r: { httpStatus?: number | null; errorCode: string; reason: string }) => {
      await repo.failed(row.id, token, r);
      await attempt('failed', r);
      await deps.failover?.after(row, r.reason);
    };
    if (!account) return fail({ errorCode: 'account_deleted', reason: 'configuration' });
    if (now() - row.createdAt > options.maxAgeMs) return fail({ errorCode: 'expired', reason: 'expired' });
    const descriptor = deps.providers.registry.find(account.provider);
    if (!descriptor) return fail({ errorCode: 'provider_unavailable', reason: 'configuration' });
    const provider = deps.providers.forAccount(account);
    const keepBody = descriptor.development === true;
    const poll = descriptor.reports && provider.status ? now() + descriptor.reports.pollAfterMs(account.settings) : undefined;
    const keepForFailover = row.fallbackAccountId !== null && row.failoverOf === null;
    const accept = (r: SendResult) => repo.accepted(row.id, token, { ...r, keepBody, pollAt: poll, keepForFailover });

    // The previous attempt may have reached the provider without an answer: look before sending again.
    let unresolved = false;
    try {
      if (!row.toSealed || !row.bodySealed) throw new ProviderError('permanent', 'unknown', 'missing_content', 'message content is no longer stored');
      const to = deps.box.decrypt(row.toSealed);
      const body = deps.box.decrypt(row.bodySealed);
      const variables = row.varsSealed ? (JSON.parse(deps.box.decrypt(row.varsSealed)) as Record<string, string>) : {};
      let providerTemplate: OutgoingSms['providerTemplate'];
      if (descriptor.templateCodes) {
        const named = row.signatureId && row.providerTemplateId ? await deps.resources.forMessage(row.signatureId, row.providerTemplateId) : {};
        if (!named.template) throw new ProviderError('permanent', 'configuration', 'template_deleted', 'the provider template this message was composed with has been deleted');
        if (!named.signature) throw new ProviderError('permanent', 'configuration', 'signature_deleted', 'the signature this message was composed with has been deleted');
        providerTemplate = { signName: named.signature.signName, code: named.template.code, params: deps.resources.fillParams(named.template.params, variables) };
      }
      const msg: OutgoingSms = {
        messageId: row.id,
        to,
        purpose: row.purpose,
        language: row.language,
        variables,
        body,
        statusCallback: deps.statusCallbackUrl(account, row.id),
        providerTemplate,
      };
      if (row.inDoubt && provider.findSent) {
        unresolved = true;
        const found = await provider.findSent({ ...msg, since: row.createdAt });
        unresolved = false;
        if (found) {
          logger.info({ messageId: row.id, providerMessageId: found.providerMessageId }, 'SMS found at the provider after an unanswered attempt; not sent again');
          await accept(found);
          await attempt('found');
          return;
        }
      }
      const result = await provider.send(msg);
      await accept(result);
      await attempt('accepted');
      logger.info({ messageId: row.id, providerMessageId: result.providerMessageId, attempts: row.attempts }, 'SMS handed to provider');
    } catch (err) {
      const e = err instanceof ProviderError ? err : new ProviderError('permanent', 'unknown', 'internal', err instanceof Error ? err.message : String(err));
      if (e.badCredentials) await deps.accounts.markInvalid(account.id, `the provider refused the credentials while sending (${e.code})`);
      const giveUp = e.kind === 'permanent' || row.attempts >= options.maxAttempts;
      logger.warn({ messageId: row.id, code: e.code, reason: e.reason, attempts: row.attempts, giveUp }, `SMS attempt failed: ${e.message}`);
      const outcome = { httpStatus: e.httpStatus, errorCode: e.code, reason: e.reason };
      if (giveUp) return fail(outcome);
      await repo.retryLater(row.id, token, { at: now() + backoff(row.attempts), inDoubt: unresolved || e.kind === 'in_doubt', errorCode: e.code, reason: e.reason });
      await attempt('retry', outcome);
    }
  }

  const poller = createPoller(deps);
  let droppedAt = 0;
  let followedAt = 0;

  async function tick(): Promise<number> {
    const claimed: { row: MessageRow; token: string }[] = [];
    for (const due of await repo.due(options.batchSize)) {
      const c = await repo.claim(due, options.leaseMs);
      if (c) claimed.push(c);
    }
    await Promise.all(
      claimed.map(({ row, token }) => deliver(row, token).catch((err) => logger.error({ err, messageId: row.id }, 'SMS delivery crashed'))),
    );
    await poller.run(options.batchSize);
    if (deps.followups && now() - followedAt >= 10_000) {
      followedAt = now();
      await deps.followups.run(options.batchSize);
    }
    // Once a minute: what was kept for a failover is dropped when the code it carries is stale.
    if (now() - droppedAt >= 60_000) {
      droppedAt = now();
      await repo.dropFailoverData(now() - options.maxAgeMs);
    }
    return claimed.length;
  }

  const loop = createLoop({ run: tick, delayMs: () => options.intervalMs, onError: (err) => logger.error({ err }, 'SMS outbox run failed') });

  // Messages this process stores claimed and delivers itself: at most a batch at a time (counted from before their
  // INSERT, so concurrent sends cannot overshoot), awaited by stop().
  let started = false;
  let inFlight = 0;
  const handedOff = new Set<Promise<void>>();

  async function enqueue(m: NewMessage): Promise<string> {
    // Without a running loop here (tests driving runOnce, a stopped worker) nothing would deliver a claimed row before
    // its lease ran out: the message waits pending for a due scan instead, as it does when a batch is already in flight.
    if (!started || inFlight >= options.batchSize) {
      const id = await repo.insert(m);
      loop.poke();
      return id;
    }
    inFlight++;
    let claimed: { row: MessageRow; token: string };
    try {
      claimed = await repo.insertClaimed(m, options.leaseMs);
    } catch (err) {
      inFlight--;
      throw err;
    }
    const { row, token } = claimed;
    // The caller has the id without waiting for the provider. Should this process die from here on, the lease
    // expires and any instance's due scan takes the message over (its first attempt in doubt).
    const run = deliver(row, token)
      .catch((err) => logger.error({ err, messageId: row.id }, 'SMS delivery crashed'))
      .finally(() => {
        inFlight--;
        handedOff.delete(run);
      });
    handedOff.add(run);
    return row.id;
  }

  return {
    runOnce: loop.runOnce,
    start() {
      started = true;
      loop.start();
    },
    async stop() {
      started = false;
      await loop.stop();
      while (handedOff.size) await Promise.all(handedOff);
    },
    enqueue,
  };
}
