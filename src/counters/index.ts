// Public surface of the counter store: one interface for windowed counts, cooldowns and growing delays; in SQL, or in Redis.
export { counterKey, MAX_KEY_LENGTH } from './keys.ts';
export { createRedisCounters, type RedisCounterStore } from './redis.ts';
export { bucketEnd, createSqlCounters } from './sql.ts';
export { type AddAllOptions, backoffGate, type CounterAdd, type CounterStore, cooldownGate, delayAfter, type Gate, type GateResult, MONTH, type Probe, type Window } from './types.ts';
