// Where a server's main-thread time went, by HTTP route: `npx tsx bench/route-profile.ts PROFILE.cpuprofile
// ROUTES.json [ROUTE] [--top N]`. ROUTES.json is what BENCH_ROUTES=<dir> made the same server write (a run at
// concurrency 1, so requests do not overlap). Without ROUTE: busy time per flow for each route (flows counted by
// `GET /auth`); with ROUTE (e.g. "POST /interaction/:id/sms"): that route's self and inclusive time per request by
// function.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 40;
const [profileFile, routesFile, want] = args;
if (!profileFile || !routesFile) {
  console.error('usage: npx tsx bench/route-profile.ts PROFILE.cpuprofile ROUTES.json [ROUTE] [--top N]');
  process.exit(64);
}
const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as Profile;
const spans = (JSON.parse(readFileSync(routesFile, 'utf8')) as { spans: [string, number, number][] }).spans.sort((a, b) => a[1] - b[1]);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const frameName = (f: ProfileNode['callFrame']) => `${f.functionName || '(anonymous)'} ${f.url.replace(/.*\/(src|node_modules|bench)\//, '$1/')}:${f.lineNumber + 1}`;

const requests = new Map<string, number>();
for (const [route] of spans) requests.set(route, (requests.get(route) ?? 0) + 1);
const perRoute = new Map<string, number>();
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let t = profile.startTime;
let j = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] ?? 0;
  const node = byId.get(profile.samples[i]!)!;
  if (node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') continue;
  while (j < spans.length && spans[j]![2] < t) j++;
  const route = j < spans.length && spans[j]![1] <= t ? spans[j]![0] : '(between requests: start-up, timers, background work)';
  // A sample stands for the time until the next one.
  const dt = profile.timeDeltas[i + 1] ?? 0;
  perRoute.set(route, (perRoute.get(route) ?? 0) + dt);
  if (route !== want) continue;
  self.set(frameName(node.callFrame), (self.get(frameName(node.callFrame)) ?? 0) + dt);
  const seen = new Set<string>();
  for (let cur: number | undefined = node.id; cur !== undefined; cur = parent.get(cur)) {
    const f = byId.get(cur)!.callFrame;
    if (!/\/(src|node_modules|bench)\//.test(f.url)) continue;
    const name = frameName(f);
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
  }
}

const flows = requests.get('GET /auth') ?? 1;
console.log(`${flows} flows; busy main-thread time per flow, by route:`);
for (const [route, us] of [...perRoute].sort((a, b) => b[1] - a[1])) console.log(`${(us / flows / 1000).toFixed(3).padStart(8)} ms  ${route}${requests.has(route) ? ` (${requests.get(route)} requests)` : ''}`);
if (want) {
  const n = requests.get(want) ?? 1;
  const list = (title: string, m: Map<string, number>) => {
    console.log(`\n${title}, per request of ${want}:`);
    for (const [name, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(us / n).toFixed(0).padStart(6)} µs  ${name}`);
  };
  list('Self', self);
  list('Inclusive (project and package functions)', inclusive);
}
