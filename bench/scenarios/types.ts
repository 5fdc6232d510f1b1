// What a scenario is: an optional per-worker preparation (not measured) and one complete flow, which throws unless valid.
import type http from 'node:http';
import type { Browser } from '../lib/http.ts';
import type { Target } from '../lib/oidc.ts';
import type { Seed } from '../lib/seed-types.ts';

export interface WorkerContext {
  pool: http.Agent;
  target: Target;
  seed: Seed;
  worker: number;
  workers: number;
  /** A fresh browser (own cookies) coming from its own client address, as a new user would. */
  browser(): Browser;
  /** The code last texted to a number, waiting for it to arrive at the fake Twilio. */
  takeCode(phone: string): Promise<string>;
  /** Forgets codes texted to a number and not read (after a failed flow). */
  dropCodes(phone: string): Promise<void>;
  /** A shared counter across the workers of this process (for pools used once). */
  next(pool: string): number;
}

export interface Scenario<S = unknown> {
  name: string;
  description: string;
  prepare?(ctx: WorkerContext): Promise<S>;
  run(ctx: WorkerContext, state: S): Promise<void>;
}

/** Thrown when a pool used once per flow is exhausted: the worker stops without counting an error. */
export class PoolExhausted extends Error {}
