// The counter store in Redis (optional, REDIS_URL): the same windows and gates as the SQL store, each operation one
// Lua script, atomic across instances. It fails closed: while Redis is unreachable every operation rejects at once
// with a 503 `temporarily_unavailable`, so nothing limited (an SMS, a password check) goes ahead uncounted.
import { createRequire } from 'node:module';
import type { RedisOptions } from 'ioredis';
import { AppError } from '../errors.ts';
import { counterKey } from './keys.ts';
import { bucketEnd, bucketOf } from './sql.ts';
import type { CounterStore, Gate, GateResult, Probe, Window } from './types.ts';

/**
 * Kept this long past the end a key needs to live: Redis expires on its own clock, the windows follow the injected
 * one (and instances' clocks differ a little). A key kept longer changes nothing: its bucket is no longer read, and a
 * gate past its delay and its forget time acts as a fresh one.
 */
const GRACE_MS = 60_000;

/** Delay in ms after pass number x: none for the first `free` passes, then the steps, the last one repeating. */
const DELAY_LUA = `
local function delay(x, free, steps)
  local i = math.min(math.max(x - free, 0), #steps)
  if i == 0 then return 0 end
  return steps[i]
end
local function stepsFrom(first)
  local steps = {}
  for i = first, #ARGV do steps[#steps + 1] = tonumber(ARGV[i]) end
  return steps
end
`;

const SCRIPTS = {
  /** KEYS[1] window key; ARGV by, ttl ms. Returns the count after the add. */
  counterAdd: {
    numberOfKeys: 1,
    lua: `
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return n`,
  },
  /**
   * KEYS: window keys, then gate keys to forget; ARGV[1] how many window keys, then by and ttl ms for each in turn.
   * Returns the count of each window key after its add.
   */
  counterAddAll: {
    lua: `
local windows = tonumber(ARGV[1])
local out = {}
for i = 1, windows do
  out[i] = redis.call('INCRBY', KEYS[i], ARGV[2 * i])
  redis.call('PEXPIRE', KEYS[i], ARGV[2 * i + 1])
end
for i = windows + 1, #KEYS do redis.call('DEL', KEYS[i]) end
return out`,
  },
  /** KEYS[1] gate key; ARGV now, forget ms, free, grace ms, steps ms…. Returns 0 (passed) or the time the gate opens. */
  counterPass: {
    numberOfKeys: 1,
    lua: `${DELAY_LUA}
local now, forget, free, grace = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local h = redis.call('HMGET', KEYS[1], 'n', 'at', 'until')
local n, at, opens = tonumber(h[1]), tonumber(h[2]), tonumber(h[3])
if n and opens and opens > now then return opens end
if n == nil or at == nil or at < now - forget then n = 1 else n = n + 1 end
local d = delay(n, free, stepsFrom(5))
redis.call('HSET', KEYS[1], 'n', n, 'at', now, 'until', now + d)
redis.call('PEXPIRE', KEYS[1], math.max(d, forget) + grace)
return 0`,
  },
  /** KEYS[1] gate key; ARGV free, steps ms…. Takes back one pass; the gate's expiry stays. */
  counterRefund: {
    numberOfKeys: 1,
    lua: `${DELAY_LUA}
local h = redis.call('HMGET', KEYS[1], 'n', 'at')
local n, at = tonumber(h[1]), tonumber(h[2])
if n == nil or at == nil then return 0 end
n = math.max(n - 1, 0)
redis.call('HSET', KEYS[1], 'n', n, 'until', at + delay(n, tonumber(ARGV[1]), stepsFrom(2)))
return 1`,
  },
  /** KEYS: window and gate keys; ARGV[i] 'w' or 'g' for KEYS[i]. Returns each window's count, each gate's opening time. */
  counterPeek: {
    lua: `
local out = {}
for i, key in ipairs(KEYS) do
  if ARGV[i] == 'g' then out[i] = redis.call('HGET', key, 'until') else out[i] = redis.call('GET', key) end
end
return out`,
  },
} as const;

interface Scripts {
  counterAdd(key: string, by: number, ttlMs: number): Promise<number>;
  counterAddAll(numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<number[]>;
  counterPass(key: string, ...args: number[]): Promise<number>;
  counterRefund(key: string, ...args: number[]): Promise<number>;
  counterPeek(numberOfKeys: number, ...keysAndKinds: string[]): Promise<Array<string | null>>;
}

/** A whole number for the scripts (gate settings are ours, never user input, but stay numbers all the same). */
const int = (v: number): number => {
  if (!Number.isFinite(v)) throw new TypeError(`not a finite number: ${v}`);
  return Math.round(v);
};

/** Redis's own answers that mean "not now" rather than "wrong command". */
const BUSY_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|CLUSTERDOWN|TRYAGAIN)\b/;

/** Whether an error from ioredis means Redis could not be reached or could not answer (not a script fault). */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'ReplyError') return BUSY_REPLY.test(err.message);
  return true;
}

/** What a request answers while Redis is unreachable: 503, shown as "please try again" (as for the database). */
export const countersUnavailable = (): AppError =>
  new AppError('temporarily_unavailable', 503, { expose: true, message: 'the counter store is briefly unavailable, try again' });

