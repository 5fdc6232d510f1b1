// `npm run bench`: starts the fake Twilio, then for each database Codeword (seeded, as its own server process) and the
// bare oidc-provider baseline, drives each scenario with the load generator in its own process, measures CPU from
// /proc, SQL statements from the server, memory, and reports a table, bench/results/<time>.json and a markdown table.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Knex } from 'knex';
import { adminConnection, type BenchDatabase, createDatabase, type DatabaseKind, questions, versions } from './lib/databases.ts';
import { BASELINE_SCENARIOS, CODEWORD_SCENARIOS, LEAN_SCENARIOS, type Options, parseOptions, usage } from './lib/options.ts';
import { buildForBench, type Child, freePort, readyLine, ROOT, runToEnd, serverMetrics, spawnNode, waitHttp } from './lib/processes.ts';
import { cpuSeconds, cpuTimes, describeMachine, findDatabasePid, machineCpuSeconds, memory, resetPeakRss } from './lib/proc.ts';
import { monotonicUs, summarizeProfile } from './lib/profile.ts';
import { markdown, ratios, type RunReport, type ScenarioResult, type ServerInfo, targets, textTable } from './lib/report.ts';
import { BASELINE_CLIENT_SECRET, REDIRECT_URI, RP_CLIENT_ID, type Seed, type SeedInput } from './lib/seed-types.ts';
import type { Target } from './lib/oidc.ts';
import type { LoadResult, LoadSpec } from './load.ts';

const LOGIN_USERS = 200;
const SMS_USERS = 1000;

interface Twilio {
  /** CA file to trust for its https URL (undefined: plain http). */
  caFile?: string;
  url: string;
  accountSid: string;
  authToken: string;
  fromNumber: string;
  codesUrl: string;
}

