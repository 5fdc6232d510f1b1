// Starts Codeword in-process on 127.0.0.1 with a fresh test database; returns its URL and container.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { Config } from '../../src/config/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { type BuildOptions, buildContainer, type Container } from '../../src/container.ts';
import { DEFAULT_PROVIDER_HOSTS } from '../../src/sms/index.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestServer {
  url: string;
  container: Container;
  database: TestDatabase;
  close(): Promise<void>;
}

export const TEST_SECRET = 'test-secret-key-that-is-long-enough-0123456789';

export interface StartOptions extends BuildOptions {
  /** Reuse an existing database (e.g. a second instance); otherwise a fresh one is created and dropped on close. */
  database?: TestDatabase;
  env?: Record<string, string>;
  /** Serve the issuer written with a trailing slash (`http://127.0.0.1:port/`, as Auth0 writes issuers). */
  issuerSlash?: boolean;
}

/** Listens first (to learn the port for the issuer), then builds the app and attaches it. */
export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const owned = !opts.database;
  const database = opts.database ?? (await createTestDatabase());
  // REDIS_URL in the environment runs the servers on Redis counters; one key prefix per database, shared by its instances.
  const redisEnv = process.env.REDIS_URL
    ? { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: `cwtest:${createHash('sha256').update(JSON.stringify(database.database)).digest('hex').slice(0, 16)}:` }
    : {};
  const base = loadConfig({ NODE_ENV: 'test', SECRET_KEY: TEST_SECRET, ISSUER: opts.issuerSlash ? `${url}/` : url, PORT: String(port), DEMO_CLIENT: 'false', ...redisEnv, ...opts.env });
  const config: Readonly<Config> = Object.freeze({ ...base, database: database.database });
  // The fakes listen on 127.0.0.1: listed explicitly, as an operator would list an internal gateway (.example never resolves).
  const sms = { providerHosts: [...DEFAULT_PROVIDER_HOSTS, '127.0.0.1', '*.example'], ...opts.sms };
  const container = await buildContainer(config, { logger: pino({ level: process.env.TEST_LOG ?? 'silent' }), maintenanceIntervalMs: 0, ...opts, sms });
  server.on('request', container.app.callback());
  return {
    url,
    container,
    database,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await container.close();
      if (owned) await database.drop();
    },
  };
}
