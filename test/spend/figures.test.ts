// One definition of "sent": the dashboard's days and the spend page's hours count a message once the provider has it
// and not when it is still pending or failed; both read the same message log.
import { expect } from 'chai';
import { createDashboard } from '../../src/admin/console/dashboard.ts';
import { createCodeStats } from '../../src/codes/index.ts';
import { maskPhone } from '../../src/phone.ts';
import { sentPerHour } from '../../src/sms/outbox/figures.ts';
import { createMessagesRepo } from '../../src/sms/outbox/repo.ts';
import { type CodesFixture, codesFixture } from '../codes/fixture.ts';

describe('SMS figures: one definition of sent', () => {
  let fx: CodesFixture;
  const now = Date.UTC(2026, 11, 3, 10, 30);

  before(async () => {
    fx = await codesFixture();
    const repo = createMessagesRepo(fx.db, () => now);
    const add = async (to: string, status: string) => {
      const id = await repo.insert({
        accountId: 'acc',
        provider: 'twilio',
        purpose: 'login',
        toMasked: maskPhone(to),
        toHash: `h-${to}-${status}`,
        toSealed: 'x',
        bodySealed: 'x',
        varsSealed: 'x',
        language: 'en',
        encoding: 'GSM-7',
        characters: 30,
        segments: 1,
        flowId: null,
      });
      await fx.db('sms_messages').where({ id }).update({ status });
    };
    await add('+61491570156', 'pending');
    await add('+61491570157', 'failed');
    await add('+61491570158', 'delivered');
    await add('+61491570159', 'queued');
    await add('+12015550123', 'sent');
  });
  after(() => fx.close());

  it('counts the same messages as sent on the dashboard and on the spend page', async () => {
    const au = await sentPerHour(fx.db, 'AU', 24, now);
    expect(au).to.have.length(24);
    expect(au.at(-1), 'delivered and queued to +61; not pending, not failed').to.equal(2);
    expect(au.slice(0, -1).every((n) => n === 0)).to.equal(true);
    expect((await sentPerHour(fx.db, 'US', 24, now)).at(-1)).to.equal(1);
    const dashboard = await createDashboard(fx.db, createCodeStats(fx.db), () => now)();
    const today = dashboard.days.at(-1)!;
    expect(today.sent, 'the dashboard: the same three').to.equal(3);
    expect(today.delivered).to.equal(1);
  });
});
