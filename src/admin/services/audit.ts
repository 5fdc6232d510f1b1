// Read-only admin view of the audit log, newest first, filtered by action, target, actor and time.
import type { z } from 'zod';
import type { AuditEvent, AuditRepo } from '../../db/audit.ts';
import { keysetPaged, type Page } from './page.ts';
import type { auditListQuery } from './schemas/audit.ts';

export function createAuditLog({ audit }: { audit: Pick<AuditRepo, 'list'> }) {
  return {
    async list(query: z.output<typeof auditListQuery>): Promise<Page<AuditEvent>> {
      const { limit, cursor, ...filters } = query;
      return keysetPaged({ limit, cursor }, (n, after) => audit.list({ ...filters, limit: n, after }), (e) => ({ at: e.at, id: e.id }));
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
