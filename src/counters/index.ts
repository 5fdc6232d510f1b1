// Public surface of the counter store: one interface for windowed counts, cooldowns and growing delays; SQL for now.
export { counterKey, MAX_KEY_LENGTH } from './keys.ts';
export { createSqlCounters } from './sql.ts';
export { backoffGate, type CounterStore, cooldownGate, delayAfter, type Gate, type GateResult, type Probe, type Window } from './types.ts';
