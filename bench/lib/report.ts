// The results of a run: per-scenario figures, Codeword/baseline ratios, the performance targets, as text and markdown.
import type { LatencySummary } from './stats.ts';

export interface ScenarioResult {
  database: 'mariadb' | 'sqlite';
  server: 'codeword' | 'baseline' | 'lean';
  scenario: string;
  concurrency: number;
  /** Paced start rate (flows/s), or null for an unpaced closed loop. */
  rate: number | null;
  windowSeconds: number;
  flows: number;
  flowsPerSecond: number;
  errors: number;
  errorKinds: Record<string, number>;
  errorSamples: string[];
  latencyMs: LatencySummary;
  latencyFrom: 'start' | 'scheduled-start';
  cpu: {
    /** CPU seconds of the server process during the window (/proc/<pid>/stat utime+stime, all threads). */
    serverSeconds: number;
    /** The part of serverSeconds spent in the kernel (system calls: sockets, files). */
    serverSystemSeconds: number;
    /** CPU seconds of mariadbd during the window (0 for SQLite: it runs inside the server). */
    databaseSeconds: number;
    /** With --redis: redis-server's CPU, included in databaseSeconds. */
    redisSeconds?: number;
    loadGeneratorSeconds: number;
    fakeTwilioSeconds: number;
    /** Cores busy on the whole machine during the window (from /proc/stat). */
    machineBusyCores: number;
    /** Of those, cores used by processes outside this run (others' work on the machine: noise). */
    otherCores: number;
  };
  /** HTTP requests to the server per flow. */
  requestsPerFlow: number;
  /** Monotonic clock (µs) of the window, to cut a CPU profile to this scenario. */
  monotonicWindowUs: { startUs: number; endUs: number };
  /** Flows per CPU-second of server + database: flows per core when both are busy. */
  flowsPerCpuSecond: number;
  /** Server + database CPU milliseconds per flow. */
  cpuMsPerFlow: number;
  sqlPerFlow: number;
  sqlByVerbPerFlow: Record<string, number>;
  /** Statements per flow sent on raw connections, not through knex (rate-limiter-flexible's). */
  sqlOutsideKnexPerFlow: number;
  /** With --sql-sites: statements per flow by the source line that issued them, most first. */
  sqlSitesPerFlow?: Record<string, number>;
  /** Statements MariaDB received from other clients during the window (others using the same server add DB CPU). */
  foreignDbStatements: number | null;
  peakRssMiB: number;
  /** The server's process.memoryUsage() at the end of the window (V8 heap vs the rest of the RSS). */
  memoryAtEndMiB?: { rss: number; heapTotal: number; heapUsed: number; external: number };
  poolExhausted: boolean;
}

export interface Target {
  name: string;
  goal: string;
  value: string;
  met: boolean | null;
}

export interface ServerInfo {
  database: 'mariadb' | 'sqlite';
  server: 'codeword' | 'baseline' | 'lean';
  pid: number;
  /** Resident memory once listening, before any load. */
  restRssMiB: number;
}

export interface RunReport {
  startedAt: string;
  servers: ServerInfo[];
  durationSeconds: number;
  options: Record<string, unknown>;
  machine: Record<string, unknown>;
  results: ScenarioResult[];
  ratios: Array<{ database: string; scenario: string; baseline: string; flowsPerSecond: number; flowsPerCpuSecond: number }>;
  targets: Target[];
}

const f = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '–');

export function find(results: ScenarioResult[], database: string, scenario: string): ScenarioResult | undefined {
  return results.find((r) => r.database === database && r.scenario === scenario);
}

/** Codeword's flows relative to the baseline's same-shaped flow on the same database. */
export function ratios(results: ScenarioResult[]): RunReport['ratios'] {
  const pairs: Array<[string, string]> = [
    ['sms-login', 'baseline-login'],
    ['password-login', 'baseline-login'],
    ['client-credentials', 'baseline-client-credentials'],
    ['sms-login', 'lean-login'],
    ['password-login', 'lean-login'],
    ['client-credentials', 'lean-client-credentials'],
    ['baseline-login', 'lean-login'],
  ];
  const out: RunReport['ratios'] = [];
  for (const database of ['mariadb', 'sqlite']) {
    for (const [scenario, baseline] of pairs) {
      const r = find(results, database, scenario);
      const base = find(results, database, baseline);
      if (!r || !base) continue;
      out.push({
        database,
        scenario,
        baseline,
        flowsPerSecond: r.flowsPerSecond / base.flowsPerSecond,
        flowsPerCpuSecond: r.flowsPerCpuSecond / base.flowsPerCpuSecond,
      });
    }
  }
  return out;
}

