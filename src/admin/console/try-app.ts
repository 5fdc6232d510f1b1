// The built-in test app behind the SMS connection's "Try" button: offered SMS sign-in only when the connection lists it, usable only from the console.
import type { Context } from 'koa';
import type { ClientsRepo } from '../../db/clients.ts';
import { readJsonCookie, writeJsonCookie } from '../../http/json-cookie.ts';
import { CONSOLE_CLIENT_ID } from '../constants.ts';

export const TRY_CLIENT_ID = 'codeword-sms-try';
export const TRY_CALLBACK_PATH = '/admin/connection/try/callback';

/** Clients Codeword registers itself (the console hides their delete button). */
export const BUILTIN_CLIENTS: readonly string[] = [CONSOLE_CLIENT_ID, TRY_CLIENT_ID];

/** The signed cookie the console sets when an admin starts a test: it names the one authorization request it allows. */
const TICKET = 'cw_try';
const TICKET_MS = 15 * 60 * 1000;

interface TryTicket {
  /** The `state` of the authorization request the console started. */
  state: string;
  /** The console session that started it. */
  sid: string;
  exp: number;
}

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

/** Called by the console's "Try": lets this browser, and only for this request, through the test app's sign-in screens. */
export function issueTryTicket(ctx: Context, t: { state: string; sid: string; secure: boolean; now?: number }): void {
  const ticket: TryTicket = { state: t.state, sid: t.sid, exp: (t.now ?? Date.now()) + TICKET_MS };
  writeJsonCookie(ctx, TICKET, ticket, { secure: t.secure, path: '/interaction', maxAgeMs: TICKET_MS });
}

/**
 * Whether this browser may sign in to this client here: every client may, except the test app, which needs the ticket
 * of the console session that started this very authorization request.
 */
export function tryAppGate(now: () => number = Date.now) {
  return (ctx: Context, clientId: string, params: Record<string, unknown>): boolean => {
    if (clientId !== TRY_CLIENT_ID) return true;
    const ticket = readJsonCookie<TryTicket>(ctx, TICKET);
    return Boolean(ticket && typeof ticket.state === 'string' && ticket.state === params.state && typeof ticket.exp === 'number' && ticket.exp > now());
  };
}
