// Admin operations on SMS templates: the SMS layer validates and renders; this adds paging, scope lookups and audit events.
import type { z } from 'zod';
import type { Sms } from '../../sms/index.ts';
import type { Actor } from './actor.ts';
import type { AuditTrail } from './audit-trail.ts';
import { type Page, pageOfList } from './page.ts';
import type { templateListQuery, templatePatchInput, templatePreviewInput, templateSaveInput, TemplateView } from './schemas/templates.ts';

export interface TemplatesAdminDeps {
  sms: Pick<Sms, 'templates'>;
  audit: AuditTrail;
}

export function createTemplatesAdmin({ sms, audit }: TemplatesAdminDeps) {
  const { templates } = sms;

  /** The stored override of exactly this scope, if any. */
  async function sameScope(t: Pick<TemplateView, 'purpose' | 'language' | 'accountId' | 'region'>): Promise<TemplateView | undefined> {
    const candidates = await templates.list({ purpose: t.purpose, language: t.language });
    return candidates.find((c) => c.accountId === (t.accountId ?? null) && c.region === (t.region ?? null));
  }

  return {
    async list(q: z.output<typeof templateListQuery>): Promise<Page<TemplateView>> {
      return pageOfList(await templates.list({ purpose: q.purpose, language: q.language, accountId: q.accountId }), q);
    },

    get: (id: string): Promise<TemplateView> => templates.get(id),

    /** Every built-in text (purpose × language), to start an override from. */
    builtins: () => templates.builtins(),

    /** Creates or replaces the override of a scope; `created` tells which. */
    async save(actor: Actor, t: z.output<typeof templateSaveInput>): Promise<{ template: TemplateView; created: boolean }> {
      const before = await sameScope({ ...t, accountId: t.accountId ?? null, region: t.region ?? null });
      const template = await templates.save(t);
      await audit.record(actor, before ? 'template.update' : 'template.create', template.id, { before: before ?? null, after: template });
      return { template, created: !before };
    },

    /** Changes the body of a stored template (its scope stays). */
    async update(actor: Actor, id: string, p: z.output<typeof templatePatchInput>): Promise<TemplateView> {
      const before = await templates.get(id);
      const after = await templates.save({ purpose: before.purpose, language: before.language, accountId: before.accountId, region: before.region, body: p.body });
      await audit.record(actor, 'template.update', id, { before, after });
      return after;
    },

    async remove(actor: Actor, id: string): Promise<void> {
      const before = await templates.get(id);
      await templates.remove(id);
      await audit.record(actor, 'template.delete', id, { before });
    },

    /** Text, encoding and segments of a body or of the template that would be used; changes nothing. */
    preview: (input: z.output<typeof templatePreviewInput>) => templates.preview(input),
  };
}

export type TemplatesAdmin = ReturnType<typeof createTemplatesAdmin>;
