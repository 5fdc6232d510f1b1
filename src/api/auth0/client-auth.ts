// Client authentication for the passwordless API, as the client is registered: secret (body or Basic), private_key_jwt, or none.
import { Buffer } from 'node:buffer';
import type { Context } from 'koa';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import type Provider from 'oidc-provider';
import { startError } from './errors.ts';

type Client = NonNullable<Awaited<ReturnType<Provider['Client']['find']>>>;

export interface ClientCredentials {
  client_id?: string;
  client_secret?: string;
  client_assertion?: string;
  client_assertion_type?: string;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Client id and secret from an `Authorization: Basic` header (RFC 6749 §2.3.1 form-encoding), or undefined. */
function basic(ctx: Context): { id: string; secret: string } | undefined {
  const header = ctx.get('authorization');
  if (!header) return undefined;
  const [scheme, value] = header.split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !value) throw startError('unauthorized_client');
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 1) throw startError('unauthorized_client');
  try {
    const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, '%20'));
    return { id: formDecode(decoded.slice(0, i)), secret: formDecode(decoded.slice(i + 1)) };
  } catch {
    throw startError('unauthorized_client');
  }
}

export interface ClientAuthDeps {
  provider: Provider;
  /** The audiences a client assertion may name: the issuer (as configured) and this API's endpoint URLs. */
  audiences: readonly string[];
}

/**
 * Authenticates the calling client with the method it is registered with, by oidc-provider's own client model
 * (constant-time secret comparison, its replay store for assertion ids). Returns the client and whether it proved
 * a credential (confidential) or is public.
 */
export function createClientAuth({ provider, audiences }: ClientAuthDeps) {
  const remoteSets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  const keysOf = (client: Client) => {
    const uri = client.jwksUri;
    if (uri) {
      const known = remoteSets.get(uri);
      if (known) return known;
      const made = createRemoteJWKSet(new URL(uri));
      remoteSets.set(uri, made);
      return made;
    }
    return createLocalJWKSet((client.jwks ?? { keys: [] }) as JSONWebKeySet);
  };

  async function assertion(client: Client, jwt: string): Promise<void> {
    let payload: { iss?: string; sub?: string; jti?: string; exp?: number };
    try {
      ({ payload } = await jwtVerify(jwt, keysOf(client), { audience: [...audiences], issuer: client.clientId, subject: client.clientId, clockTolerance: 15 }));
    } catch {
      throw startError('unauthorized_client');
    }
    if (!payload.jti || !payload.exp) throw startError('unauthorized_client');
    const unique = await provider.ReplayDetection.unique(client.clientId, payload.jti, payload.exp + 15);
    if (!unique) throw startError('unauthorized_client', 'Client assertions may be used only once.');
  }

  return async function authenticate(ctx: Context, body: ClientCredentials): Promise<{ client: Client; confidential: boolean }> {
    const fromHeader = basic(ctx);
    const given = [fromHeader, body.client_secret, body.client_assertion].filter((v) => v !== undefined);
    if (given.length > 1) throw startError('unauthorized_client', 'Use one client authentication method only.');
    if (fromHeader && body.client_id !== undefined && body.client_id !== fromHeader.id) throw startError('bad.client_id', 'client_id does not match the Authorization header.');
    const clientId = fromHeader?.id ?? body.client_id;
    if (!clientId) throw startError('bad.client_id', 'Missing required property: client_id.');
    const client = clientId.length <= 128 ? await provider.Client.find(clientId) : undefined;
    if (!client) throw startError('bad.client_id', 'Unknown client.');

    const method = client.clientAuthMethod;
    const secret = fromHeader?.secret ?? body.client_secret;
    if (method === 'none') {
      if (secret !== undefined || body.client_assertion !== undefined) throw startError('unauthorized_client', 'This public client has no credentials to send.');
      return { client, confidential: false };
    }
    if (method === 'client_secret_basic' || method === 'client_secret_post') {
      if (secret === undefined || !(await client.compareClientSecret(secret))) throw startError('unauthorized_client');
      return { client, confidential: true };
    }
    if (method === 'private_key_jwt') {
      if (body.client_assertion === undefined || body.client_assertion_type !== ASSERTION_TYPE) throw startError('unauthorized_client');
      await assertion(client, body.client_assertion);
      return { client, confidential: true };
    }
    throw startError('unauthorized_client', 'This client authentication method is not supported here.');
  };
}

export type ClientAuth = ReturnType<typeof createClientAuth>;
