// First start: the first admin user, the admin API's first machine client, and the console's own client.
import { randomBytes } from 'node:crypto';
import { ADMIN_ROLE, ADMIN_SCOPES, CONSOLE_CLIENT_ID } from '../admin/constants.ts';
import type { Config } from '../config/index.ts';
import type { ClientsRepo } from '../db/clients.ts';
import { UnknownSecretKeyError } from '../security/secrets.ts';
import type { UsersRepo } from '../db/users.ts';
import type { Logger } from '../logger.ts';
import { hashPassword } from '../security/passwords.ts';

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
  if (created) logger.warn(`Development: created admin "admin" with password "${generated}" (shown once). Console: ${config.urlBase}/admin`);
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

/**
 * The console signs admins in through Codeword itself, as a first-party client. Its secret is made once and kept:
 * every instance on the database reads the same one, so restarting one never breaks console sign-in on the others.
 */
export async function ensureConsoleClient(clients: ClientsRepo, urlBase: string): Promise<void> {
  // Nobody else knows this secret: one sealed under a key no longer configured is simply replaced.
  const stored = await clients.find(CONSOLE_CLIENT_ID).then(
    (c) => c?.metadata.client_secret,
    (err) => {
      if (err instanceof UnknownSecretKeyError) return undefined;
      throw err;
    },
  );
  await clients.upsert(
    {
      client_id: CONSOLE_CLIENT_ID,
      client_secret: typeof stored === 'string' && stored ? stored : randomBytes(32).toString('base64url'),
      client_name: 'Codeword admin console',
      redirect_uris: [`${urlBase}/admin/callback`],
      post_logout_redirect_uris: [`${urlBase}/admin`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    { firstParty: true },
  );
}
