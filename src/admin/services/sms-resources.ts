// Admin operations on signatures, provider templates and "Authorize app" grants: the SMS layer's rules plus audit events.
import { parseWith } from '../../errors.ts';
import type { Sms } from '../../sms/index.ts';
import type { Actor } from './actor.ts';
import type { AuditTrail } from './audit-trail.ts';
import { pageOfList } from './page.ts';
import { smsResourceListQuery } from './schemas/sms-resources.ts';

export interface SmsResourcesAdminDeps {
  sms: Pick<Sms, 'resources' | 'accounts' | 'providers'>;
  audit: AuditTrail;
}

export function createSmsResourcesAdmin({ sms, audit }: SmsResourcesAdminDeps) {
  const { resources } = sms;
  const list = async <T>(read: (f: { accountId?: string }) => Promise<T[]>, query: unknown) => {
    const q = parseWith(smsResourceListQuery, query, 'sms_resource_invalid');
    return pageOfList(await read({ accountId: q.accountId }), q);
  };

  return {
    signatures: {
      list: (query: unknown = {}) => list(resources.signatures.list, query),
      get: (id: string) => resources.signatures.get(id),
      async create(actor: Actor, input: unknown) {
        const after = await resources.signatures.create(input);
        await audit.record(actor, 'sms_signature.create', after.id, { after });
        return after;
      },
      async update(actor: Actor, id: string, patch: unknown) {
        const before = await resources.signatures.get(id);
        const after = await resources.signatures.update(id, patch);
        await audit.record(actor, 'sms_signature.update', id, { before, after });
        return after;
      },
      async remove(actor: Actor, id: string) {
        const before = await resources.signatures.remove(id);
        await audit.record(actor, 'sms_signature.delete', id, { before });
      },
    },
    templates: {
      list: (query: unknown = {}) => list(resources.templates.list, query),
      get: (id: string) => resources.templates.get(id),
      async create(actor: Actor, input: unknown) {
        const after = await resources.templates.create(input);
        await audit.record(actor, 'sms_provider_template.create', after.id, { after });
        return after;
      },
      async update(actor: Actor, id: string, patch: unknown) {
        const before = await resources.templates.get(id);
        const after = await resources.templates.update(id, patch);
        await audit.record(actor, 'sms_provider_template.update', id, { before, after });
        return after;
      },
      async refresh(actor: Actor, id: string) {
        const before = await resources.templates.get(id);
        const after = await resources.templates.refresh(id);
        await audit.record(actor, 'sms_provider_template.refresh', id, { before: before.textStatus, after: after.textStatus });
        return after;
      },
      async remove(actor: Actor, id: string) {
        const before = await resources.templates.remove(id);
        await audit.record(actor, 'sms_provider_template.delete', id, { before });
      },
      preview: (id: string, input: unknown) => resources.templates.preview(id, input),
    },
    access: {
      get: (accountId: string) => resources.access.get(accountId),
      async set(actor: Actor, accountId: string, input: unknown) {
        const before = await resources.access.get(accountId);
        const after = await resources.access.set(accountId, input);
        await audit.record(actor, 'sms_account.access', accountId, { before, after });
        return after;
      },
    },
    /** Which provider template each purpose × region × language of a template-code account resolves to. */
    resolution: (accountId: string) => resources.resolution(accountId),
    /** Configuration errors of a template-code account, and the URL its provider should push delivery reports to. */
    async problems(accountId: string) {
      const account = await sms.accounts.get(accountId);
      const reports = sms.providers.find(account.provider)?.reports;
      return { problems: await resources.problems(accountId), reportUrl: reports ? sms.accounts.reportUrl(accountId) : null };
    },
  };
}

export type SmsResourcesAdmin = ReturnType<typeof createSmsResourcesAdmin>;
