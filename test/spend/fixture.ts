// The spend layer on a test database with a movable clock, an audit log and a local alert receiver.
import { pino } from 'pino';
import { createSqlCounters } from '../../src/counters/index.ts';
import { createAuditRepo } from '../../src/db/audit.ts';
import { createEgress } from '../../src/sms/providers/egress.ts';
import { createSpend, type Spend } from '../../src/sms/spend/index.ts';
import { type Clock, type CodesFixture, codesFixture, createClock } from '../codes/fixture.ts';
import { type Received, startReceiver } from './receiver.ts';

export interface SpendFixture {
  fx: CodesFixture;
  clock: Clock;
  spend: Spend;
  audit: ReturnType<typeof createAuditRepo>;
  alerts: Received[];
  alertUrl: string;
  /** Another instance on the same database. */
  other(): Spend;
  close(): Promise<void>;
}

export async function spendFixture(start?: number): Promise<SpendFixture> {
  const fx = await codesFixture();
  const clock = createClock(start);
  const receiver = await startReceiver();
  const audit = createAuditRepo(fx.db, clock.now);
  const make = (db = fx.db) =>
    createSpend({ db, box: fx.box, counters: createSqlCounters(db, clock.now), egress: createEgress(['127.0.0.1']), logger: pino({ level: 'silent' }), audit, now: clock.now });
  const spend = make();
  return {
    fx,
    clock,
    spend,
    audit,
    alerts: receiver.received,
    alertUrl: receiver.url,
    other: () => make(fx.second()),
    async close() {
      await spend.alerts.idle();
      await receiver.close();
      await fx.close();
    },
  };
}

/** The limits both pumping simulations run under: 100 messages of budget, 60 an hour to GB, prefixes judged after 20 sends. */
export const pumpingSettings = (alertUrl: string) => ({
  alertUrl,
  alertSecret: 'pumping-alert-secret-0123456789',
  defaultPrice: 0.05,
  dailyBudget: 5, // 100 messages
  countryCaps: [{ country: 'GB', hourly: 60, daily: 60 }],
  conversion: { windowSeconds: 3600, minSendsPrefix: 20, minSendsIp: 20, minSendsCountry: 200, threshold: 0.2 },
});
