// The counter store's contract: windowed counts, and gates (cooldowns, growing delays) that count a pass before it is read.

/**
 * A fixed window: counts start again at each multiple of `seconds` on the injected clock; with `calendar: 'month'`
 * at the start of each UTC calendar month instead (`seconds` is then only the longest a month lasts).
 */
export interface Window {
  seconds: number;
  calendar?: 'month';
  /** Keep a window's count this long after it ends (charts and sliding estimates read past windows); default 0. */
  keepSeconds?: number;
}

/** The UTC calendar month as a window (budgets per month). */
export const MONTH: Readonly<Window> = Object.freeze({ seconds: 31 * 86_400, calendar: 'month' as const });

/**
 * A gate lets a caller pass, then stays closed for a delay that depends on how many passes came before: a cooldown
 * (always the same delay) or a growing delay after failures (none for the first `free` passes, then `steps`, the
 * last one repeating). The count starts again after `forgetSeconds` without a pass; `reset` clears it (e.g. a success).
 */
export interface Gate {
  free: number;
  /** Delays in seconds after pass number free+1, free+2, …; the last repeats. */
  steps: readonly number[];
  forgetSeconds: number;
}

export type GateResult = { passed: true } | { passed: false; waitSeconds: number };

export interface CounterAdd {
  key: string;
  window: Window;
  by?: number;
}

/** `at`: read the window holding that time instead of the current one (a past window still kept). */
export type Probe = { key: string; window: Window; at?: number } | { key: string; gate: true };

export interface AddAllOptions {
  /** Gates to forget (as `reset` does) in the same statement or round trip, e.g. wrong codes once a code verified. */
  reset?: readonly string[];
}

export interface CounterStore {
  /** Adds `by` (default 1) to the count of `key` in the current window, atomically; returns the count after it. */
  add(key: string, window: Window, by?: number): Promise<number>;
  /**
   * Adds to several counters at once (`by` default 1; 0 reads the count, e.g. a free message against a budget), atomically per counter, in one statement or one round
   * trip; returns each count after the adds, in the order given (a key given twice counts both adds).
   */
  addAll(items: readonly CounterAdd[], opts?: AddAllOptions): Promise<number[]>;
  /** Passes the gate if it is open (counting the pass and closing it for the next delay), in one atomic step. */
  pass(key: string, gate: Gate): Promise<GateResult>;
  /** Reads several counters at once, changing nothing: a window probe gives its count, a gate probe its wait in seconds. */
  peek(probes: readonly Probe[]): Promise<number[]>;
  /** Takes back one pass (e.g. a success that should not count), reopening the gate as far as the count allows. */
  refund(key: string, gate: Gate): Promise<void>;
  /** Forgets a gate's count and opens it. */
  reset(key: string): Promise<void>;
  /** Seconds until the current window of this length ends (what a caller refused by a full window must wait). */
  windowLeft(window: Window): number;
  /** Deletes counters that can no longer matter; for the periodic maintenance job. */
  purgeExpired(): Promise<number>;
}

/** A cooldown: one pass, then closed for `seconds`. */
export const cooldownGate = (seconds: number): Gate => ({ free: 0, steps: [seconds], forgetSeconds: Math.max(1, seconds) });

/** Delay after `failures` failures with `free` allowed: first, 2×first, 4×first … up to the maximum. */
export function delayAfter(failures: number, free: number, max: number, first = 1): number {
  if (failures <= free) return 0;
  return Math.min(max, first * 2 ** Math.min(30, failures - free - 1));
}

/** Growing delays: `free` passes without delay, then first, 2×first, 4×first … up to `max` seconds. */
export function backoffGate(s: { free: number; firstSeconds?: number; maxSeconds: number; forgetSeconds: number }): Gate {
  const steps: number[] = [];
  for (let n = s.free + 1; steps.at(-1) !== s.maxSeconds && steps.length < 40; n++) steps.push(delayAfter(n, s.free, s.maxSeconds, s.firstSeconds ?? 1));
  return { free: s.free, steps, forgetSeconds: s.forgetSeconds };
}