/** The performance targets, judged on MariaDB against the baseline each names (reported, never failing the run). */
export function targets(results: ScenarioResult[], rs: RunReport['ratios'], servers: ServerInfo[] = [], withRedis = false): Target[] {
  const db = 'mariadb';
  const out: Target[] = [];
  const sms = find(results, db, 'sms-login');
  const half = find(results, db, 'sms-login-half');
  const reset = find(results, db, 'reset');
  const lean = find(results, db, 'lean-login');
  const vsLean = rs.find((r) => r.database === db && r.scenario === 'sms-login' && r.baseline === 'lean-login');
  const cc = rs.find((r) => r.database === db && r.scenario === 'client-credentials' && r.baseline === 'baseline-client-credentials');
  const codeword = results.filter((r) => r.server === 'codeword');
  const judge = (v: number | undefined, ok: (v: number) => boolean) => (v === undefined || !Number.isFinite(v) ? null : ok(v));
  out.push({ name: 'SMS login vs lean baseline (per CPU-second)', goal: '≥ 0.6×', value: vsLean ? `${f(vsLean.flowsPerCpuSecond, 2)}×` : 'not run', met: judge(vsLean?.flowsPerCpuSecond, (v) => v >= 0.6) });
  const sqlGoal = withRedis ? 26 : 32;
  out.push({ name: `SQL statements per SMS sign-in (${withRedis ? 'with' : 'without'} Redis)`, goal: `≤ ${sqlGoal}`, value: sms ? f(sms.sqlPerFlow, 1) : 'not run', met: judge(sms?.sqlPerFlow, (v) => v <= sqlGoal) });
  out.push({ name: 'Lean baseline SQL statements per flow', goal: '16', value: lean ? f(lean.sqlPerFlow, 1) : 'not run', met: judge(lean?.sqlPerFlow, (v) => Math.round(v) === 16) });
  out.push({ name: 'Reset per CPU-second (argon2id, production parameters)', goal: '≥ 45', value: reset ? f(reset.flowsPerCpuSecond, 1) : 'not run', met: judge(reset?.flowsPerCpuSecond, (v) => v >= 45) });
  out.push({ name: 'Client credentials vs bare provider, same adapter', goal: '≥ 0.9×', value: cc ? `${f(cc.flowsPerCpuSecond, 2)}×` : 'not run', met: judge(cc?.flowsPerCpuSecond, (v) => v >= 0.9) });
  out.push({
    name: 'SMS login p99 at half of peak',
    goal: '≤ 100 ms',
    value: half ? `${f(half.latencyMs.p99, 1)} ms at ${f(half.flowsPerSecond, 1)} flows/s` : 'not run',
    met: judge(half?.latencyMs.p99, (v) => v <= 100),
  });
  const rss = Math.max(...codeword.map((r) => r.peakRssMiB));
  out.push({ name: 'Server peak RSS under load (any scenario)', goal: '≤ 250 MiB', value: codeword.length ? `${f(rss, 0)} MiB` : 'not run', met: judge(codeword.length ? rss : undefined, (v) => v <= 250) });
  const rest = servers.filter((s) => s.server === 'codeword').map((s) => s.restRssMiB);
  if (!withRedis) out.push({ name: 'Server RSS at rest (without Redis)', goal: '≤ 150 MiB', value: rest.length ? `${rest.join(', ')} MiB` : 'not run', met: judge(rest.length ? Math.max(...rest) : undefined, (v) => v <= 150) });
  return out;
}

