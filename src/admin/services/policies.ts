// Admin operations on policies: the repository applies the pure rules (422); this adds reads with user counts and audit events.
import type { z } from 'zod';
import type { PoliciesRepo } from '../../db/policies.ts';
import { AppError } from '../../errors.ts';
import type { Policy } from '../../policies/index.ts';
import type { Actor } from './actor.ts';
import type { AuditTrail } from './audit-trail.ts';
import { type Page, pageOfList } from './page.ts';
import type { policyCreateInput, policyDeleteQuery, policyListQuery, policyPatchInput, PolicyView } from './schemas/policies.ts';

export interface PoliciesAdminDeps {
  policies: PoliciesRepo;
  audit: AuditTrail;
  /** Users with no policy of their own: they are on the default one. */
  countUnassigned(): Promise<number>;
}

export function createPoliciesAdmin({ policies, audit, countUnassigned }: PoliciesAdminDeps) {
  const view = async (p: Policy): Promise<PolicyView> => {
    const assignedUsers = await policies.countUsers(p.id);
    return { ...p, assignedUsers, usersInEffect: assignedUsers + (p.isDefault ? await countUnassigned() : 0) };
  };

  async function mustFind(id: string): Promise<Policy> {
    const p = typeof id === 'string' && id.length <= 36 ? await policies.get(id) : undefined;
    if (!p) throw new AppError('policy_not_found', 404, { message: `policy ${JSON.stringify(id)} does not exist` });
    return p;
  }

  return {
    /** The default first, then by name. */
    async list(q: z.output<typeof policyListQuery>): Promise<Page<PolicyView>> {
      const page = pageOfList(await policies.list(), q);
      return { ...page, items: await Promise.all(page.items.map(view)) };
    },

    get: async (id: string): Promise<PolicyView> => view(await mustFind(id)),

    async create(actor: Actor, p: z.output<typeof policyCreateInput>): Promise<PolicyView> {
      const after = await view(await policies.create(p));
      await audit.record(actor, 'policy.create', after.id, { after });
      return after;
    },

    async update(actor: Actor, id: string, p: z.output<typeof policyPatchInput>): Promise<PolicyView> {
      const before = await view(await mustFind(id));
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
    async remove(actor: Actor, id: string, q: z.output<typeof policyDeleteQuery>): Promise<void> {
      const before = await view(await mustFind(id));
      const target = q.reassignUsersTo === undefined ? undefined : q.reassignUsersTo === 'default' ? null : q.reassignUsersTo;
      await policies.delete(id, { reassignUsersTo: target });
      await audit.record(actor, 'policy.delete', id, { before, reassignedUsersTo: target ?? null });
    },
  };
}

export type PoliciesAdmin = ReturnType<typeof createPoliciesAdmin>;
