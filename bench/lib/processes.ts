// Child processes of a run (servers, fake Twilio, seed, load generator): started with this Node (and tsx, except for
// Codeword, which runs its compiled build as `npm start` does), output kept for diagnostics, stopped by their own pid only.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = new URL('../../', import.meta.url).pathname;

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** The last lines it wrote (stdout and stderr). */
  output(): string;
  exited: Promise<number | null>;
  stop(timeoutMs?: number): Promise<void>;
}

export function spawnNode(name: string, args: string[], env: Record<string, string>, opts: { ipc?: boolean; nodeOptions?: string[]; tsx?: boolean } = {}): Child {
  const proc = spawn(process.execPath, [...(opts.nodeOptions ?? []), ...(opts.tsx === false ? [] : ['--import', 'tsx']), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...(opts.ipc ? (['ipc'] as const) : [])],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(line);
    if (lines.length > 200) lines.splice(0, lines.length - 200);
    if (process.env.BENCH_TEE) process.stderr.write(chunk);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    name,
    proc,
    pid: proc.pid!,
    output: () => lines.join('\n'),
    exited,
    async stop(timeoutMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(timeoutMs, false, { ref: false })]);
      if (!done) {
        proc.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Resolves with the `ready` object of the first JSON line `{"ready": …}` the child prints. */
export function readyLine<T>(child: Child, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`${child.name} not ready after ${timeoutMs} ms:\n${child.output()}`)), timeoutMs);
    child.proc.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith('{"ready"')) continue;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { ready: T }).ready);
      }
    });
    child.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${child.name} exited (${code}) before it was ready:\n${child.output()}`));
    });
  });
}

/** Waits until GET url answers 200 (the server listens and reaches its database). */
export async function waitHttp(url: string, child: Child, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null) throw new Error(`${child.name} exited (${child.proc.exitCode}):\n${child.output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.setTimeout(2000, () => req.destroy());
      req.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.output()}`);
}

/** Runs a child to its end; rejects when it fails. */
export async function runToEnd(child: Child, timeoutMs = 300_000): Promise<void> {
  const code = await Promise.race([child.exited, sleep(timeoutMs, 'timeout' as const, { ref: false })]);
  if (code === 'timeout') {
    await child.stop();
    throw new Error(`${child.name} did not finish within ${timeoutMs} ms:\n${child.output()}`);
  }
  if (code !== 0) throw new Error(`${child.name} failed (${code}):\n${child.output()}`);
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ServerMetrics {
  queries: { total: number; byVerb: Record<string, number>; knex: number; sites: Record<string, number> };
  memory: NodeJS.MemoryUsage;
}

let nextId = 0;
/** Asks a server started with bench/instrument.ts for its counters (over IPC). */
export function serverMetrics(child: Child, timeoutMs = 5000): Promise<ServerMetrics | undefined> {
  const id = ++nextId;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.proc.off('message', onMessage);
      resolve(undefined);
    }, timeoutMs);
    const onMessage = (m: { type?: string; id?: number } & ServerMetrics) => {
      if (m?.type !== 'metrics' || m.id !== id) return;
      clearTimeout(timer);
      child.proc.off('message', onMessage);
      resolve(m);
    };
    child.proc.on('message', onMessage);
    if (!child.proc.connected) {
      clearTimeout(timer);
      resolve(undefined);
      return;
    }
    child.proc.send({ type: 'metrics', id });
  });
}

/**
 * Builds Codeword (`npm run build`: dist/) and the SQL-counting preload as plain JavaScript (dist/bench-instrument.mjs),
 * so the measured server loads no TypeScript tooling. Returns the preload's path.
 */
export async function buildForBench(): Promise<string> {
  await runToEnd(spawnNode('build', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {}, { tsx: false }));
  const ts = (await import('typescript')).default;
  const source = readFileSync(join(ROOT, 'bench/instrument.ts'), 'utf8');
  const out = join(ROOT, 'dist/bench-instrument.mjs');
  writeFileSync(out, ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023 } }).outputText);
  return out;
}