export interface RedisCountersOptions {
  url: string;
  /** Put before every key, so several installations (or tests) can share one Redis. */
  keyPrefix: string;
  now?: () => number;
  /** A command that gets no answer within this many ms fails (default 1000). */
  commandTimeoutMs?: number;
  /** Told once each time Redis becomes unreachable, and again when it is back. */
  onStateChange?: (reachable: boolean, err?: Error) => void;
}

export interface RedisCounterStore extends CounterStore {
  /** Waits until the connection is ready, at most `timeoutMs`; false if it is not. */
  ready(timeoutMs: number): Promise<boolean>;
  /** Whether Redis answers a PING right now (for /readyz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export function createRedisCounters(opts: RedisCountersOptions): RedisCounterStore {
  const now = opts.now ?? Date.now;
  const timeout = opts.commandTimeoutMs ?? 1000;
  const options: RedisOptions = {
    // Fail closed and fast: no queue while disconnected, no retry of a command, none resent after a reconnect
    // (a resent add or pass could count twice). Reconnects keep trying in the background.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: timeout,
    connectTimeout: Math.max(timeout, 2000),
    retryStrategy: (times) => Math.min(50 * times, 1000),
    lazyConnect: false,
  };
  // ioredis is loaded only when REDIS_URL is set.
  const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  const client = new Redis(opts.url, options);
  for (const [name, s] of Object.entries(SCRIPTS)) client.defineCommand(name, { lua: s.lua, ...('numberOfKeys' in s ? { numberOfKeys: s.numberOfKeys } : {}) });
  const scripts = client as unknown as Scripts;

  let reachable = true;
  client.on('error', (err: Error) => {
    if (!reachable) return;
    reachable = false;
    opts.onStateChange?.(false, err);
  });
  client.on('ready', () => {
    if (reachable) return;
    reachable = true;
    opts.onStateChange?.(true);
  });

  const guard = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (err) {
      throw isRedisUnavailable(err) ? countersUnavailable() : err;
    }
  };

  const windowKey = (key: string, w: Window, t: number) => `${opts.keyPrefix}c:${counterKey(key, ...bucketOf(w, t))}`;
  const gateKey = (key: string) => `${opts.keyPrefix}g:${counterKey(key)}`;
  const delays = (gate: Gate) => gate.steps.map((s) => int(s * 1000));

  const ttlOf = (window: Window, t: number) => Math.max(GRACE_MS, bucketEnd(window, t) + int((window.keepSeconds ?? 0) * 1000) - t + GRACE_MS);

  return {
    async add(key, window, by = 1) {
      if (by === 0) throw new TypeError('add() needs a non-zero amount');
      const t = now();
      return Number(await guard(scripts.counterAdd(windowKey(key, window, t), int(by), ttlOf(window, t))));
    },

    async addAll(items, opts = {}) {
      const resets = [...new Set((opts.reset ?? []).map(gateKey))];
      if (items.length === 0 && resets.length === 0) return [];
      const t = now();
      const keys = items.map((i) => windowKey(i.key, i.window, t));
      const args = items.flatMap((i) => [int(i.by ?? 1), ttlOf(i.window, t)]);
      const counts = await guard(scripts.counterAddAll(keys.length + resets.length, ...keys, ...resets, keys.length, ...args));
      // A key given twice is counted by each add in turn; every caller sees the count after all of them.
      const last = new Map(keys.map((k, i) => [k, Number(counts[i])]));
      return keys.map((k) => last.get(k) as number);
    },

    async pass(key, gate): Promise<GateResult> {
      const t = now();
      const opens = Number(await guard(scripts.counterPass(gateKey(key), t, int(gate.forgetSeconds * 1000), int(gate.free), GRACE_MS, ...delays(gate))));
      return opens === 0 ? { passed: true } : { passed: false, waitSeconds: Math.max(1, Math.ceil((opens - t) / 1000)) };
    },

    async peek(probes: readonly Probe[]) {
      if (probes.length === 0) return [];
      const t = now();
      const keys = probes.map((p) => ('window' in p ? windowKey(p.key, p.window, p.at ?? t) : gateKey(p.key)));
      const kinds = probes.map((p) => ('window' in p ? 'w' : 'g'));
      const values = await guard(scripts.counterPeek(keys.length, ...keys, ...kinds));
      return probes.map((p, i) => {
        const v = values[i];
        if (v === null || v === undefined) return 0;
        if ('window' in p) return Number(v);
        const ms = Number(v) - t;
        return ms > 0 ? Math.ceil(ms / 1000) : 0;
      });
    },

    async refund(key, gate) {
      await guard(scripts.counterRefund(gateKey(key), int(gate.free), ...delays(gate)));
    },

    async reset(key) {
      await guard(client.del(gateKey(key)));
    },

    windowLeft(window) {
      const t = now();
      return Math.max(1, Math.ceil((bucketEnd(window, t) - t) / 1000));
    },

    // Redis expires every key itself.
    purgeExpired: async () => 0,

    ready(timeoutMs) {
      if (client.status === 'ready') return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (ok: boolean) => {
          clearTimeout(timer);
          client.off('ready', onReady);
          resolve(ok);
        };
        const onReady = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        client.on('ready', onReady);
      });
    },

    async ping() {
      try {
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      }
    },

    async close() {
      if (client.status === 'ready') await client.quit().catch(() => undefined);
      client.disconnect();
    },
  };
}
