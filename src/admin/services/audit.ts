// Read-only admin view of the audit log, newest first, filtered by action, target, actor and time.
import type { AuditEvent, AuditRepo } from '../../db/audit.ts';
import { keysetPaged, type Page } from './page.ts';
import { auditListQuery } from './schemas/audit.ts';
import { parseInput } from './validate.ts';

export function createAuditLog({ audit }: { audit: Pick<AuditRepo, 'list'> }) {
  return {
    async list(query: unknown = {}): Promise<Page<AuditEvent>> {
      const { limit, cursor, ...filters } = parseInput(auditListQuery, query, 'audit_query_invalid');
      return keysetPaged({ limit, cursor }, (n, after) => audit.list({ ...filters, limit: n, after }), (e) => ({ at: e.at, id: e.id }));
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
