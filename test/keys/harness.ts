// One address, one database, and an instance that can be restarted with other keys (as an operator rotating SECRET_KEY).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { type Config, loadConfig } from '../../src/config/index.ts';
import { type BuildOptions, buildContainer, type Container } from '../../src/container.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import type { TestServer } from '../helpers/server.ts';

export const KEY_1 = 'first-secret-key-of-this-deployment-0123456789';
export const KEY_2 = 'second-secret-key-after-rotation-abcdefghijkl';

export interface Clock {
  now: () => number;
  advance(ms: number): void;
}

export function createClock(start = Date.now()): Clock {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

export interface Restartable {
  url: string;
  database: TestDatabase;
  container: Container;
  /** A TestServer view of the running instance, for the shared helpers. */
  server: TestServer;
  /** Stops the running instance and starts another on the same address and database with these keys. */
  restart(secretKey: string, previous?: string[]): Promise<Container>;
  /** Builds an instance without serving it (e.g. to see start-up fail). */
  build(secretKey: string, previous?: string[]): Promise<Container>;
  close(): Promise<void>;
}

export async function startRestartable(secretKey: string, opts: BuildOptions & { env?: Record<string, string> } = {}): Promise<Restartable> {
  const http: Server = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const database = await createTestDatabase();
  const build = async (key: string, previous: string[] = []) => {
    const env = { NODE_ENV: 'test', SECRET_KEY: key, PREVIOUS_SECRET_KEYS: previous.join(','), ISSUER: url, DEMO_CLIENT: 'false', ...opts.env };
    const config: Readonly<Config> = Object.freeze({ ...loadConfig(env), database: database.database });
    return buildContainer(config, { logger: pino({ level: process.env.TEST_LOG ?? 'silent' }), maintenanceIntervalMs: 0, smsWorker: false, ...opts });
  };
  let container = await build(secretKey);
  http.on('request', container.app.callback());
  const self: Restartable = {
    url,
    database,
    container,
    get server(): TestServer {
      return { url, container, database, close: () => self.close() };
    },
    build,
    async restart(key, previous = []) {
      http.removeAllListeners('request');
      http.closeAllConnections();
      await container.close();
      container = await build(key, previous);
      self.container = container;
      http.on('request', container.app.callback());
      return container;
    },
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await container.close();
      await database.drop();
    },
  };
  return self;
}