interface Sample {
  t: number;
  us: number;
  server: number;
  serverSystem: number;
  db: number;
  redis: number;
  load: number;
  fake: number;
  machine: { busy: number; total: number };
  queries?: { total: number; byVerb: Record<string, number>; knex: number; sites: Record<string, number> };
  memory?: NodeJS.MemoryUsage;
  questions: number;
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

const servers: ServerInfo[] = [];

/** The Node/V8 flags of `npm start` (package.json's start script: `node <flags> dist/src/main.js`). */
function startFlags(): string[] {
  const start = String((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start);
  const flags = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/src\/main\.js/.exec(start)?.[1];
  if (flags === undefined) throw new Error(`cannot read the node flags of npm start from: ${start}`);
  return flags.trim().split(/\s+/).filter(Boolean);
}

/** Undo steps of the run so far (stop processes, drop databases), also run when the run is interrupted. */
const cleanups = new Set<() => Promise<unknown>>();
async function cleanUp(step: () => Promise<unknown>) {
  cleanups.delete(step);
  await step();
}
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${signal}: stopping the servers and dropping the databases`);
    Promise.allSettled([...cleanups].reverse().map((c) => c())).finally(() => process.exit(130));
  });
}

async function createDatabaseOrExplain(kind: DatabaseKind, opts: Options, label: string): Promise<BenchDatabase> {
  try {
    return await createDatabase(kind, opts.mysqlUrl, label);
  } catch (err) {
    if (kind !== 'mariadb') throw err;
    throw new Error(`cannot create a database on ${opts.mysqlUrl} (${(err as Error).message}); start MariaDB, pass --mysql-url, or run --databases sqlite`);
  }
}

async function main() {
  let opts: Options;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage}`);
    process.exitCode = 64;
    return;
  }
  if (opts.help) {
    process.stdout.write(usage);
    return;
  }
  if (!process.version.startsWith('v22.')) log(`warning: running on Node ${process.version}; use "npm run bench" so the project's Node 22 is used`);
  const started = new Date();
  const outDir = resolve(ROOT, opts.outDir);
  mkdirSync(outDir, { recursive: true });
  const profileDir = join(outDir, 'profiles');
  if (opts.profile) mkdirSync(profileDir, { recursive: true });

  const usesMaria = opts.databases.includes('mariadb');
  const dbPid = usesMaria ? findDatabasePid() : undefined;
  if (usesMaria && !dbPid) log('warning: no mariadbd process found; database CPU will read as unknown');
  const machine = {
    ...describeMachine(),
    ...(await versions(usesMaria ? opts.mysqlUrl : undefined)),
    oidcProvider: JSON.parse(readFileSync(join(ROOT, 'node_modules/oidc-provider/package.json'), 'utf8')).version as string,
    commit: gitDescribe(),
  };
  log(`${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`);

  const tls = selfSignedCertificate();
  const fake = spawnNode('fake-twilio', ['bench/fake-twilio-server.ts'], tls ? { BENCH_TLS_CERT: tls.cert, BENCH_TLS_KEY: tls.key } : {});
  const stopFake = () => fake.stop();
  cleanups.add(stopFake);
  const results: ScenarioResult[] = [];
  try {
    const twilio = { ...(await readyLine<Twilio>(fake)), caFile: tls?.cert };
    const instrument = opts.scenarios.some((s) => (CODEWORD_SCENARIOS as readonly string[]).includes(s)) ? await buildForBench() : '';
    for (const kind of opts.databases) {
      if (opts.scenarios.some((s) => (CODEWORD_SCENARIOS as readonly string[]).includes(s))) results.push(...(await codewordPhase(kind, opts, twilio, fake, dbPid, profileDir, instrument)));
      if (opts.scenarios.some((s) => (BASELINE_SCENARIOS as readonly string[]).includes(s))) results.push(...(await baselinePhase(kind, opts, fake, dbPid, profileDir, 'knex')));
      if (kind === 'mariadb' && opts.scenarios.some((s) => (LEAN_SCENARIOS as readonly string[]).includes(s))) results.push(...(await baselinePhase(kind, opts, fake, dbPid, profileDir, 'lean')));
    }
  } finally {
    await cleanUp(stopFake);
    if (tls) rmSync(tls.dir, { recursive: true, force: true });
  }

  const rs = ratios(results);
  const report: RunReport = {
    startedAt: started.toISOString(),
    servers,
    durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
    options: { ...opts },
    machine,
    results,
    ratios: rs,
    targets: targets(results, rs, servers, opts.redis !== undefined),
  };
  const stamp = started.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  const jsonFile = join(outDir, `${stamp}.json`);
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'latest.md'), `${markdown(report)}\n`);
  process.stdout.write(`\n${textTable(report)}\n\nRun took ${report.durationSeconds} s. JSON: ${jsonFile}\n`);
}

/** A throwaway certificate for 127.0.0.1 (the fake Twilio's TLS front), or undefined without openssl. */
function selfSignedCertificate(): { dir: string; cert: string; key: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
      { stdio: 'ignore' },
    );
    return { dir, cert, key };
  } catch {
    rmSync(dir, { recursive: true, force: true });
    log('warning: openssl failed; the fake Twilio is plain http and the SMS account is created outside production rules');
    return undefined;
  }
}

