// The admin service layer: one factory the REST API and the console share, so admin rules, validation and audit live here.
import type { AuditRepo } from '../../db/audit.ts';
import type { ClientMetadata, ClientsRepo } from '../../db/clients.ts';
import type { PoliciesRepo, SmsFactorRepo } from '../../db/policies.ts';
import type { UsersRepo } from '../../db/users.ts';
import type { SmsConnectionStore } from '../../settings/sms-connection.ts';
import type { Sms } from '../../sms/index.ts';
import { createAuditLog } from './audit.ts';
import { createAuditTrail } from './audit-trail.ts';
import { createClientsAdmin } from './clients.ts';
import { createKeysAdmin, type KeyStoreDeps } from './keys.ts';
import { createMessagesAdmin } from './messages.ts';
import { createPoliciesAdmin } from './policies.ts';
import { createSmsAccountsAdmin } from './sms-accounts.ts';
import { createSmsConnectionAdmin } from './sms-connection.ts';
import { createSmsFactorAdmin } from './sms-factor.ts';
import { createSmsResourcesAdmin } from './sms-resources.ts';
import { createTemplatesAdmin } from './templates.ts';
import { createUsersAdmin } from './users.ts';

export interface AdminServicesDeps {
  users: UsersRepo;
  clients: ClientsRepo;
  policies: PoliciesRepo;
  smsFactor: SmsFactorRepo;
  smsConnection: SmsConnectionStore;
  sms: Pick<Sms, 'accounts' | 'templates' | 'sender' | 'providers' | 'resources'>;
  audit: AuditRepo;
  /** oidc-provider's check of client metadata, e.g. `(m) => provider.Client.validate(m)`. */
  validateClient(metadata: ClientMetadata): Promise<void>;
  hashPassword(password: string): Promise<string>;
  /** Ends a user's sessions, grants and tokens. */
  revokeSessions(userId: string): Promise<void>;
  /** Where signing and cookie keys are kept, for their staged rotation. */
  keyStore: KeyStoreDeps;
}

export function createAdminServices(deps: AdminServicesDeps) {
  const { users, clients, policies, smsFactor, smsConnection, sms } = deps;
  const audit = createAuditTrail(deps.audit);
  return {
    clients: createClientsAdmin({ clients, validateClient: deps.validateClient, audit }),
    users: createUsersAdmin({ users, policies, hashPassword: deps.hashPassword, revokeSessions: deps.revokeSessions, audit }),
    smsAccounts: createSmsAccountsAdmin({ sms, smsFactor, smsConnection, audit }),
    templates: createTemplatesAdmin({ sms, audit }),
    smsResources: createSmsResourcesAdmin({ sms, audit }),
    smsConnection: createSmsConnectionAdmin({ smsConnection, clients, sms, audit }),
    smsFactor: createSmsFactorAdmin({ smsFactor, users, sms, audit }),
    policies: createPoliciesAdmin({ policies, audit }),
    messages: createMessagesAdmin({ sms }),
    audit: createAuditLog({ audit: deps.audit }),
    keys: createKeysAdmin({ keyStore: deps.keyStore, audit }),
  };
}

export type AdminServices = ReturnType<typeof createAdminServices>;
export { type Actor, actorName, clientActor, userActor } from './actor.ts';
export type { Page } from './page.ts';
