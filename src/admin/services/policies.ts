// Admin operations on policies: the repository applies the pure rules (422); this adds reads with user counts and audit events.
import type { PoliciesRepo } from '../../db/policies.ts';
import { AppError } from '../../errors.ts';
import type { Policy } from '../../policies/index.ts';
import type { Actor } from './actor.ts';
import type { AuditTrail } from './audit-trail.ts';
import { type Page, pageOfList } from './page.ts';
import { policyCreateInput, policyDeleteQuery, policyListQuery, policyPatchInput, type PolicyView } from './schemas/policies.ts';
import { parseInput } from './validate.ts';

export interface PoliciesAdminDeps {
  policies: PoliciesRepo;
  audit: AuditTrail;
}

export function createPoliciesAdmin({ policies, audit }: PoliciesAdminDeps) {
  const view = async (p: Policy): Promise<PolicyView> => ({ ...p, assignedUsers: await policies.countUsers(p.id) });

  async function mustFind(id: string): Promise<Policy> {
    const p = typeof id === 'string' && id.length <= 36 ? await policies.get(id) : undefined;
    if (!p) throw new AppError('policy_not_found', 404, { message: `policy ${JSON.stringify(id)} does not exist` });
    return p;
  }

  return {
    /** The default first, then by name. */
    async list(query: unknown = {}): Promise<Page<PolicyView>> {
      const q = parseInput(policyListQuery, query, 'policy_invalid');
      const page = pageOfList(await policies.list(), q);
      return { ...page, items: await Promise.all(page.items.map(view)) };
    },

    get: async (id: string): Promise<PolicyView> => view(await mustFind(id)),

    async create(actor: Actor, input: unknown): Promise<PolicyView> {
      const p = parseInput(policyCreateInput, input, 'policy_invalid', 422);
      const after = await view(await policies.create(p));
      await audit.record(actor, 'policy.create', after.id, { after });
      return after;
    },

    async update(actor: Actor, id: string, patch: unknown): Promise<PolicyView> {
      const before = await view(await mustFind(id));
      const p = parseInput(policyPatchInput, patch, 'policy_invalid', 422);
      const after = await view(await policies.update(id, p));
      await audit.record(actor, 'policy.update', id, { before, after });
      return after;
    },

    /** Makes the policy the default; the previous default stops being one. */
    async setDefault(actor: Actor, id: string): Promise<PolicyView> {
      const previous = await policies.getDefault();
      const after = await view(await policies.setDefault(id));
      await audit.record(actor, 'policy.set_default', id, { previousDefault: previous.id });
      return after;
    },

    /** Deletes a policy; its users move to `reassignUsersTo` (a policy id, or "default"). */
    async remove(actor: Actor, id: string, query: unknown = {}): Promise<void> {
      const before = await view(await mustFind(id));
      const q = parseInput(policyDeleteQuery, query, 'policy_invalid', 422);
      const target = q.reassignUsersTo === undefined ? undefined : q.reassignUsersTo === 'default' ? null : q.reassignUsersTo;
      await policies.delete(id, { reassignUsersTo: target });
      await audit.record(actor, 'policy.delete', id, { before, reassignedUsersTo: target ?? null });
    },
  };
}

export type PoliciesAdmin = ReturnType<typeof createPoliciesAdmin>;
