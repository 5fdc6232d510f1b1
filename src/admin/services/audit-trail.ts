// Writes one audit event per admin change: who (actor), what (action), to what (target), before/after with secrets masked.
import type { AuditRepo } from '../../db/audit.ts';
import { type Actor, actorName } from './actor.ts';
import { redact } from './redact.ts';

export interface Change {
  before?: unknown;
  after?: unknown;
  [detail: string]: unknown;
}

export function createAuditTrail(repo: Pick<AuditRepo, 'record'>) {
  return {
    async record(actor: Actor, action: string, target: string | null, change: Change = {}): Promise<void> {
      await repo.record({ actor: actorName(actor), action, target: target ? target.slice(0, 64) : null, details: redact(change) as Record<string, unknown> });
    },
  };
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;
