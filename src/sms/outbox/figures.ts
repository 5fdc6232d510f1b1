// The one definition of the SMS figures, for the dashboard and every conversion figure built on them:
// sent = handed to the provider and not failed (`pending` and `failed` messages are not sent);
// delivered = the provider reported delivery; verified = a one-time code was entered right.
import type { Knex } from 'knex';
import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { isMysql } from '../../db/knex.ts';

export const SENT_STATUSES_EXCLUDED = ['pending', 'failed'] as const;
export const sentCase = `CASE WHEN status NOT IN (${SENT_STATUSES_EXCLUDED.map((s) => `'${s}'`).join(', ')}) THEN 1 ELSE 0 END`;

/**
 * Messages sent (by the definition above) to one country's calling code per hour, the last `hours` hours ending with
 * the hour holding `now`, oldest first (countries sharing a calling code, as US and CA, count together).
 */
export async function sentPerHour(db: Knex, country: string, hours: number, now: number): Promise<number[]> {
  const HOUR = 3_600_000;
  const last = Math.floor(now / HOUR);
  const first = last - hours + 1;
  const hourExpr = isMysql(db) ? 'FLOOR(created_at / 3600000)' : 'created_at / 3600000';
  const rows = (await db('sms_messages')
    .where('created_at', '>=', first * HOUR)
    .where('to_masked', 'like', `+${getCountryCallingCode(country as CountryCode)}•%`)
    .select(db.raw(`${hourExpr} as h`))
    .sum({ sent: db.raw(sentCase) })
    .groupBy('h')) as Array<{ h: number | string; sent: number | string | null }>;
  const byHour = new Map(rows.map((r) => [Number(r.h), Number(r.sent ?? 0)]));
  return Array.from({ length: hours }, (_, i) => byHour.get(first + i) ?? 0);
}
