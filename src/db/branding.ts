// Branding repository: the installation's row (client_id '') and one row per app with branding of its own.
import type { Knex } from 'knex';
import type { BrandImage } from '../branding/images.ts';

/** One stored branding; null fields are not set here (an app falls back to the installation's value). */
export interface StoredBranding {
  /** null: the installation's own branding. */
  clientId: string | null;
  name: string | null;
  primaryColor: string | null;
  supportContact: string | null;
  logo: BrandImage | null;
  favicon: BrandImage | null;
  css: string | null;
  updatedAt: number | null;
}

export type BrandingFields = Omit<StoredBranding, 'clientId' | 'updatedAt'>;

type Row = Record<string, unknown>;
const GLOBAL = '';

const imageOf = (r: Row, prefix: 'logo' | 'favicon'): BrandImage | null => {
  const data = r[`${prefix}_data`];
  if (typeof data !== 'string' || !data) return null;
  return { type: String(r[`${prefix}_type`]), data: Buffer.from(data, 'base64'), sha256: String(r[`${prefix}_hash`]) };
};

const fromRow = (r: Row): StoredBranding => ({
  clientId: r.client_id === GLOBAL ? null : String(r.client_id),
  name: (r.name as string | null) ?? null,
  primaryColor: (r.primary_color as string | null) ?? null,
  supportContact: (r.support_contact as string | null) ?? null,
  logo: imageOf(r, 'logo'),
  favicon: imageOf(r, 'favicon'),
  css: (r.css as string | null) ?? null,
  updatedAt: r.updated_at == null ? null : Number(r.updated_at),
});

const columns = (f: BrandingFields) => ({
  name: f.name,
  primary_color: f.primaryColor,
  support_contact: f.supportContact,
  logo_type: f.logo?.type ?? null,
  logo_data: f.logo ? f.logo.data.toString('base64') : null,
  logo_hash: f.logo?.sha256 ?? null,
  favicon_type: f.favicon?.type ?? null,
  favicon_data: f.favicon ? f.favicon.data.toString('base64') : null,
  favicon_hash: f.favicon?.sha256 ?? null,
  css: f.css,
});

export const emptyBranding = (clientId: string | null): StoredBranding => ({
  clientId,
  name: null,
  primaryColor: null,
  supportContact: null,
  logo: null,
  favicon: null,
  css: null,
  updatedAt: null,
});

export function createBrandingRepo(db: Knex, now: () => number = Date.now) {
  const key = (clientId: string | null) => clientId ?? GLOBAL;
  return {
    /** The installation's row and the app's, in one query (either may be missing). */
    async pair(clientId: string | null): Promise<{ global: StoredBranding | undefined; app: StoredBranding | undefined }> {
      const rows = (await db('branding').whereIn('client_id', clientId ? [GLOBAL, clientId] : [GLOBAL])).map(fromRow);
      return { global: rows.find((r) => r.clientId === null), app: clientId ? rows.find((r) => r.clientId === clientId) : undefined };
    },

    async get(clientId: string | null): Promise<StoredBranding | undefined> {
      const row = await db('branding').where({ client_id: key(clientId) }).first();
      return row ? fromRow(row) : undefined;
    },

    /** The apps with branding of their own, by client id. */
    async listApps(): Promise<StoredBranding[]> {
      return (await db('branding').whereNot({ client_id: GLOBAL }).orderBy('client_id')).map(fromRow);
    },

    async save(clientId: string | null, fields: BrandingFields): Promise<StoredBranding> {
      const at = now();
      const values = columns(fields);
      await db('branding')
        .insert({ client_id: key(clientId), ...values, updated_at: at })
        .onConflict('client_id')
        .merge([...Object.keys(values), 'updated_at']);
      return { clientId, ...fields, updatedAt: at };
    },

    async remove(clientId: string | null): Promise<boolean> {
      return (await db('branding').where({ client_id: key(clientId) }).delete()) > 0;
    },
  };
}

export type BrandingRepo = ReturnType<typeof createBrandingRepo>;
