// Periodic cleanup of expired rows (tokens, codes, counters); every instance may run it, each task is an idempotent delete.
import type { Logger } from '../logger.ts';

/** One cleanup step, e.g. "delete expired provider rows"; returns how many rows it removed. */
export type MaintenanceTask = () => Promise<unknown>;

export interface MaintenanceJob {
  /** Runs every task once, now (a failing task is logged and does not stop the others). */
  runOnce(): Promise<void>;
  start(): void;
  stop(): void;
}

export interface MaintenanceDeps {
  tasks: MaintenanceTask[];
  logger: Logger;
  /** Interval between runs in ms; 0 never starts the timer. */
  intervalMs: number;
}

export function createMaintenanceJob({ tasks, logger, intervalMs }: MaintenanceDeps): MaintenanceJob {
  let timer: NodeJS.Timeout | undefined;
  const runOnce = async () => {
    const results = await Promise.allSettled(tasks.map((task) => task()));
    for (const r of results) if (r.status === 'rejected') logger.warn({ err: r.reason }, 'cleanup failed');
  };
  return {
    runOnce,
    start() {
      if (timer || !intervalMs) return;
      timer = setInterval(() => void runOnce(), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
