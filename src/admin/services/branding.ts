// Admin operations on branding (the installation's and each app's): the app checked, the change stored and audited.
import type { Branding } from '../../branding/service.ts';
import { scopePath } from '../../branding/service.ts';
import type { BrandingPatch } from '../../branding/schema.ts';
import type { BrandImage } from '../../branding/images.ts';
import { sha256 } from '../../branding/images.ts';
import { type BrandingFields, type BrandingRepo, emptyBranding, type StoredBranding } from '../../db/branding.ts';
import type { ClientsRepo } from '../../db/clients.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from './actor.ts';
import type { AuditTrail } from './audit-trail.ts';

export interface BrandingAdminDeps {
  repo: BrandingRepo;
  branding: Pick<Branding, 'changed'>;
  clients: Pick<ClientsRepo, 'exists'>;
  audit: AuditTrail;
}

export interface BrandingView {
  clientId: string | null;
  name: string | null;
  primaryColor: string | null;
  supportContact: string | null;
  logo: { type: string; bytes: number; sha256: string; url: string } | null;
  favicon: { type: string; bytes: number; sha256: string; url: string } | null;
  css: string | null;
  updatedAt: number | null;
}

const FIELDS = ['name', 'primaryColor', 'supportContact', 'logo', 'favicon', 'css'] as const;

const imageView = (owner: string | null, kind: 'logo' | 'favicon', i: BrandImage | null) =>
  i ? { type: i.type, bytes: i.data.length, sha256: i.sha256, url: `${scopePath(owner)}/${kind}-${i.sha256.slice(0, 16)}` } : null;

export const brandingView = (b: StoredBranding): BrandingView => ({ ...b, logo: imageView(b.clientId, 'logo', b.logo), favicon: imageView(b.clientId, 'favicon', b.favicon) });

/** What the audit log keeps: images and the stylesheet by size and hash, not their content. */
const audited = (b: StoredBranding) => ({
  name: b.name,
  primaryColor: b.primaryColor,
  supportContact: b.supportContact,
  logo: b.logo ? `${b.logo.type}, ${b.logo.data.length} bytes, sha256 ${b.logo.sha256.slice(0, 16)}` : null,
  favicon: b.favicon ? `${b.favicon.type}, ${b.favicon.data.length} bytes, sha256 ${b.favicon.sha256.slice(0, 16)}` : null,
  css: b.css ? `${b.css.length} characters, sha256 ${sha256(b.css).slice(0, 16)}` : null,
});

export function createBrandingAdmin({ repo, branding, clients, audit }: BrandingAdminDeps) {
  async function assertApp(clientId: string | null): Promise<void> {
    if (clientId !== null && !(await clients.exists(clientId))) {
      throw new AppError('client_not_found', 404, { message: `client ${JSON.stringify(clientId)} does not exist` });
    }
  }

  const stored = async (clientId: string | null) => (await repo.get(clientId)) ?? emptyBranding(clientId);

  return {
    /** The installation's branding (clientId null) or an app's own (its empty fields show the installation's). */
    async get(clientId: string | null): Promise<BrandingView> {
      await assertApp(clientId);
      return brandingView(await stored(clientId));
    },

    /** Stored as given for the fields it has (null clears); the value the console form keeps for images. */
    async stored(clientId: string | null): Promise<StoredBranding> {
      await assertApp(clientId);
      return stored(clientId);
    },

    async listApps(): Promise<BrandingView[]> {
      return (await repo.listApps()).map(brandingView);
    },

    async update(actor: Actor, clientId: string | null, patch: BrandingPatch): Promise<BrandingView> {
      await assertApp(clientId);
      const before = await stored(clientId);
      const fields = Object.fromEntries(FIELDS.map((k) => [k, patch[k] === undefined ? before[k] : patch[k]])) as BrandingFields;
      // An app with nothing left of its own shows the installation's branding: its row goes.
      let after: StoredBranding;
      if (clientId !== null && FIELDS.every((k) => fields[k] === null)) {
        await repo.remove(clientId);
        after = emptyBranding(clientId);
      } else after = await repo.save(clientId, fields);
      await branding.changed();
      await audit.record(actor, 'branding.update', clientId ?? 'global', { before: audited(before), after: audited(after) });
      return brandingView(after);
    },

    /** Drops an app's own branding (it shows the installation's) or the installation's (screens look as built in). */
    async remove(actor: Actor, clientId: string | null): Promise<void> {
      await assertApp(clientId);
      const before = await repo.get(clientId);
      if (!before) return;
      await repo.remove(clientId);
      await branding.changed();
      await audit.record(actor, 'branding.delete', clientId ?? 'global', { before: audited(before) });
    },
  };
}

export type BrandingAdmin = ReturnType<typeof createBrandingAdmin>;
