// Admin operations on SMS routing rules: the SMS layer's rules plus audit events, and the implicit rules after them.
import type { SmsConnectionStore } from '../../settings/sms-connection.ts';
import type { SmsFactorRepo } from '../../db/policies.ts';
import type { Sms } from '../../sms/index.ts';
import type { Actor } from './actor.ts';
import type { AuditTrail } from './audit-trail.ts';

export interface SmsRoutesAdminDeps {
  sms: Pick<Sms, 'routing' | 'accounts'>;
  smsConnection: Pick<SmsConnectionStore, 'get'>;
  smsFactor: Pick<SmsFactorRepo, 'get'>;
  audit: AuditTrail;
}

export function createSmsRoutesAdmin({ sms, smsConnection, smsFactor, audit }: SmsRoutesAdminDeps) {
  const { routing } = sms;

  return {
    /** The rules in order, then the implicit ones (the SMS connection's and factor's accounts, then the default). */
    async list() {
      const [items, connection, factor, accounts] = await Promise.all([routing.list(), smsConnection.get(), smsFactor.get(), sms.accounts.list()]);
      const implicit = (source: 'sms_connection' | 'sms_factor' | 'default', account: (typeof accounts)[number] | undefined, id: string | null = account?.id ?? null) => ({
        source,
        accountId: id,
        accountName: account?.name ?? null,
      });
      const byId = (id: string | null | undefined) => accounts.find((a) => a.id === id);
      return {
        items,
        implicit: [
          implicit('sms_connection', byId(connection.accountId), connection.accountId),
          implicit('sms_factor', byId(factor.accountId), factor.accountId ?? null),
          implicit('default', accounts.find((a) => a.isDefault)),
        ],
      };
    },
    get: (id: string) => routing.get(id),
    async create(actor: Actor, input: unknown) {
      const after = await routing.create(input);
      await audit.record(actor, 'sms_route.create', after.id, { after });
      return after;
    },
    async update(actor: Actor, id: string, patch: unknown) {
      const { before, after } = await routing.update(id, patch);
      await audit.record(actor, 'sms_route.update', id, { before, after });
      return after;
    },
    async remove(actor: Actor, id: string) {
      const before = await routing.remove(id);
      await audit.record(actor, 'sms_route.delete', id, { before });
    },
  };
}

export type SmsRoutesAdmin = ReturnType<typeof createSmsRoutesAdmin>;
