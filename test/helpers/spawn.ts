// Starts Codeword as an operator does, through an npm script (`npm start` by default), as a child process on a free port.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from './db.ts';

const projectDir = fileURLToPath(new URL('../../', import.meta.url));

export interface SpawnedServer {
  url: string;
  /** Environment the server runs with (for running the CLI against the same database). */
  env: Record<string, string>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Stops the process group (npm, its shell and node) and drops the database. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function databaseUrl(db: TestDatabase): string {
  return db.database.client === 'mysql2' ? db.database.url : `sqlite:${db.database.filename}`;
}

/** Output and exit code of an npm script run with `env` (e.g. `['run', 'cli', '--', 'client:list']`). */
export function runNpm(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd: projectDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * Runs `npm <args>` (default `start`) with a fresh database and data directory; resolves once it listens.
 * `defaultDatabase`: no DATABASE_URL, so the server makes its own empty SQLite file in the fresh DATA_DIR, as on a fresh clone.
 */
export async function spawnServer(opts: { args?: string[]; env?: Record<string, string>; readyTimeoutMs?: number; defaultDatabase?: boolean } = {}): Promise<SpawnedServer> {
  const db = opts.defaultDatabase ? { drop: async () => {} } : await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'cw-spawn-'));
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    PORT: String(port),
    DATA_DIR: dataDir,
    ...('database' in db ? { DATABASE_URL: databaseUrl(db) } : {}),
    LOG_LEVEL: 'info',
    ...opts.env,
  };
  const inherited = { ...process.env };
  if (opts.defaultDatabase) delete inherited.DATABASE_URL;
  const child: ChildProcess = spawn('npm', opts.args ?? ['start'], { cwd: projectDir, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGTERM');
      const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 150_000);
  while (!/Codeword is serving/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`server did not start (exit ${child.exitCode}):\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://localhost:${port}`, env, output: () => output, stop };
}
