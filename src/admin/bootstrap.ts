// First start: the first admin user, the admin API's first machine client, and the console's own client.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/index.ts';
import type { ClientsRepo } from '../db/clients.ts';
import type { UsersRepo } from '../db/users.ts';
import type { Logger } from '../logger.ts';
import { hashPassword } from '../security/passwords.ts';

export const ADMIN_ROLE = 'admin';
export const ADMIN_SCOPES = ['admin', 'admin:read'] as const;
export const CONSOLE_CLIENT_ID = 'codeword-admin-console';

/** Creates the first admin from ADMIN_USERNAME/ADMIN_PASSWORD, or in development a generated one, printed once. */
export async function ensureFirstAdmin(users: UsersRepo, config: Readonly<Config>, logger: Logger): Promise<void> {
  if (await users.hasRole(ADMIN_ROLE)) return;
  const { username, password } = config.admin;
  if (username && password) {
    if (await users.findByLogin(username)) return;
    await users.create({ username, passwordHash: await hashPassword(password), name: 'Administrator', roles: [ADMIN_ROLE] }).catch(() => undefined);
    logger.info(`Created the first admin "${username}".`);
    return;
  }
  if (config.env !== 'development') return;
  const generated = randomBytes(12).toString('base64url');
  const created = await users
    .create({ username: 'admin', passwordHash: await hashPassword(generated), name: 'Administrator', roles: [ADMIN_ROLE] })
    .catch(() => undefined); // another instance created it first, or the name is taken
  if (created) logger.warn(`Development: created admin "admin" with password "${generated}" (shown once). Console: ${config.issuer}/admin`);
}

/** Registers the admin API's first machine client (client credentials, admin scopes) when configured. */
export async function ensureAdminMachineClient(clients: ClientsRepo, config: Readonly<Config>): Promise<void> {
  const { clientId, clientSecret } = config.admin;
  if (!clientId || !clientSecret || (await clients.exists(clientId))) return;
  await clients.upsert({
    client_id: clientId,
    client_secret: clientSecret,
    client_name: 'Admin API client',
    redirect_uris: [],
    grant_types: ['client_credentials'],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: ADMIN_SCOPES.join(' '),
  });
}

/** The console signs admins in through Codeword itself, as a first-party client; its secret is renewed at each start. */
export async function ensureConsoleClient(clients: ClientsRepo, issuer: string): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  await clients.upsert(
    {
      client_id: CONSOLE_CLIENT_ID,
      client_secret: secret,
      client_name: 'Codeword admin console',
      redirect_uris: [`${issuer}/admin/callback`],
      post_logout_redirect_uris: [`${issuer}/admin`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    { firstParty: true },
  );
  return secret;
}
