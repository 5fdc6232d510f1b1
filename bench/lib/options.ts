// Command-line options of `npm run bench` (run `npm run bench -- --help`).
import { parseArgs } from 'node:util';
import type { DatabaseKind } from './databases.ts';

export const CODEWORD_SCENARIOS = ['sms-login', 'sms-login-half', 'reset', 'password-login', 'client-credentials', 'refresh'] as const;
export const BASELINE_SCENARIOS = ['baseline-login', 'baseline-client-credentials'] as const;
/** The lean baseline (MariaDB only): the same flows on a mysql2 prepared-statement adapter. */
export const LEAN_SCENARIOS = ['lean-login', 'lean-client-credentials'] as const;
export const ALL_SCENARIOS = [...CODEWORD_SCENARIOS, ...BASELINE_SCENARIOS, ...LEAN_SCENARIOS] as const;

export interface Options {
  databases: DatabaseKind[];
  scenarios: string[];
  /** Workers of the closed loop (reset and the half-peak run use multiples of it, see below). */
  concurrency: number;
  /** Workers for reset: its screens hold each answer for at least 250 ms twice, so it needs more to load the CPU. */
  resetConcurrency: number;
  warmupSeconds: number;
  durationSeconds: number;
  mysqlUrl: string;
  outDir: string;
  profile: boolean;
  /** Count SQL statements by the line of project code that issued them (adds a stack capture per query). */
  sqlSites: boolean;
  /** Run Codeword with its counters and settings stamp in this Redis (REDIS_URL), under a prefix of its own. */
  redis?: string;
  help: boolean;
}

export const usage = `Usage: npm run bench -- [options]

  --databases mariadb,sqlite   which databases to run Codeword on, in order (default both)
  --scenarios a,b,…            ${ALL_SCENARIOS.join(', ')} (default all)
  --concurrency N              closed-loop workers per scenario (default 8; sms-login-half uses 2N, paced)
  --reset-concurrency N        workers for reset (default 4 × concurrency)
  --warmup S                   seconds of warm-up before each measurement (default 1.5)
  --duration S                 seconds measured per scenario (default 5)
  --mysql-url URL              MariaDB server, without database (default $BENCH_MYSQL_URL or mysql://root@127.0.0.1:3306)
  --out DIR                    where results go (default bench/results)
  --profile                    run the servers with --cpu-prof; profiles and a summary land in DIR/profiles
  --sql-sites                  also count SQL statements per flow by the source line that issued them (slower;
                               for finding queries to remove, not for the throughput figures)
  --redis URL                  run Codeword with REDIS_URL=URL (counters and the settings stamp in Redis), under
                               a key prefix of its own that the run deletes at the end
  --help                       this text
`;

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      databases: { type: 'string', default: 'mariadb,sqlite' },
      scenarios: { type: 'string', default: ALL_SCENARIOS.join(',') },
      concurrency: { type: 'string', default: '8' },
      'reset-concurrency': { type: 'string' },
      warmup: { type: 'string', default: '1.5' },
      duration: { type: 'string', default: '5' },
      'mysql-url': { type: 'string', default: process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306' },
      out: { type: 'string', default: 'bench/results' },
      profile: { type: 'boolean', default: false },
      'sql-sites': { type: 'boolean', default: false },
      redis: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const list = (v: string) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const number = (name: string, v: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name}: must be a number from ${min} to ${max}`);
    return n;
  };
  const databases = list(values.databases) as DatabaseKind[];
  for (const d of databases) if (d !== 'mariadb' && d !== 'sqlite') throw new Error(`--databases: unknown ${d} (mariadb, sqlite)`);
  const scenarios = list(values.scenarios);
  for (const s of scenarios) if (!(ALL_SCENARIOS as readonly string[]).includes(s)) throw new Error(`--scenarios: unknown ${s}`);
  if (scenarios.includes('sms-login-half') && !scenarios.includes('sms-login')) throw new Error('--scenarios: sms-login-half needs sms-login (its rate is half of that peak)');
  const concurrency = Math.round(number('concurrency', values.concurrency, 1, 256));
  return {
    databases,
    scenarios,
    concurrency,
    resetConcurrency: Math.round(number('reset-concurrency', values['reset-concurrency'] ?? String(concurrency * 4), 1, 1024)),
    warmupSeconds: number('warmup', values.warmup, 0, 600),
    durationSeconds: number('duration', values.duration, 1, 3600),
    mysqlUrl: values['mysql-url'],
    outDir: values.out,
    profile: values.profile,
    sqlSites: values['sql-sites'],
    redis: values.redis === undefined ? undefined : /^rediss?:\/\//.test(values.redis) ? values.redis : (() => { throw new Error('--redis: must be redis://host:port'); })(),
    help: values.help,
  };
}
