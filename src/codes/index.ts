// Public surface of the one-time-code engine, for the composition root and the flows.
export { type CodeEngine, type CodeEngineDeps, createCodeEngine } from './engine.ts';
export { defaultFailureSettings, type FailureSettings } from './failures.ts';
export { guessingProblem, MAX_GUESS_CHANCE, maxAttemptsFor } from './guessing.ts';
export * from './types.ts';
export { type CodeStats, createCodeStats, utcDay } from './stats.ts';
export { codeStillUnused } from './unused.ts';
