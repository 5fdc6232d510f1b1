// Admin operations on the SMS connection (passwordless settings): references checked, then stored by its own schema.
import type { z } from 'zod';
import type { ClientsRepo } from '../../db/clients.ts';
import { AppError } from '../../errors.ts';
import type { SmsConnection, SmsConnectionStore } from '../../settings/sms-connection.ts';
import type { Sms } from '../../sms/index.ts';
import type { Actor } from './actor.ts';
import type { AuditTrail } from './audit-trail.ts';
import type { smsConnectionPatchInput } from './schemas/sms-connection.ts';

export interface SmsConnectionAdminDeps {
  smsConnection: SmsConnectionStore;
  clients: Pick<ClientsRepo, 'exists'>;
  sms: Pick<Sms, 'accounts'>;
  audit: AuditTrail;
}

/** A body that names an SMS account that does not exist (422: the request is well formed, the reference is not). */
export async function assertAccountExists(sms: Pick<Sms, 'accounts'>, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const found = await sms.accounts.get(id).then(
    () => true,
    () => false,
  );
  if (!found) throw new AppError('sms_account_not_found', 422, { message: `accountId: SMS account ${JSON.stringify(id)} does not exist`, params: { field: 'accountId' } });
}

export function createSmsConnectionAdmin({ smsConnection, clients, sms, audit }: SmsConnectionAdminDeps) {
  return {
    get: (): Promise<SmsConnection> => smsConnection.get(),

    async update(actor: Actor, p: z.output<typeof smsConnectionPatchInput>): Promise<SmsConnection> {
      await assertAccountExists(sms, p.accountId);
      for (const [i, id] of (p.clientIds ?? []).entries()) {
        if (!(await clients.exists(id))) {
          throw new AppError('client_not_found', 422, { message: `clientIds.${i}: client ${JSON.stringify(id)} does not exist`, params: { field: `clientIds.${i}` } });
        }
      }
      const before = await smsConnection.get();
      const after = await smsConnection.update(p);
      await audit.record(actor, 'sms_connection.update', 'sms', { before, after });
      return after;
    },
  };
}

export type SmsConnectionAdmin = ReturnType<typeof createSmsConnectionAdmin>;
