// Scheduled job: one password_expiry_reminder SMS per user per password period, claimed in the database so instances never double-send.
import { randomUUID } from 'node:crypto';
import type { PasswordRemindersRepo, ReminderCandidate } from '../db/password-reminders.ts';
import type { PoliciesRepo, SmsFactorRepo } from '../db/policies.ts';
import type { UsersRepo } from '../db/users.ts';
import type { Logger } from '../logger.ts';
import { passwordExpiry, reminderWindow } from '../policies/expiry.ts';
import { readUserPhone } from '../policies/phone-field.ts';
import type { Policy } from '../policies/schema.ts';
import type { SmsFactorSettings } from '../policies/sms-factor.ts';
import type { SmsSender } from '../sms/sender.ts';
import { createLoop } from './loop.ts';

/*
 * Claims. Before queuing, a run inserts (user, password_changed_at) into password_reminders; the primary key lets one
 * insert win across instances. The claim is `claimed` until the outbox row exists, then `queued` for good.
 * - Enqueue fails: the claim is deleted, so the next run tries again (a configuration error is retried, and logged, hourly).
 * - The instance dies between claim and `queued`: after `leaseMs` another run takes the claim over. The message carries the
 *   claim's token as its flow id, so the new owner first looks for it and only sends when the dead run had not queued it.
 * Not claimed at all (and so reconsidered every run while the window lasts): users without a usable phone, disabled users,
 * and every user while the SMS factor is unavailable. A phone added inside the window still gets its reminder.
 */

export interface ReminderJobOptions {
  /** Time between runs, in ms (default one hour). */
  intervalMs: number;
  /** Every wait, the first after start included, gets a random extra delay up to this, spreading instances out. */
  jitterMs: number;
  /** A claim not queued within this time is presumed abandoned and may be taken over (default 15 minutes). */
  leaseMs: number;
  /** Users read per query. */
  batchSize: number;
}

export const defaultReminderJobOptions: ReminderJobOptions = { intervalMs: 3_600_000, jitterMs: 300_000, leaseMs: 900_000, batchSize: 200 };

export interface ReminderRunResult {
  /** Reminders written to the outbox by this run. */
  queued: number;
  /** Abandoned claims whose message turned out to be queued already (marked, not sent again). */
  recovered: number;
  /** Users in the window without a usable phone in the mapped field (nothing claimed). */
  noPhone: number;
  /** Periods another run claimed first. */
  claimedElsewhere: number;
  /** Enqueue failures (claim released, retried next run). */
  failed: number;
  /** Why nothing was considered: the SMS factor's unavailability reason. */
  skipped?: string;
}

export interface ReminderJobDeps {
  repo: PasswordRemindersRepo;
  users: Pick<UsersRepo, 'findById'>;
  policies: Pick<PoliciesRepo, 'list'>;
  smsFactor: Pick<SmsFactorRepo, 'get' | 'availability'>;
  sender: Pick<SmsSender, 'enqueue'>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  now: () => number;
  options?: Partial<ReminderJobOptions>;
}

export interface PasswordReminderJob {
  /** One pass over every policy with a maximum age; waits for a pass already running in this instance. */
  runOnce(): Promise<ReminderRunResult>;
  /** Runs every intervalMs (plus jitter) on an unref'd timer; idempotent. */
  start(): void;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

/** The flow id of a reminder message: ties the outbox row to the claim that queued it. */
export const reminderFlowId = (token: string) => `password-reminder:${token}`;

export function createPasswordReminderJob(deps: ReminderJobDeps): PasswordReminderJob {
  const { repo, users, sender, logger, now } = deps;
  const options = { ...defaultReminderJobOptions, ...deps.options };

  async function remind(c: ReminderCandidate, policy: Policy, factor: SmsFactorSettings, at: number, result: ReminderRunResult): Promise<void> {
    const user = await users.findById(c.userId);
    // Changed or disabled since the query: the next run sees the current state.
    if (!user || user.disabled || user.passwordChangedAt !== c.passwordChangedAt) return;
    const expiry = passwordExpiry(user.passwordChangedAt, policy.password, at);
    if (expiry.state !== 'remind' || expiry.expiresAt === null) return;
    const phone = readUserPhone(user, factor.phoneField, factor.defaultCountry);
    if (!phone) {
      result.noPhone++;
      return;
    }

    const key = { userId: user.id, passwordChangedAt: c.passwordChangedAt };
    const token = randomUUID();
    if (c.staleToken) {
      if (!(await repo.takeOver(key, c.staleToken, token, at - options.leaseMs))) {
        result.claimedElsewhere++;
        return;
      }
      const earlier = await repo.messageForFlow(reminderFlowId(c.staleToken));
      if (earlier) {
        await repo.queued(key, token, earlier);
        result.recovered++;
        return;
      }
    } else if (!(await repo.claim(key, token, expiry.expiresAt))) {
      result.claimedElsewhere++;
      return;
    }

    let messageId: string;
    try {
      ({ id: messageId } = await sender.enqueue({
        purpose: 'password_expiry_reminder',
        to: phone,
        accountId: factor.accountId ?? undefined,
        user: { name: user.name, login: user.username ?? user.email, locale: user.locale },
        hints: { userLocale: user.locale },
        flowId: reminderFlowId(token),
      }));
    } catch (err) {
      result.failed++;
      logger.warn({ err, userId: user.id }, 'password expiry reminder could not be queued; it will be retried');
      // If the release fails too, the lease lets a later run take the claim over.
      await repo.release(key, token).catch((e: unknown) => logger.warn({ err: e, userId: user.id }, 'reminder claim not released'));
      return;
    }
    result.queued++;
    if (!(await repo.queued(key, token, messageId))) {
      logger.warn({ userId: user.id, messageId }, 'reminder queued after its claim was taken over or purged');
    }
  }

  async function pass(): Promise<ReminderRunResult> {
    const result: ReminderRunResult = { queued: 0, recovered: 0, noPhone: 0, claimedElsewhere: 0, failed: 0 };
    const availability = await deps.smsFactor.availability();
    if (!availability.available) return { ...result, skipped: availability.reason };
    const factor = await deps.smsFactor.get();
    await repo.purgeSuperseded();
    const at = now();
    for (const policy of await deps.policies.list()) {
      const window = reminderWindow(policy.password, at);
      if (!window) continue;
      for (let afterId = ''; ; ) {
        const batch = await repo.candidates({ policyId: policy.id, isDefault: policy.isDefault, ...window, staleBefore: at - options.leaseMs, afterId, limit: options.batchSize });
        for (const c of batch) {
          await remind(c, policy, factor, at, result).catch((err: unknown) => {
            result.failed++;
            logger.error({ err, userId: c.userId }, 'password expiry reminder failed');
          });
        }
        if (batch.length < options.batchSize) break;
        afterId = batch.at(-1)!.userId;
      }
    }
    if (result.queued || result.failed) logger.info({ ...result }, 'password expiry reminders');
    return result;
  }

  const jitter = () => Math.floor(Math.random() * (options.jitterMs + 1));
  const loop = createLoop({
    run: pass,
    delayMs: () => options.intervalMs + jitter(),
    firstDelayMs: jitter,
    onError: (err) => logger.error({ err }, 'password expiry reminder run failed'),
  });
  const job: PasswordReminderJob = { runOnce: loop.runOnce, start: loop.start, stop: loop.stop };
  return job;
}
