// The admin service layer: one factory the REST API and the console share, so admin rules, validation and audit live here.
import type { Branding } from '../../branding/service.ts';
import type { AuditRepo } from '../../db/audit.ts';
import type { BrandingRepo } from '../../db/branding.ts';
import type { ClientMetadata, ClientsRepo } from '../../db/clients.ts';
import type { PoliciesRepo, SmsFactorRepo } from '../../db/policies.ts';
import type { UserStats } from '../../db/user-stats.ts';
import type { UsersRepo } from '../../db/users.ts';
import type { SmsConnectionStore } from '../../settings/sms-connection.ts';
import type { Sms } from '../../sms/index.ts';
import type { Spend } from '../../sms/spend/index.ts';
import type { Actor } from './actor.ts';
import { type AuditNames, createAuditLog } from './audit.ts';
import { createAuditTrail } from './audit-trail.ts';
import { createBrandingAdmin } from './branding.ts';
import { createClientsAdmin } from './clients.ts';
import { createKeysAdmin, type KeyStoreDeps } from './keys.ts';
import { createMessagesAdmin } from './messages.ts';
import { createPoliciesAdmin } from './policies.ts';
import { createPolicyReach } from './policy-reach.ts';
import { createSmsAccountsAdmin } from './sms-accounts.ts';
import { createSmsConnectionAdmin } from './sms-connection.ts';
import { createSmsFactorAdmin } from './sms-factor.ts';
import { createSmsResourcesAdmin } from './sms-resources.ts';
import { createSmsRoutesAdmin } from './sms-routes.ts';
import { createTemplatesAdmin } from './templates.ts';
import { createUsersAdmin } from './users.ts';

export interface AdminServicesDeps {
  users: UsersRepo;
  clients: ClientsRepo;
  policies: PoliciesRepo;
  smsFactor: SmsFactorRepo;
  smsConnection: SmsConnectionStore;
  sms: Pick<Sms, 'accounts' | 'templates' | 'sender' | 'providers' | 'resources' | 'routing' | 'log' | 'recipientHashes'>;
  audit: AuditRepo;
  /** oidc-provider's check of client metadata, e.g. `(m) => provider.Client.validate(m)`. */
  validateClient(metadata: ClientMetadata): Promise<void>;
  hashPassword(password: string): Promise<string>;
  /** Ends a user's sessions, grants and tokens. */
  revokeSessions(userId: string): Promise<void>;
  /** Spend limits and the pumping defence (their admin routes and console page). */
  spend?: Spend;
  /** Forgets the wrong-password delays of a sign-in name. */
  unblockLogin(login: string): Promise<void>;
  /** Counts and last sign-ins gathered for the admin lists. */
  userStats: UserStats;
  /** Where signing and cookie keys are kept, for their staged rotation. */
  keyStore: KeyStoreDeps;
  /** Where branding is stored, and the screens' view of it (told of every change). */
  branding: { repo: BrandingRepo; service: Pick<Branding, 'changed'> };
}

/** Names for the audit log, from the repositories that hold them. */
const auditNames = ({ users, clients, policies, sms }: AdminServicesDeps): AuditNames => ({
  user: async (id) => {
    const u = await users.findById(id);
    return u ? (u.username ?? u.email ?? undefined) : undefined;
  },
  client: async (id) => {
    const c = await clients.find(id);
    return c ? String(c.metadata.client_name ?? id) : undefined;
  },
  policy: async (id) => (await policies.get(id))?.name,
  smsAccount: async (id) => (await sms.accounts.get(id).catch(() => undefined))?.name,
  userIdByLogin: async (login) => (await users.findByLogin(login))?.id,
});

/** A deleted app's branding goes with it (a new app given the same id starts with the installation's). */
function withBrandingRemoved<T extends { remove(actor: Actor, id: string): Promise<void> }>(admin: T, branding: AdminServicesDeps['branding']): T {
  return {
    ...admin,
    async remove(actor: Actor, id: string) {
      await admin.remove(actor, id);
      if (await branding.repo.remove(id)) await branding.service.changed();
    },
  };
}

export function createAdminServices(deps: AdminServicesDeps) {
  const { users, clients, policies, smsFactor, smsConnection, sms } = deps;
  const audit = createAuditTrail(deps.audit);
  return {
    clients: withBrandingRemoved(createClientsAdmin({ clients, validateClient: deps.validateClient, audit }), deps.branding),
    users: createUsersAdmin({ users, policies, hashPassword: deps.hashPassword, revokeSessions: deps.revokeSessions, unblockLogin: deps.unblockLogin, audit }),
    smsAccounts: createSmsAccountsAdmin({ sms, smsFactor, smsConnection, audit }),
    templates: createTemplatesAdmin({ sms, audit }),
    smsResources: createSmsResourcesAdmin({ sms, audit }),
    smsRoutes: createSmsRoutesAdmin({ sms, smsConnection, smsFactor, audit }),
    smsConnection: createSmsConnectionAdmin({ smsConnection, clients, sms, audit }),
    smsFactor: createSmsFactorAdmin({ smsFactor, users, sms, audit }),
    policies: createPoliciesAdmin({
      policies,
      audit,
      countUnassigned: deps.userStats.unassigned,
      reach: createPolicyReach({ users, smsFactor, policyOf: (id) => policies.forUser(id) }),
    }),
    messages: createMessagesAdmin({ sms, spend: deps.spend }),
    userStats: deps.userStats,
    audit: createAuditLog({ audit: deps.audit, names: auditNames(deps) }),
    spend: deps.spend,
    keys: createKeysAdmin({ keyStore: deps.keyStore, audit }),
    branding: createBrandingAdmin({ repo: deps.branding.repo, branding: deps.branding.service, clients, audit }),
  };
}

export type AdminServices = ReturnType<typeof createAdminServices>;
export { type Actor, actorName, clientActor, userActor } from './actor.ts';
export type { Page } from './page.ts';
