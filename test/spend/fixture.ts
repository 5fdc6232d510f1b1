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
