// Clients repository: relying parties stored with RFC 7591 metadata names; secrets encrypted at rest.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { SecretBox } from '../security/secrets.ts';
import { jsonColumn } from './knex.ts';
import { copyJson, localSettingsCache, type SettingsCache } from './recent.ts';

export interface ClientMetadata {
  client_id: string;
  client_secret?: string;
  client_name: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  grant_types?: string[];
  response_types?: string[];
  token_endpoint_auth_method?: string;
  scope?: string;
  [key: string]: unknown;
}

export interface NewClient {
  client_id?: string;
  client_secret?: string;
  client_name: string;
  redirect_uris?: string[];
  post_logout_redirect_uris?: string[];
  grant_types?: string[];
  response_types?: string[];
  token_endpoint_auth_method?: string;
  scope?: string;
  [key: string]: unknown;
}

export interface StoredClient {
  metadata: ClientMetadata;
  firstParty: boolean;
  disabled: boolean;
  createdAt?: number;
  updatedAt?: number;
}

export function createClientsRepo(db: Knex, box: SecretBox, now: () => number = Date.now, settings: SettingsCache = localSettingsCache()) {
  // The provider looks a client up several times per sign-in; the decrypted row is cached with the other settings.
  const cache = settings.recent<string, StoredClient | undefined>();
  const load = async (clientId: string): Promise<StoredClient | undefined> => {
    const row = await db('clients').where({ client_id: clientId }).first();
    if (!row) return undefined;
    const metadata = jsonColumn<ClientMetadata>(row.metadata, {} as ClientMetadata);
    metadata.client_id = row.client_id;
    metadata.client_name = row.client_name;
    if (row.client_secret) metadata.client_secret = box.decrypt(row.client_secret, `client ${row.client_id}'s secret`);
    return { metadata, firstParty: Boolean(row.first_party), disabled: Boolean(row.disabled), createdAt: Number(row.created_at), updatedAt: Number(row.updated_at) };
  };

  return {
    /** A copy each time: callers may change what they get without touching the cached row. */
    async find(clientId: string): Promise<StoredClient | undefined> {
      const found = await cache.get(clientId, () => load(clientId));
      return found && copyJson(found);
    },

    /** A page of clients ordered by client_id, without their secrets (nothing is decrypted). */
    async list(q: { limit: number; offset: number }): Promise<StoredClient[]> {
      const rows = await db('clients').orderBy('client_id').limit(q.limit).offset(q.offset);
      return rows.map((row) => {
        const metadata = jsonColumn<ClientMetadata>(row.metadata, {} as ClientMetadata);
        metadata.client_id = row.client_id;
        metadata.client_name = row.client_name;
        return { metadata, firstParty: Boolean(row.first_party), disabled: Boolean(row.disabled), createdAt: Number(row.created_at), updatedAt: Number(row.updated_at) };
      });
    },

    /** A disabled client is unknown to the provider (no sign-in, no tokens). Returns false when it does not exist. */
    async setDisabled(clientId: string, disabled: boolean): Promise<boolean> {
      const changed = await db('clients').where({ client_id: clientId }).update({ disabled, updated_at: now() });
      await settings.changed();
      return changed > 0;
    },

    async remove(clientId: string): Promise<boolean> {
      const removed = await db('clients').where({ client_id: clientId }).delete();
      await settings.changed();
      return removed > 0;
    },

    /** Creates or replaces a client. Returns its metadata including a generated secret for confidential clients. */
    async upsert(input: NewClient, opts: { firstParty?: boolean } = {}): Promise<ClientMetadata> {
      const clientId = input.client_id ?? randomBytes(12).toString('base64url');
      const { client_secret: givenSecret, client_id: _id, client_name, ...rest } = input;
      const confidential = (input.token_endpoint_auth_method ?? 'client_secret_basic') !== 'none';
      const secret = confidential ? (givenSecret ?? randomBytes(32).toString('base64url')) : undefined;
      const at = now();
      await db('clients')
        .insert({
          client_id: clientId,
          client_secret: secret ? box.encrypt(secret) : null,
          client_name,
          metadata: JSON.stringify(rest),
          first_party: opts.firstParty ?? false,
          disabled: false,
          created_at: at,
          updated_at: at,
        })
        .onConflict('client_id')
        .merge(['client_secret', 'client_name', 'metadata', 'first_party', 'updated_at']);
      await settings.changed();
      return { ...input, client_id: clientId, client_name, ...(secret ? { client_secret: secret } : {}) } as ClientMetadata;
    },

    async exists(clientId: string): Promise<boolean> {
      return Boolean(await db('clients').where({ client_id: clientId }).first('client_id'));
    },
  };
}

export type ClientsRepo = ReturnType<typeof createClientsRepo>;
