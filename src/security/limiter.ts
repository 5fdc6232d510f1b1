// Rate limiters from rate-limiter-flexible, stored in the shared database so every instance sees the same counts.
import type { Knex } from 'knex';
import { RateLimiterMySQL, type RateLimiterAbstract, RateLimiterSQLite } from 'rate-limiter-flexible';
import { isMysql } from '../db/knex.ts';

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  /** Window in seconds. */
  duration: number;
  blockDuration?: number;
}

export type LimiterFactory = (opts: LimiterOptions) => RateLimiterAbstract;

export function createLimiterFactory(db: Knex): LimiterFactory {
  const mysql = isMysql(db);
  const dbName = mysql ? (db.client.config.connection as { uri?: string }).uri?.split('/').pop()?.split('?')[0] : undefined;
  return (opts) =>
    mysql
      ? new RateLimiterMySQL({ ...opts, storeClient: db, storeType: 'knex', dbName, tableName: 'rate_limits', tableCreated: true })
      : new RateLimiterSQLite({ ...opts, storeClient: db, storeType: 'knex', tableName: 'rate_limits', tableCreated: true });
}

/** Removes expired counters; run from the periodic maintenance job. */
export async function purgeExpiredLimits(db: Knex, now: number = Date.now()): Promise<number> {
  return db('rate_limits').whereNotNull('expire').where('expire', '<', now).delete();
}