function gitDescribe(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

function profileOptions(enabled: boolean, dir: string, name: string): string[] {
  return enabled ? ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', `${name}.cpuprofile`] : [];
}

/** The whole profile's summary, then one per scenario window. */
function writeProfileSummary(enabled: boolean, dir: string, name: string, results: ScenarioResult[]) {
  const file = join(dir, `${name}.cpuprofile`);
  if (!enabled || !existsSync(file)) return;
  const parts = [`Profile ${file}, whole run (start-up included):\n${summarizeProfile(file, 30)}`];
  for (const r of results) parts.push(`Scenario ${r.scenario} (${r.flows} flows):\n${summarizeProfile(file, 30, r.monotonicWindowUs)}`);
  writeFileSync(join(dir, `${name}.txt`), `${parts.join('\n\n')}\n`);
  log(`profile summary: ${join(dir, `${name}.txt`)}`);
}

/** Codeword on one database: seed, serve, run each of its scenarios, stop, drop. */
async function codewordPhase(kind: DatabaseKind, opts: Options, twilio: Twilio, fake: Child, dbPid: number | undefined, profileDir: string, instrument: string): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  const db = await createDatabaseOrExplain(kind, opts, 'cw');
  const dataDir = mkdtempSync(join(tmpdir(), 'cw-bench-data-'));
  let server: Child | undefined;
  const admin = kind === 'mariadb' ? adminConnection(opts.mysqlUrl) : undefined;
  // With --redis: this phase's own keys, deleted when it ends.
  const redisPrefix = `codeword-bench:${process.pid}:${kind}:`;
  const undo = async () => {
    await server?.stop();
    await admin?.destroy();
    await db.drop();
    if (opts.redis) await dropRedisPrefix(opts.redis, redisPrefix).catch((err) => log(`warning: Redis keys under ${redisPrefix} not deleted (${(err as Error).message})`));
    rmSync(dataDir, { recursive: true, force: true });
  };
  cleanups.add(undo);
  try {
    const port = await freePort();
    const issuer = `https://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      ISSUER: issuer,
      // Production behind a TLS-terminating proxy: the load generator sends X-Forwarded-Proto/-For as the proxy would.
      TRUST_PROXY_HOPS: '1',
      DATABASE_URL: db.url,
      // The fake Twilio listens on the loopback address: listed explicitly, as for any internal gateway.
      SMS_PROVIDER_HOSTS: 'api.twilio.com,*.twilio.com,*.aliyuncs.com,127.0.0.1',
      ALLOW_SQLITE_IN_PRODUCTION: 'true',
      SECRET_KEY: randomBytes(32).toString('base64url'),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ADMIN_CLIENT_ID: 'bench-admin',
      ADMIN_CLIENT_SECRET: randomBytes(32).toString('base64url'),
      BENCH_METRICS: opts.sqlSites ? 'sites' : 'true',
      // As `npm start` runs it (package.json).
      MALLOC_ARENA_MAX: '2',
      ...(opts.redis ? { REDIS_URL: opts.redis, REDIS_KEY_PREFIX: redisPrefix } : {}),
      ...(twilio.caFile ? { NODE_EXTRA_CA_CERTS: twilio.caFile } : {}),
    };

    // Reset users are used once each (the reset's send limits are fixed): enough for the fastest it could go.
    const resetUsers = opts.scenarios.includes('reset') ? Math.ceil(opts.resetConcurrency * 2 * (opts.warmupSeconds + opts.durationSeconds) * 1.2) + 50 : 0;
    const input: SeedInput = { twilio: { url: twilio.url, accountSid: twilio.accountSid, authToken: twilio.authToken, fromNumber: twilio.fromNumber }, smsUsers: SMS_USERS, resetUsers, loginUsers: LOGIN_USERS };
    const seedIn = join(dataDir, 'seed-input.json');
    const seedOut = join(dataDir, 'seed.json');
    writeFileSync(seedIn, JSON.stringify(input));
    log(`${kind}: migrating and seeding ${SMS_USERS + resetUsers + LOGIN_USERS} users`);
    // Without TLS the account can only be created outside production rules (they require https).
    const seedEnv = twilio.caFile ? env : { ...env, NODE_ENV: 'test' };
    await runToEnd(spawnNode('seed', ['bench/seed.ts'], { ...seedEnv, BENCH_SEED: seedIn, BENCH_SEED_OUT: seedOut }));
    const seed = JSON.parse(readFileSync(seedOut, 'utf8')) as Seed;

    const name = `codeword-${kind}`;
    // With the V8 flags `npm start` gives it (package.json).
    server = spawnNode(name, ['--import', instrument, 'dist/src/main.js'], env, {
      ipc: true,
      tsx: false,
      nodeOptions: [...startFlags(), ...(process.env.BENCH_CODEWORD_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []), ...(opts.sqlSites ? ['--enable-source-maps'] : []), ...profileOptions(opts.profile, profileDir, name)],
    });
    await waitHttp(`http://127.0.0.1:${port}/healthz`, server);
    const restRssMiB = memory(server.pid).rss / 2 ** 20;
    servers.push({ database: kind, server: 'codeword', pid: server.pid, restRssMiB: Math.round(restRssMiB) });
    log(`${kind}: Codeword listening (pid ${server.pid}, ${Math.round(restRssMiB)} MiB at rest)`);
    const target: Target = { issuer, local: `http://127.0.0.1:${port}`, clientId: seed.rp.clientId, clientSecret: seed.rp.clientSecret, redirectUri: seed.rp.redirectUri, proxied: true };

    for (const scenario of CODEWORD_SCENARIOS) {
      if (!opts.scenarios.includes(scenario)) continue;
      const peak = results.find((r) => r.scenario === 'sms-login');
      const spec: LoadSpec = {
        scenario: scenario === 'sms-login-half' ? 'sms-login' : scenario,
        target,
        seed,
        codesUrl: twilio.codesUrl,
        concurrency: scenario === 'reset' ? opts.resetConcurrency : scenario === 'sms-login-half' ? opts.concurrency * 2 : opts.concurrency,
        warmupMs: opts.warmupSeconds * 1000,
        durationMs: opts.durationSeconds * 1000,
        rate: scenario === 'sms-login-half' && peak ? Math.max(1, peak.flowsPerSecond / 2) : undefined,
      };
      const redisPid = opts.redis ? findDatabasePid(['redis-server']) : undefined;
      const r = await measure({ kind, server: 'codeword', name: scenario, spec, serverChild: server, fake, dbPid, redisPid, admin, sqlSites: opts.sqlSites });
      results.push(r);
      log(`${kind} ${scenario}: ${r.flowsPerSecond.toFixed(1)} flows/s, p99 ${r.latencyMs.p99} ms, ${r.flowsPerCpuSecond.toFixed(1)} flows/CPU-s, ${r.errors} errors`);
    }
  } finally {
    await cleanUp(undo);
  }
  writeProfileSummary(opts.profile, profileDir, `codeword-${kind}`, results);
  return results;
}

