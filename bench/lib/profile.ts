// Summarizes a V8 .cpuprofile (from --cpu-prof): where the time went, by package or source folder and by function,
// optionally only within a time window (one scenario's measurement). Samples are wall-clock: "(idle)" is time the main
// thread waited, and a native call such as writeBuffer also counts time the thread was descheduled inside it.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Monotonic microseconds (the clock V8 stamps profiles with, shared by every process). */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** Where a script belongs: an npm package, a file of this project, node internals, or V8 itself. */
export function ownerOf(url: string): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('node:')) return 'node:internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const local = /\/((?:src|bench|test|migrations)\/.*)$/.exec(url);
  return local ? local[1]! : url;
}

const IDLE = new Set(['(idle)', '(program)']);

export function summarizeProfile(file: string, top = 25, window?: { startUs: number; endUs: number }): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (window && (t < window.startUs || t > window.endUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });

  let idle = 0;
  let busy = 0;
  const byFunction = new Map<string, number>();
  const selfByOwner = new Map<string, number>();
  const inclusiveByOwner = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (IDLE.has(frame.functionName)) {
      idle += us;
      continue;
    }
    busy += us;
    const owner = ownerOf(frame.url) ?? `(native) ${frame.functionName}`;
    const short = frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/((?:src|bench|test)\/)/, '$1');
    const key = `${frame.functionName || '(anonymous)'}  ${short}${short ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    selfByOwner.set(owner, (selfByOwner.get(owner) ?? 0) + us);
    // Inclusive: every package or project file on the stack, once per sample (not the benchmark's counting wrapper).
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const o = ownerOf(byId.get(x)!.callFrame.url);
      if (o && o !== 'bench/instrument.ts' && !seen.has(o)) {
        seen.add(o);
        inclusiveByOwner.set(o, (inclusiveByOwner.get(o) ?? 0) + us);
      }
    }
  }
  const pct = (us: number) => `${((us / (busy || 1)) * 100).toFixed(1).padStart(5)}%`;
  const rows = (m: Map<string, number>, n = top) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`)
      .join('\n');
  return [
    `${(busy / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle on the main thread (percentages of busy time)`,
    'Inclusive, by package or project file (time with it anywhere on the stack; a middleware includes what runs after it):',
    rows(inclusiveByOwner),
    'Self, by package or project file:',
    rows(selfByOwner, 15),
    'Self, by function:',
    rows(byFunction),
  ].join('\n');
}
