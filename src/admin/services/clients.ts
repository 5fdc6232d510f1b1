// Admin operations on clients: validated by our schema and by oidc-provider, secrets generated here and shown once.
import type { z } from 'zod';
import { randomBytes } from 'node:crypto';
import { CONSOLE_CLIENT_ID } from '../constants.ts';
import type { ClientMetadata, ClientsRepo, StoredClient } from '../../db/clients.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from './actor.ts';
import type { AuditTrail } from './audit-trail.ts';
import { offsetPaged, type Page } from './page.ts';
import type { clientCreateInput, clientListQuery, clientPatchInput, ClientView, ClientWithSecret } from './schemas/clients.ts';

export interface ClientsAdminDeps {
  clients: ClientsRepo;
  /** oidc-provider's own check of client metadata (throws invalid_client_metadata). */
  validateClient(metadata: ClientMetadata): Promise<void>;
  audit: AuditTrail;
}

const newSecret = () => randomBytes(32).toString('base64url');

const view = (c: StoredClient): ClientView => {
  const m = c.metadata;
  const grants = m.grant_types ?? ['authorization_code', 'refresh_token'];
  return {
    client_id: m.client_id,
    client_name: m.client_name,
    redirect_uris: m.redirect_uris ?? [],
    post_logout_redirect_uris: m.post_logout_redirect_uris ?? [],
    grant_types: grants,
    response_types: m.response_types ?? (grants.includes('authorization_code') ? ['code'] : []),
    token_endpoint_auth_method: m.token_endpoint_auth_method ?? 'client_secret_basic',
    scope: typeof m.scope === 'string' && m.scope ? m.scope : null,
    first_party: c.firstParty,
    disabled: c.disabled,
    forwarded_for_trusted: m.forwarded_for_trusted === true,
    created_at: c.createdAt ?? null,
    updated_at: c.updatedAt ?? null,
  };
};

export function createClientsAdmin({ clients, validateClient, audit }: ClientsAdminDeps) {
  async function mustFind(id: string): Promise<StoredClient> {
    const c = typeof id === 'string' && id.length <= 128 ? await clients.find(id) : undefined;
    if (!c) throw new AppError('client_not_found', 404, { message: `client ${JSON.stringify(id)} does not exist` });
    return c;
  }

  /** Checks the metadata the provider will load, translating its error into ours. */
  async function check(metadata: ClientMetadata): Promise<void> {
    try {
      await validateClient(metadata);
    } catch (err) {
      const e = err as { error?: string; error_description?: string; message?: string };
      if (e.error !== 'invalid_client_metadata' && e.error !== 'invalid_redirect_uri') throw err;
      throw new AppError('invalid_client_metadata', 400, { message: e.error_description ?? e.message ?? 'invalid client metadata' });
    }
  }

  /** Stores metadata (secret included) and the admin flags, then reads the client back. */
  async function store(metadata: ClientMetadata, firstParty: boolean, disabled: boolean): Promise<StoredClient> {
    const { client_secret: _omit, ...rest } = metadata;
    await clients.upsert({ ...rest, client_secret: metadata.client_secret }, { firstParty });
    await clients.setDisabled(metadata.client_id, disabled);
    return mustFind(metadata.client_id);
  }

  const service = {
    async list(q: z.output<typeof clientListQuery>): Promise<Page<ClientView>> {
      const page = await offsetPaged(q, (limit, offset) => clients.list({ limit, offset }));
      return { ...page, items: page.items.map(view) };
    },

    async get(id: string): Promise<ClientView> {
      return view(await mustFind(id));
    },

    async create(actor: Actor, c: z.output<typeof clientCreateInput>): Promise<ClientWithSecret> {
      const clientId = c.client_id ?? randomBytes(12).toString('base64url');
      if (await clients.exists(clientId)) {
        throw new AppError('client_exists', 409, { message: `client_id: a client ${JSON.stringify(clientId)} already exists`, params: { field: 'client_id' } });
      }
      const secret = c.token_endpoint_auth_method === 'none' ? undefined : newSecret();
      const metadata: ClientMetadata = {
        client_id: clientId,
        client_name: c.client_name,
        redirect_uris: c.redirect_uris,
        post_logout_redirect_uris: c.post_logout_redirect_uris,
        grant_types: c.grant_types,
        response_types: c.grant_types.includes('authorization_code') ? ['code'] : [],
        token_endpoint_auth_method: c.token_endpoint_auth_method,
        ...(c.scope ? { scope: c.scope } : {}),
        ...(c.forwarded_for_trusted ? { forwarded_for_trusted: true } : {}),
        ...(secret ? { client_secret: secret } : {}),
      };
      await check(metadata);
      const after = view(await store(metadata, c.first_party, c.disabled));
      await audit.record(actor, 'client.create', clientId, { after });
      return { ...after, client_secret: secret ?? null };
    },

    /** Changes metadata or flags; the secret is kept (a public client made confidential needs a secret rotation). */
    async update(actor: Actor, id: string, p: z.output<typeof clientPatchInput>): Promise<ClientView> {
      const current = await mustFind(id);
      const before = view(current);
      const { scope, first_party, disabled, ...meta } = p;
      const merged: ClientMetadata = { ...current.metadata, ...Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined)) };
      if (scope === null) delete merged.scope;
      else if (scope !== undefined) merged.scope = scope;
      const grants = merged.grant_types ?? [];
      merged.response_types = grants.includes('authorization_code') ? ['code'] : [];
      if (merged.token_endpoint_auth_method === 'none') delete merged.client_secret;
      else merged.client_secret ??= newSecret();
      await check(merged);
      const after = view(await store(merged, first_party ?? current.firstParty, disabled ?? current.disabled));
      await audit.record(actor, 'client.update', id, { before, after });
      return after;
    },

    /** A new secret for a confidential client; the old one stops working at once. */
    async rotateSecret(actor: Actor, id: string): Promise<ClientWithSecret> {
      const current = await mustFind(id);
      if (current.metadata.token_endpoint_auth_method === 'none') {
        throw new AppError('client_public', 422, { message: 'a public client (token_endpoint_auth_method none) has no secret' });
      }
      const secret = newSecret();
      const after = view(await store({ ...current.metadata, client_secret: secret }, current.firstParty, current.disabled));
      await audit.record(actor, 'client.secret.rotate', id, { secretRotated: true });
      return { ...after, client_secret: secret };
    },

    async remove(actor: Actor, id: string): Promise<void> {
      const current = await mustFind(id);
      if (id === CONSOLE_CLIENT_ID) {
        throw new AppError('client_builtin', 422, { message: 'the admin console client is built in and cannot be deleted' });
      }
      await clients.remove(id);
      await audit.record(actor, 'client.delete', id, { before: view(current) });
    },
  };
  return service;
}

export type ClientsAdmin = ReturnType<typeof createClientsAdmin>;
