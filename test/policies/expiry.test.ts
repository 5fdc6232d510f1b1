// Password expiry and reminder dates: exact days from the change, the reminder window, and the job's query bounds.
import { expect } from 'chai';
import { DAY_MS, passwordExpiresAt, passwordExpiry, passwordReminderAt, reminderWindow } from '../../src/policies/index.ts';

const changedAt = Date.UTC(2026, 0, 1);
const ninety = { maxAgeDays: 90, reminderDays: 7 };

describe('policies: password expiry', () => {
  it('never expires without a maximum age, or without a password', () => {
    expect(passwordExpiresAt(changedAt, { maxAgeDays: null, reminderDays: 7 })).to.equal(null);
    expect(passwordExpiresAt(null, ninety)).to.equal(null);
    expect(passwordExpiry(changedAt, { maxAgeDays: null, reminderDays: 7 }, changedAt + 1000 * DAY_MS)).to.deep.equal({
      expiresAt: null,
      remindAt: null,
      state: 'never',
      daysLeft: null,
    });
  });

  it('expires maxAgeDays after the change and reminds reminderDays before', () => {
    expect(passwordExpiresAt(changedAt, ninety)).to.equal(Date.UTC(2026, 3, 1)); // 1 Jan + 90 days = 1 Apr
    expect(passwordReminderAt(changedAt, ninety)).to.equal(Date.UTC(2026, 2, 25));
    expect(passwordReminderAt(changedAt, { maxAgeDays: 90, reminderDays: null })).to.equal(null);
  });

  it('moves from fresh to remind to expired at the exact instants', () => {
    const remindAt = passwordReminderAt(changedAt, ninety)!;
    const expiresAt = passwordExpiresAt(changedAt, ninety)!;
    expect(passwordExpiry(changedAt, ninety, remindAt - 1)).to.include({ state: 'fresh', daysLeft: 8 });
    expect(passwordExpiry(changedAt, ninety, remindAt)).to.include({ state: 'remind', daysLeft: 7 });
    expect(passwordExpiry(changedAt, ninety, expiresAt - 1)).to.include({ state: 'remind', daysLeft: 1 });
    expect(passwordExpiry(changedAt, ninety, expiresAt)).to.include({ state: 'expired', daysLeft: 0 });
    expect(passwordExpiry(changedAt, ninety, expiresAt + 40 * DAY_MS)).to.include({ state: 'expired', daysLeft: 0 });
  });

  it('gives the reminder job bounds that select exactly the passwords in their reminder window', () => {
    const now = Date.UTC(2026, 5, 15, 12);
    const w = reminderWindow(ninety, now)!;
    const inWindow = (t: number) => t > w.notBefore && t <= w.remindUpTo;
    for (const t of [w.notBefore, w.notBefore + 1, w.remindUpTo, w.remindUpTo + 1, now - 30 * DAY_MS, now - 85 * DAY_MS]) {
      expect(inWindow(t), new Date(t).toISOString()).to.equal(passwordExpiry(t, ninety, now).state === 'remind');
    }
    expect(reminderWindow({ maxAgeDays: 90, reminderDays: null }, now)).to.equal(null);
    expect(reminderWindow({ maxAgeDays: null, reminderDays: 7 }, now)).to.equal(null);
  });
});