/**
 * The bare oidc-provider on the same kind of database (its own fresh database): login, and client credentials; on
 * Codeword's knex adapter (`baseline-*`), or on the lean mysql2 adapter (`lean-*`, MariaDB only).
 */
async function baselinePhase(kind: DatabaseKind, opts: Options, fake: Child, dbPid: number | undefined, profileDir: string, adapter: 'knex' | 'lean'): Promise<ScenarioResult[]> {
  const db: BenchDatabase = await createDatabaseOrExplain(kind, opts, adapter === 'lean' ? 'lean' : 'base');
  let server: Child | undefined;
  const admin = kind === 'mariadb' ? adminConnection(opts.mysqlUrl) : undefined;
  const undo = async () => {
    await server?.stop();
    await admin?.destroy();
    await db.drop();
  };
  cleanups.add(undo);
  try {
    const port = await freePort();
    const label = adapter === 'lean' ? 'lean' : 'baseline';
    const name = `${label}-${kind}`;
    const env = { NODE_ENV: 'production', PORT: String(port), DATABASE_URL: db.url, BENCH_ADAPTER: adapter, BENCH_METRICS: opts.sqlSites ? 'sites' : 'true' };
    server = spawnNode(name, ['--import', './bench/instrument.ts', 'bench/baseline-server.ts'], env, { ipc: true, nodeOptions: [...(process.env.BENCH_BASELINE_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []), ...profileOptions(opts.profile, profileDir, name)] });
    const { issuer } = await readyLine<{ issuer: string }>(server);
    servers.push({ database: kind, server: label, pid: server.pid, restRssMiB: Math.round(memory(server.pid).rss / 2 ** 20) });
    const seed: Seed = {
      rp: { clientId: RP_CLIENT_ID, clientSecret: BASELINE_CLIENT_SECRET, redirectUri: REDIRECT_URI },
      admin: { clientId: RP_CLIENT_ID, clientSecret: BASELINE_CLIENT_SECRET },
      password: '',
      smsPhones: [],
      resetUsers: [],
      loginUsers: Array.from({ length: LOGIN_USERS }, (_, i) => `user${i}`),
    };
    const target: Target = { issuer, local: issuer, clientId: RP_CLIENT_ID, clientSecret: BASELINE_CLIENT_SECRET, redirectUri: REDIRECT_URI, proxied: false };
    const results: ScenarioResult[] = [];
    for (const name of adapter === 'lean' ? LEAN_SCENARIOS : BASELINE_SCENARIOS) {
      if (!opts.scenarios.includes(name)) continue;
      const spec: LoadSpec = {
        scenario: name.endsWith('-login') ? 'baseline-login' : 'client-credentials',
        target,
        seed,
        concurrency: opts.concurrency,
        warmupMs: opts.warmupSeconds * 1000,
        durationMs: opts.durationSeconds * 1000,
      };
      const r = await measure({ kind, server: label, name, spec, serverChild: server, fake, dbPid, admin, sqlSites: opts.sqlSites });
      results.push(r);
      log(`${kind} ${name}: ${r.flowsPerSecond.toFixed(1)} flows/s, p99 ${r.latencyMs.p99} ms, ${r.flowsPerCpuSecond.toFixed(1)} flows/CPU-s, ${r.errors} errors`);
    }
    await server.stop();
    writeProfileSummary(opts.profile, profileDir, name, results);
    return results;
  } finally {
    await cleanUp(undo);
  }
}

