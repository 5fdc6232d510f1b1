// Where an error screen sends the user back to: the app of this request, or the app this browser last signed in to.
import type { Context } from 'koa';
import type Provider from 'oidc-provider';

export interface WayBack {
  /** The app's home: client_uri, initiate_login_uri, its first post-logout redirect URI, else the origin of its first redirect URI. */
  href: string;
  /** The app's name as users know it. */
  client: string;
  /** The app's id (its error screens show its branding). */
  clientId: string;
}

type ClientLike = {
  clientId: string;
  clientName?: string;
  clientUri?: string;
  initiateLoginUri?: string;
  postLogoutRedirectUris?: string[];
  redirectUris?: string[];
};

function home(client: ClientLike): WayBack | undefined {
  const redirect = client.redirectUris?.[0];
  const href = client.clientUri ?? client.initiateLoginUri ?? client.postLogoutRedirectUris?.[0] ?? (redirect ? new URL(redirect).origin : undefined);
  if (!href || !/^https?:\/\//.test(href)) return undefined;
  return { href, client: client.clientName ?? client.clientId, clientId: client.clientId };
}

export function createWayBack(provider: Provider): (ctx: Context) => Promise<WayBack | undefined> {
  return async (ctx) => {
    const own = (ctx as Context & { oidc?: { client?: ClientLike } }).oidc?.client;
    if (own) return home(own);
    // After a finished sign-in (e.g. the browser's Back button), the interaction is gone but the session remembers the app.
    const session = await provider.Session.get(ctx);
    const clientIds = Object.keys((session as unknown as { authorizations?: Record<string, unknown> }).authorizations ?? {});
    const last = clientIds[clientIds.length - 1];
    const client = last ? await provider.Client.find(last) : undefined;
    return client ? home(client as unknown as ClientLike) : undefined;
  };
}
