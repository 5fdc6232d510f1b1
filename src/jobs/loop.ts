// One start/stop loop for background jobs: runs never overlap in a process, an unref'd timer, stop waits for a run.

export interface Loop<T> {
  /** Runs now (after a run already in progress in this process); resolves with its result. Tests drive jobs with it. */
  runOnce(): Promise<T>;
  /** Starts the timer (idempotent): the first run after `firstDelayMs()`, then `delayMs()` after each run ends. */
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
  /** On a started loop, runs soon without waiting for the timer (once more after a run in progress); else nothing. */
  poke(): void;
}

export interface LoopOptions<T> {
  run(): Promise<T>;
  /** Wait between the end of one run and the next, ms (called each time, so it may add jitter). */
  delayMs(): number;
  /** Wait before the first run after start (default delayMs()). */
  firstDelayMs?(): number;
  /** A run that threw on the timer (runOnce callers get the error themselves). */
  onError(err: unknown): void;
}

export function createLoop<T>(opts: LoopOptions<T>): Loop<T> {
  let current: Promise<T> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let again = false;

  function schedule(delay: number): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, delay);
    timer.unref();
  }

  function tick(): void {
    timer = undefined;
    loop
      .runOnce()
      .catch((err: unknown) => opts.onError(err))
      .finally(() => {
        if (!started) return;
        if (again) {
          again = false;
          schedule(0);
        } else if (!timer) schedule(opts.delayMs());
      });
  }

  const loop: Loop<T> = {
    async runOnce() {
      while (current) await current.catch(() => undefined);
      current = opts.run();
      try {
        return await current;
      } finally {
        current = null;
      }
    },
    start() {
      if (started) return;
      started = true;
      schedule((opts.firstDelayMs ?? opts.delayMs)());
    },
    async stop() {
      started = false;
      again = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      while (current) await current.catch(() => undefined);
    },
    poke() {
      if (!started) return;
      if (current) again = true;
      else schedule(0);
    },
  };
  return loop;
}