interface MeasureInput {
  kind: DatabaseKind;
  server: 'codeword' | 'baseline' | 'lean';
  name: string;
  spec: LoadSpec;
  serverChild: Child;
  fake: Child;
  dbPid: number | undefined;
  /** With --redis, Codeword's: its CPU counts as the database's. */
  redisPid?: number;
  admin: Knex | undefined;
  sqlSites: boolean;
}

/** Runs the load generator for one scenario and measures the server and database over its window. */
async function measure(m: MeasureInput): Promise<ScenarioResult> {
  const load = spawnNode(`load ${m.name}`, ['bench/load.ts'], { BENCH_LOAD: JSON.stringify(m.spec) }, { ipc: true });
  const dbPid = m.kind === 'mariadb' ? m.dbPid : undefined;
  const sample = async (): Promise<Sample> => {
    const times = cpuTimes(m.serverChild.pid);
    const s = {
      t: performance.now(),
      us: monotonicUs(),
      server: times.user + times.system,
      serverSystem: times.system,
      db: dbPid ? cpuSeconds(dbPid) : 0,
      redis: m.redisPid ? cpuSeconds(m.redisPid) : 0,
      load: cpuSeconds(load.pid),
      fake: cpuSeconds(m.fake.pid),
      machine: machineCpuSeconds(),
    };
    const [metrics, q] = await Promise.all([serverMetrics(m.serverChild), questions(m.admin).catch(() => Number.NaN)]);
    return { ...s, queries: metrics?.queries, memory: metrics?.memory, questions: q };
  };

  let first: Promise<Sample> | undefined;
  let last: Promise<Sample> | undefined;
  let rssMax = 0;
  let sampler: NodeJS.Timeout | undefined;
  const outcome = await new Promise<LoadResult>((resolveResult, reject) => {
    load.proc.on('message', (msg: { type: string; result?: LoadResult; message?: string }) => {
      if (msg.type === 'prepared') resetPeakRss(m.serverChild.pid);
      if (msg.type === 'window-start') {
        first = sample();
        sampler = setInterval(() => {
          rssMax = Math.max(rssMax, memory(m.serverChild.pid).rss || 0);
        }, 100);
      }
      if (msg.type === 'window-end') {
        clearInterval(sampler);
        last = sample();
      }
      if (msg.type === 'result' && msg.result) resolveResult(msg.result);
      if (msg.type === 'failed') reject(new Error(`load generator failed: ${msg.message}`));
    });
    load.exited.then((code) => reject(new Error(`load generator exited (${code}) without a result:\n${load.output()}`)));
  });
  clearInterval(sampler);
  if (!first || !last) throw new Error(`${m.name}: the measurement window never opened (every worker stopped during warm-up?)`);
  const [s0, s1] = await Promise.all([first, last]);
  await load.exited;

  const windowSeconds = (s1.t - s0.t) / 1000;
  const serverSeconds = s1.server - s0.server;
  const redisSeconds = s1.redis - s0.redis;
  const databaseSeconds = s1.db - s0.db + redisSeconds;
  const cpu = serverSeconds + databaseSeconds;
  const flows = outcome.flows;
  const queries = s0.queries && s1.queries ? s1.queries.total - s0.queries.total : Number.NaN;
  const perFlow = (after: Record<string, number> | undefined, before: Record<string, number> | undefined) => {
    const out: Record<string, number> = {};
    if (!after || !before) return out;
    const deltas = Object.entries(after)
      .map(([k, n]) => [k, n - (before[k] ?? 0)] as const)
      .filter(([, d]) => d > 0)
      .sort((a, b) => b[1] - a[1]);
    for (const [k, d] of deltas) out[k] = Math.round((d / Math.max(1, flows)) * 100) / 100;
    return out;
  };
  const byVerb = perFlow(s1.queries?.byVerb, s0.queries?.byVerb);
  const sites = m.sqlSites ? perFlow(s1.queries?.sites, s0.queries?.sites) : undefined;
  // Statements MariaDB got in the window beyond ours (and beyond the one SHOW STATUS that closes the window).
  const foreign = m.kind === 'mariadb' && Number.isFinite(s1.questions - s0.questions) ? Math.max(0, s1.questions - s0.questions - queries - 1) : null;
  const hwm = memory(m.serverChild.pid).hwm;
  return {
    database: m.kind,
    server: m.server,
    scenario: m.name,
    concurrency: m.spec.concurrency,
    rate: m.spec.rate ?? null,
    windowSeconds: Math.round(windowSeconds * 1000) / 1000,
    flows,
    flowsPerSecond: flows / windowSeconds,
    errors: outcome.errors,
    errorKinds: outcome.errorKinds,
    errorSamples: outcome.errorSamples,
    latencyMs: outcome.latencyMs,
    latencyFrom: outcome.latencyFrom,
    cpu: {
      serverSeconds: round(serverSeconds),
      serverSystemSeconds: round(s1.serverSystem - s0.serverSystem),
      databaseSeconds: round(databaseSeconds),
      ...(m.redisPid ? { redisSeconds: round(redisSeconds) } : {}),
      loadGeneratorSeconds: round(s1.load - s0.load),
      fakeTwilioSeconds: round(s1.fake - s0.fake),
      machineBusyCores: round((s1.machine.busy - s0.machine.busy) / windowSeconds),
      otherCores: round(Math.max(0, s1.machine.busy - s0.machine.busy - cpu - (s1.load - s0.load) - (s1.fake - s0.fake)) / windowSeconds),
    },
    requestsPerFlow: outcome.requestsPerFlow,
    monotonicWindowUs: { startUs: s0.us, endUs: s1.us },
    flowsPerCpuSecond: flows / cpu,
    cpuMsPerFlow: (cpu * 1000) / flows,
    sqlPerFlow: queries / flows,
    sqlByVerbPerFlow: byVerb,
    sqlOutsideKnexPerFlow: s0.queries && s1.queries ? (queries - (s1.queries.knex - s0.queries.knex)) / flows : Number.NaN,
    ...(sites ? { sqlSitesPerFlow: sites } : {}),
    foreignDbStatements: foreign,
    peakRssMiB: Math.max(rssMax, Number.isFinite(hwm) ? hwm : 0) / 2 ** 20,
    memoryAtEndMiB: s1.memory
      ? { rss: mib(s1.memory.rss), heapTotal: mib(s1.memory.heapTotal), heapUsed: mib(s1.memory.heapUsed), external: mib(s1.memory.external) }
      : undefined,
    poolExhausted: outcome.poolExhausted,
  };
}

/** Deletes the keys of one prefix (SCAN, never KEYS). */
async function dropRedisPrefix(url: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

const round = (v: number) => Math.round(v * 1000) / 1000;
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

main().catch((err) => {
  log(`failed: ${err?.stack ?? err}`);
  process.exitCode = 1;
});
