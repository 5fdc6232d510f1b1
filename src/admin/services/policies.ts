// Admin operations on policies: the repository applies the pure rules (422); this adds reads with user counts and audit events.
import type { z } from 'zod';
import type { PoliciesRepo } from '../../db/policies.ts';
import { AppError } from '../../errors.ts';
import { checkPolicy, mergePolicyPatch, type Policy } from '../../policies/index.ts';
import type { Actor } from './actor.ts';
import type { AuditTrail } from './audit-trail.ts';
import { type Page, pageOfList } from './page.ts';
import type { PolicyReach } from './policy-reach.ts';
import type { PolicyView, policyCreateInput, policyDeleteQuery, policyListQuery, policyPatchInput } from './schemas/policies.ts';

export interface PoliciesAdminDeps {
  policies: PoliciesRepo;
  audit: AuditTrail;
  /** Users with no policy of their own: they are on the default one. */
  countUnassigned(): Promise<number>;
  /** Who a policy requiring MFA leaves without a phone; when absent, saves report no count and check no lock-out. */
  reach?: PolicyReach;
}

export function createPoliciesAdmin({ policies, audit, countUnassigned, reach }: PoliciesAdminDeps) {
  const view = async (p: Policy): Promise<PolicyView> => {
    const assignedUsers = await policies.countUsers(p.id);
    return { ...p, assignedUsers, usersInEffect: assignedUsers + (p.isDefault ? await countUnassigned() : 0) };
  };
  /** A saved policy as the save answers it: with the number of its users an MFA requirement leaves without a phone. */
  const saved = async (p: Policy): Promise<PolicyView> => {
    const withoutPhone = await reach?.usersWithoutPhone(p);
    return { ...(await view(p)), ...(withoutPhone == null ? {} : { usersWithoutPhone: withoutPhone }) };
  };

  /** Refuses a save after which no administrator could sign in (MFA required, no usable phone, no enrolment for admins). */
  async function keepAnAdmin(candidate: Policy): Promise<void> {
    if (!reach || candidate.mfa.required !== 'always') return;
    if (await reach.anAdminCanSignIn(candidate)) return;
    throw new AppError('policy_locks_out_last_admin', 422, {
      message: 'mfa.required: no administrator could sign in any more: give an administrator a verified phone first',
      params: { field: 'mfa.required' },
    });
  }

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

    /** Users of the policy with no verified phone, when it requires MFA (else null). */
    usersWithoutPhone: async (id: string): Promise<number | null> => (reach ? reach.usersWithoutPhone(await mustFind(id)) : null),

    async create(actor: Actor, p: z.output<typeof policyCreateInput>): Promise<PolicyView> {
      const after = await saved(await policies.create(p));
      await audit.record(actor, 'policy.create', after.id, { after });
      return after;
    },

    async update(actor: Actor, id: string, p: z.output<typeof policyPatchInput>): Promise<PolicyView> {
      const current = await mustFind(id);
      const before = await view(current);
      await keepAnAdmin({ ...current, ...checkPolicy(mergePolicyPatch(current, p), current) });
      const after = await saved(await policies.update(id, p));
      await audit.record(actor, 'policy.update', id, { before, after });
      return after;
    },

    /** Makes the policy the default; the previous default stops being one. */
    async setDefault(actor: Actor, id: string): Promise<PolicyView> {
      const previous = await policies.getDefault();
      await keepAnAdmin({ ...(await mustFind(id)), isDefault: true });
      const after = await saved(await policies.setDefault(id));
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
