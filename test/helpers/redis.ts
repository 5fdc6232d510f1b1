// Redis for the tests: the local server (TEST_REDIS_URL, default 127.0.0.1:6379), a fresh key prefix per use, and
// clearing a prefix afterwards. Outside CI a suite that needs Redis skips when none answers; in CI it fails.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A prefix no other test uses. */
export const freshPrefix = (): string => `cwtest:${randomBytes(6).toString('hex')}:`;

/** Whether Redis answers at `url`. */
export async function redisAnswers(url = TEST_REDIS_URL): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** For a `before` hook: skips the suite when Redis is not running here (fails instead in CI, where it must run). */
export async function requireRedis(ctx: Mocha.Context, url = TEST_REDIS_URL): Promise<void> {
  if (await redisAnswers(url)) return;
  if (process.env.CI) throw new Error(`Redis does not answer at ${url}`);
  ctx.skip();
}

/** Deletes every key under `prefix`. */
export async function dropPrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis gone: nothing to clear.
  } finally {
    client.disconnect();
  }
}

/** The Redis key's remaining time to live in ms (-2: no such key). */
export async function ttlOf(key: string, url = TEST_REDIS_URL): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 0 });
  try {
    return await client.pttl(key);
  } finally {
    client.disconnect();
  }
}

/**
 * The test Redis behind a TCP proxy a test can cut, under a fresh key prefix: `env` points a server at it;
 * `close` stops the proxy and deletes the prefix's keys.
 */
export async function cuttableRedis(): Promise<{ proxy: TcpProxy; env: Record<string, string>; close(): Promise<void> }> {
  const url = new URL(TEST_REDIS_URL);
  const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 6379) });
  const prefix = freshPrefix();
  return {
    proxy,
    env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_KEY_PREFIX: prefix },
    async close() {
      await proxy.close();
      await dropPrefix(prefix);
    },
  };
}

/** Polls `f` every 50 ms until it holds, at most 5 s (for a state reached on the wall clock, e.g. /readyz after a cut). */
export async function until(f: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await f()); i++) await new Promise((r) => setTimeout(r, 50));
}
