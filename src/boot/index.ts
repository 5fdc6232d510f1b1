// First start (and every start after): the rows Codeword needs before it serves — the first admin, the admin API's
// machine client, the built-in clients, and in development the demo app and user. Each step is safe with several instances.
import { ensureTryClient } from '../admin/console/try-app.ts';
import type { Config } from '../config/index.ts';
import type { ClientsRepo } from '../db/clients.ts';
import type { UsersRepo } from '../db/users.ts';
import { ensureDemoUser } from '../dev/bootstrap.ts';
import { ensureDemoClient } from '../dev/demo.ts';
import { type DevSmsDeps, ensureDevSms } from '../dev/sms.ts';
import type { Logger } from '../logger.ts';
import { ensureAdminMachineClient, ensureConsoleClient, ensureFirstAdmin } from './admin.ts';

export interface SeedDeps {
  config: Readonly<Config>;
  users: UsersRepo;
  clients: ClientsRepo;
  logger: Logger;
  /** In development, what SMS sign-in out of the box sets up (see dev/sms.ts). */
  devSms?: Omit<DevSmsDeps, 'users' | 'logger' | 'urlBase'>;
}

export async function seedFirstStart({ config, users, clients, logger, devSms }: SeedDeps): Promise<void> {
  await ensureFirstAdmin(users, config, logger);
  await ensureAdminMachineClient(clients, config);
  await ensureConsoleClient(clients, config.urlBase);
  await ensureTryClient(clients, config.urlBase);
  if (config.demoClient) {
    await ensureDemoClient(clients, config.urlBase);
    await ensureDemoUser(users, logger);
    if (config.env === 'development' && devSms) await ensureDevSms({ ...devSms, users, logger, urlBase: config.urlBase });
  }
}
