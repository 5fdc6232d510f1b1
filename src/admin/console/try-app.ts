// The built-in test app behind the SMS connection's "Try" button: registered at start, offered SMS sign-in whenever the connection is on.
import type { ClientsRepo } from '../../db/clients.ts';
import type { SmsConnectionStore } from '../../settings/sms-connection.ts';
import { CONSOLE_CLIENT_ID } from '../constants.ts';

export const TRY_CLIENT_ID = 'codeword-sms-try';
export const TRY_CALLBACK_PATH = '/admin/connection/try/callback';

/** Clients Codeword registers itself (the console hides their delete button). */
export const BUILTIN_CLIENTS: readonly string[] = [CONSOLE_CLIENT_ID, TRY_CLIENT_ID];

/** A public first-party client (PKCE, no secret): nothing to keep in step between instances. */
export async function ensureTryClient(clients: Pick<ClientsRepo, 'upsert'>, issuer: string): Promise<void> {
  await clients.upsert(
    {
      client_id: TRY_CLIENT_ID,
      client_name: 'SMS sign-in test (admin console)',
      redirect_uris: [`${issuer}${TRY_CALLBACK_PATH}`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: 'openid profile phone',
    },
    { firstParty: true },
  );
}

export interface TryAppDeps {
  connection: Pick<SmsConnectionStore, 'get'>;
  accountReady(accountId: string): Promise<boolean>;
}

/** Wraps "does this app offer SMS sign-in": the test app does whenever the connection is on with a verified account. */
export function offerSmsToTryApp(availableFor: (clientId: string) => Promise<boolean>, { connection, accountReady }: TryAppDeps) {
  return async (clientId: string): Promise<boolean> => {
    if (clientId !== TRY_CLIENT_ID) return availableFor(clientId);
    const c = await connection.get();
    return c.enabled && c.accountId !== null && (await accountReady(c.accountId));
  };
}