const COLUMNS = ['database', 'scenario', 'conc', 'flows/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'app CPU s', 'DB CPU s', 'flows/CPU-s', 'CPU ms/flow', 'SQL/flow', 'HTTP/flow', 'peak RSS MiB'];

function row(r: ScenarioResult): string[] {
  return [
    r.database,
    r.rate ? `${r.scenario} (paced ${f(r.rate, 0)}/s)` : r.scenario,
    String(r.concurrency),
    f(r.flowsPerSecond, 1),
    f(r.latencyMs.p50, 1),
    f(r.latencyMs.p95, 1),
    f(r.latencyMs.p99, 1),
    r.errors ? `${r.errors} (${((r.errors / Math.max(1, r.errors + r.flows)) * 100).toFixed(1)}%)` : '0',
    f(r.cpu.serverSeconds, 2),
    r.database === 'sqlite' ? 'in app' : f(r.cpu.databaseSeconds, 2),
    f(r.flowsPerCpuSecond, 1),
    f(r.cpuMsPerFlow, 2),
    f(r.sqlPerFlow, 1),
    f(r.requestsPerFlow, 1),
    f(r.peakRssMiB, 0),
  ];
}

export function textTable(report: RunReport): string {
  const rows = [COLUMNS, ...report.results.map(row)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  if (report.ratios.length) {
    out.push('', 'Codeword / baseline (same flow shape, same database):');
    for (const r of report.ratios) out.push(`  ${r.database.padEnd(8)} ${`${r.scenario} / ${r.baseline}`.padEnd(50)} flows/s ${f(r.flowsPerSecond, 2)}×   per CPU-second ${f(r.flowsPerCpuSecond, 2)}×`);
  }
  if (report.servers.length) out.push('', `Servers at rest (RSS once listening): ${report.servers.map((s) => `${s.server} on ${s.database} ${s.restRssMiB} MiB`).join(', ')}`);
  out.push('', 'Targets (MariaDB):');
  for (const t of report.targets) out.push(`  ${t.met === null ? '·' : t.met ? '✓' : '✗'} ${t.name}: ${t.value} (goal ${t.goal})`);
  const errors = report.results.filter((r) => r.errors);
  if (errors.length) {
    out.push('', 'Errors:');
    for (const r of errors) out.push(`  ${r.database} ${r.scenario}: ${JSON.stringify(r.errorKinds)} e.g. ${r.errorSamples[0] ?? ''}`);
  }
  const exhausted = report.results.filter((r) => r.poolExhausted);
  for (const r of exhausted) out.push(`  note: ${r.database} ${r.scenario} used every prepared user before the end of its window`);
  const foreign = report.results.filter((r) => (r.foreignDbStatements ?? 0) > r.flows);
  for (const r of foreign) out.push(`  note: ${r.database} ${r.scenario}: MariaDB served ${r.foreignDbStatements} statements of other clients in the window (its CPU is included)`);
  const busy = report.results.filter((r) => r.cpu.otherCores > 0.15);
  for (const r of busy) out.push(`  note: ${r.database} ${r.scenario}: other processes used ${r.cpu.otherCores.toFixed(2)} cores of the machine during the window`);
  return out.join('\n');
}

export function markdown(report: RunReport): string {
  const md = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const out = [md(COLUMNS), md(COLUMNS.map((_, i) => (i < 2 ? '---' : '---:'))), ...report.results.map((r) => md(row(r)))];
  if (report.ratios.length) {
    out.push('', md(['database', 'Codeword flow', 'baseline flow', 'flows/s vs baseline', 'flows per CPU-second vs baseline']), md(['---', '---', '---', '---:', '---:']));
    for (const r of report.ratios) out.push(md([r.database, r.scenario, r.baseline, `${f(r.flowsPerSecond, 2)}×`, `${f(r.flowsPerCpuSecond, 2)}×`]));
  }
  if (report.servers.length) out.push('', `Servers at rest (RSS once listening): ${report.servers.map((s) => `${s.server} on ${s.database} ${s.restRssMiB} MiB`).join(', ')}.`);
  out.push('', md(['target (MariaDB)', 'goal', 'measured', 'met']), md(['---', '---', '---', '---']));
  for (const t of report.targets) out.push(md([t.name, t.goal, t.value, t.met === null ? '–' : t.met ? 'yes' : 'no']));
  return out.join('\n');
}
