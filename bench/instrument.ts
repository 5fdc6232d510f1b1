// Preloaded into a benchmarked server process (node --import tsx --import ./bench/instrument.ts) when BENCH_METRICS is
// set: counts every SQL statement sent to the database, at the driver (mysql2 queries, better-sqlite3 prepares and
// execs, mysql2 executes of prepared statements), so statements that bypass knex (rate-limiter-flexible uses raw connections) count too; answers the
// benchmark's questions over the IPC channel. BENCH_METRICS=sites also counts knex queries by the line of project code
// that built them (slower: a stack per query).
import { createRequire } from 'node:module';

interface Counts {
  /** Statements sent by the driver. */
  total: number;
  byVerb: Record<string, number>;
  /** Of those, statements that went through knex. */
  knex: number;
  sites: Record<string, number>;
}

const counts: Counts = { total: 0, byVerb: {}, knex: 0, sites: {} };
const mode = process.env.BENCH_METRICS;

/** The first frame of project code in a stack (else the first package outside knex), as `src/file.ts:line`. */
function siteOf(stack: string): string {
  let fallback: string | undefined;
  for (const line of stack.split('\n').slice(2)) {
    const src = /\/(src\/[^:)]+):(\d+)/.exec(line);
    if (src) return `${src[1]}:${src[2]}`;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
    if (!fallback && pkg && pkg[1] !== 'knex') fallback = pkg[1];
  }
  return fallback ?? 'unknown';
}

function count(sql: unknown) {
  const text = typeof sql === 'string' ? sql : ((sql as { sql?: string })?.sql ?? '');
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? 'other';
  counts.total += 1;
  counts.byVerb[verb] = (counts.byVerb[verb] ?? 0) + 1;
}

/** Wraps `name` on the prototype (in `proto`'s chain) that defines it. */
function wrap(proto: object, name: string, before: (args: unknown[], self: unknown) => void) {
  let owner: object | null = proto;
  while (owner && !Object.hasOwn(owner, name)) owner = Object.getPrototypeOf(owner);
  if (!owner) throw new Error(`bench instrument: no ${name} to count`);
  const original = (owner as Record<string, (...a: unknown[]) => unknown>)[name]!;
  (owner as Record<string, unknown>)[name] = function counted(this: unknown, ...args: unknown[]) {
    before(args, this);
    return original.apply(this, args);
  };
}

if (mode === 'true' || mode === 'sites') {
  const require = createRequire(`${process.cwd()}/package.json`);
  const tryRequire = (id: string) => {
    try {
      return require(id);
    } catch {
      return undefined;
    }
  };
  const mysql2 = tryRequire('mysql2') as { Connection: { prototype: object } } | undefined;
  if (mysql2) {
    wrap(mysql2.Connection.prototype, 'query', (args) => count(args[0]));
    // Prepared statements (the lean baseline, and any code that uses execute) run without query().
    wrap(mysql2.Connection.prototype, 'execute', (args) => count(args[0]));
  }
  const sqlite = tryRequire('better-sqlite3') as { prototype: object } | undefined;
  if (sqlite) {
    wrap(sqlite.prototype, 'prepare', (args) => count(args[0]));
    wrap(sqlite.prototype, 'exec', (args) => count(args[0]));
  }
  // Queries through knex (its one Client class every dialect extends; transactions use it too).
  const Client = require('knex/lib/client') as { prototype: object };
  wrap(Client.prototype, 'query', () => {
    counts.knex += 1;
  });

  if (mode === 'sites') {
    // Builders are made synchronously by the code that writes the query (db('table')…, db.raw(…)); they run later,
    // when awaited (from a microtask without the caller's stack). The site is taken when made, counted when run.
    type Sited = { _benchSite?: string; _benchCounted?: boolean };
    // Dialects override queryBuilder(): patch each class that defines its own.
    const classes = [Client, ...['mysql', 'sqlite3'].map((d) => require(`knex/lib/dialects/${d}`) as typeof Client)];
    for (const cls of classes) {
      const proto = cls.prototype as unknown as Record<string, (...args: unknown[]) => Sited>;
      for (const factory of ['queryBuilder', 'raw']) {
        if (!Object.hasOwn(proto, factory)) continue;
        const make = proto[factory]!;
        proto[factory] = function sitedFactory(this: unknown, ...args: unknown[]) {
          const builder = make.apply(this, args);
          const limit = Error.stackTraceLimit;
          Error.stackTraceLimit = 30;
          builder._benchSite = siteOf(new Error().stack ?? '');
          Error.stackTraceLimit = limit;
          return builder;
        };
      }
    }
    for (const path of ['knex/lib/query/querybuilder', 'knex/lib/raw']) {
      wrap((require(path) as { prototype: object }).prototype, 'then', (_args, self) => {
        const builder = self as Sited;
        if (builder._benchCounted) return;
        builder._benchCounted = true;
        const site = builder._benchSite ?? 'unknown';
        counts.sites[site] = (counts.sites[site] ?? 0) + 1;
      });
    }
  }

  process.on('message', (message: { type?: string; id?: number }) => {
    if (message?.type !== 'metrics') return;
    process.send?.({ type: 'metrics', id: message.id, queries: { total: counts.total, byVerb: { ...counts.byVerb }, knex: counts.knex, sites: { ...counts.sites } }, memory: process.memoryUsage() });
  });
  // The IPC channel must not keep the process alive on its own once the server has closed.
  process.channel?.unref();
}

// BENCH_ROUTES=<dir>: the CPU time of the process while each HTTP request was in flight, by route (long ids blanked),
// and each request's start and end on the monotonic clock the CPU profiles use, written to <dir>/routes-<pid>.json
// every second. Meaningful at concurrency 1, where requests do not overlap; `bench/route-profile.ts` attributes a
// profile's samples to the routes.
if (process.env.BENCH_ROUTES) {
  const { Server } = await import('node:http');
  const { writeFileSync } = await import('node:fs');
  const out = `${process.env.BENCH_ROUTES}/routes-${process.pid}.json`;
  const routes: Record<string, { n: number; cpuUs: number }> = {};
  const spans: [string, number, number][] = [];
  const micros = () => Number(process.hrtime.bigint() / 1000n);
  const emit = Server.prototype.emit as (this: unknown, event: string, ...args: unknown[]) => boolean;
  Server.prototype.emit = function emitted(this: unknown, event: string, ...args: unknown[]) {
    if (event === 'request') {
      const [req, res] = args as [{ method: string; url: string }, { once(e: string, f: () => void): void }];
      const key = `${req.method} ${req.url.split('?')[0]!.replace(/\/[A-Za-z0-9_-]{16,}/g, '/:id')}`;
      const start = process.cpuUsage();
      const t0 = micros();
      res.once('finish', () => {
        if (spans.length < 200_000) spans.push([key, t0, micros()]);
        const d = process.cpuUsage(start);
        const r = routes[key] ?? { n: 0, cpuUs: 0 };
        routes[key] = { n: r.n + 1, cpuUs: r.cpuUs + d.user + d.system };
      });
    }
    return emit.call(this, event, ...args);
  } as typeof Server.prototype.emit;
  setInterval(() => writeFileSync(out, JSON.stringify({ routes, spans })), 1000).unref();
}
