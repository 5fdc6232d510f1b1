// The reminder job's timer: runs on its interval once started, never after stop, and one pass at a time per instance.
import { expect } from 'chai';
import type { PasswordRemindersRepo } from '../../src/db/password-reminders.ts';
import { createPasswordReminderJob } from '../../src/jobs/password-reminders.ts';
import type { SmsAvailability } from '../../src/policies/sms-factor.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A job whose passes only ask whether SMS is available (it is not), counting them and how many overlap. */
function countingJob(options: { intervalMs: number; jitterMs: number }, passMs = 0) {
  const seen = { passes: 0, active: 0, maxActive: 0 };
  const job = createPasswordReminderJob({
    repo: {} as PasswordRemindersRepo,
    users: { findById: async () => undefined },
    policies: { list: async () => [] },
    smsFactor: {
      get: () => Promise.reject(new Error('not reached')),
      async availability(): Promise<SmsAvailability> {
        seen.passes++;
        seen.maxActive = Math.max(seen.maxActive, ++seen.active);
        await sleep(passMs);
        seen.active--;
        return { available: false, reason: 'sms_factor_inactive' };
      },
    },
    sender: { enqueue: () => Promise.reject(new Error('not reached')) },
    logger: { info() {}, warn() {}, error() {} },
    now: Date.now,
    options,
  });
  return { job, seen };
}

describe('password expiry reminders: schedule', () => {
  it('runs soon after start, then every interval, and stops for good', async () => {
    const { job, seen } = countingJob({ intervalMs: 20, jitterMs: 0 });
    job.start();
    job.start(); // idempotent
    await sleep(110);
    await job.stop();
    const runs = seen.passes;
    expect(runs).to.be.within(2, 7);
    await sleep(60);
    expect(seen.passes).to.equal(runs);
  });

  it('never overlaps passes in one instance: runOnce waits for the pass in progress', async () => {
    const { job, seen } = countingJob({ intervalMs: 3_600_000, jitterMs: 0 }, 20);
    const results = await Promise.all([job.runOnce(), job.runOnce(), job.runOnce()]);
    expect(results.map((r) => r.skipped)).to.deep.equal(['sms_factor_inactive', 'sms_factor_inactive', 'sms_factor_inactive']);
    expect(seen).to.include({ passes: 3, maxActive: 1 });
  });
});
