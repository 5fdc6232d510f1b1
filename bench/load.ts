// The closed-loop load generator, run as its own process by bench/run.ts. A fixed number of workers each run one
// complete flow after another (optionally paced to a target rate) for a bounded time, then stop by themselves.
// Input: BENCH_LOAD (JSON, see LoadSpec). Reports over the IPC channel: prepared, window-start, window-end, result.
import { setTimeout as sleep } from 'node:timers/promises';
import { Browser, createConnectionPool, HttpError, request, sent } from './lib/http.ts';
import { proxyHeaders, type Target } from './lib/oidc.ts';
import type { Seed } from './lib/seed-types.ts';
import { type LatencySummary, summarize } from './lib/stats.ts';
import { scenarios } from './scenarios/index.ts';
import { PoolExhausted, type WorkerContext } from './scenarios/types.ts';

export interface LoadSpec {
  scenario: string;
  target: Target;
  seed: Seed;
  codesUrl?: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Flows started per second at most (paced); absent: as fast as the workers go. */
  rate?: number;
}

export interface LoadResult {
  scenario: string;
  concurrency: number;
  rate: number | null;
  windowMs: number;
  flows: number;
  errors: number;
  errorKinds: Record<string, number>;
  errorSamples: string[];
  latencyMs: LatencySummary;
  /** HTTP requests to the server under test per counted flow (sent during the window / flows). */
  requestsPerFlow: number;
  /** Flows finished during warm-up (not counted). */
  warmupFlows: number;
  poolExhausted: boolean;
  /** The flow's slowest single step is not measured; this is the time from start (or scheduled start) to valid token. */
  latencyFrom: 'start' | 'scheduled-start';
}

const HARD_STOP_AFTER_MS = 20_000;

function send(message: unknown) {
  process.send?.(message);
}

async function main() {
  const spec = JSON.parse(process.env.BENCH_LOAD ?? '{}') as LoadSpec;
  const scenario = scenarios[spec.scenario];
  if (!scenario) throw new Error(`unknown scenario ${spec.scenario}`);
  const pool = createConnectionPool(spec.concurrency * 2);
  const codesPool = createConnectionPool(spec.concurrency * 2);
  const counters = new Map<string, number>();

  const contexts: WorkerContext[] = Array.from({ length: spec.concurrency }, (_, worker) => {
    let browsers = 0;
    return {
      pool,
      target: spec.target,
      seed: spec.seed,
      worker,
      workers: spec.concurrency,
      browser() {
        browsers += 1;
        const ip = `10.${worker & 255}.${(browsers >> 8) & 255}.${browsers & 255}`;
        const origin = spec.target.issuer === spec.target.local ? undefined : { from: spec.target.issuer, to: spec.target.local };
        return new Browser(pool, proxyHeaders(spec.target, ip), origin);
      },
      async takeCode(phone) {
        const res = await request(codesPool, `${spec.codesUrl}/take?to=${encodeURIComponent(phone)}`, { timeoutMs: 20_000 });
        const code = res.status === 200 ? (JSON.parse(res.body) as { code: string }).code : undefined;
        if (!code) throw new HttpError(`no SMS reached ${phone}`, 'sms:not-received');
        return code;
      },
      async dropCodes(phone) {
        await request(codesPool, `${spec.codesUrl}/drain?to=${encodeURIComponent(phone)}`, { method: 'POST', body: '' }).catch(() => undefined);
      },
      next(pool) {
        const n = counters.get(pool) ?? 0;
        counters.set(pool, n + 1);
        return n;
      },
    };
  });

  // Preparation (e.g. the sign-in that yields a refresh token) is not measured.
  const states = await Promise.all(contexts.map((ctx) => (scenario.prepare ? scenario.prepare(ctx) : Promise.resolve(undefined as never))));
  send({ type: 'prepared' });

  const startAt = performance.now();
  const windowStart = startAt + spec.warmupMs;
  const windowEnd = windowStart + spec.durationMs;
  let windowOpen = false;
  const latencies: number[] = [];
  const errorKinds: Record<string, number> = {};
  const errorSamples: string[] = [];
  let errors = 0;
  let warmupFlows = 0;
  let poolExhausted = false;
  let slot = 0;
  const interval = spec.rate ? 1000 / spec.rate : 0;

  let requestsAtStart = 0;
  let requestsAtEnd = 0;
  const windowTimer = setTimeout(() => {
    windowOpen = true;
    requestsAtStart = sent.requests;
    send({ type: 'window-start' });
  }, spec.warmupMs);
  const closeWindow = () => {
    windowOpen = false;
    requestsAtEnd = sent.requests;
    send({ type: 'window-end' });
  };
  const endTimer = setTimeout(closeWindow, spec.warmupMs + spec.durationMs);

  async function loop(i: number) {
    const ctx = contexts[i]!;
    const state = states[i];
    while (performance.now() < windowEnd && !poolExhausted) {
      let started = performance.now();
      if (interval) {
        const scheduled = startAt + slot++ * interval;
        if (scheduled >= windowEnd) return;
        if (scheduled > started) await sleep(scheduled - started);
        started = scheduled; // a late start counts against the latency (no coordinated omission)
      }
      try {
        await scenario!.run(ctx, state as never);
        const finished = performance.now();
        if (windowOpen && finished <= windowEnd) latencies.push(finished - started);
        else if (finished < windowStart) warmupFlows += 1;
      } catch (err) {
        if (err instanceof PoolExhausted) {
          poolExhausted = true;
          return;
        }
        if (!windowOpen) continue;
        errors += 1;
        const kind = err instanceof HttpError ? err.kind : ((err as NodeJS.ErrnoException).code ?? (err as Error).name ?? 'error');
        errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
        if (errorSamples.length < 5) errorSamples.push(String((err as Error).message ?? err).slice(0, 300));
      }
    }
  }

  const hardStop = sleep(spec.warmupMs + spec.durationMs + HARD_STOP_AFTER_MS, 'hard-stop', { ref: false });
  const finished = await Promise.race([Promise.all(contexts.map((_, i) => loop(i))), hardStop]);
  clearTimeout(windowTimer);
  clearTimeout(endTimer);
  if (windowOpen) closeWindow(); // every worker stopped early (pool exhausted)

  const result: LoadResult = {
    scenario: spec.scenario,
    concurrency: spec.concurrency,
    rate: spec.rate ?? null,
    windowMs: spec.durationMs,
    flows: latencies.length,
    errors,
    errorKinds,
    errorSamples: finished === 'hard-stop' ? [...errorSamples, 'some flows were still running at the hard stop'] : errorSamples,
    latencyMs: summarize(latencies),
    requestsPerFlow: Math.round(((requestsAtEnd - requestsAtStart) / Math.max(1, latencies.length)) * 100) / 100,
    warmupFlows,
    poolExhausted,
    latencyFrom: interval ? 'scheduled-start' : 'start',
  };
  send({ type: 'result', result });
  pool.destroy();
  codesPool.destroy();
  process.disconnect?.();
}

main().catch((err) => {
  send({ type: 'failed', message: String(err?.stack ?? err) });
  process.exitCode = 1;
  process.disconnect?.();
});
