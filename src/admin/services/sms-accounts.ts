// Admin operations on SMS accounts: the SMS layer's rules, plus "in use" protection, audit events and test sends.
import type { z } from 'zod';
import type { SmsFactorRepo } from '../../db/policies.ts';
import { AppError } from '../../errors.ts';
import { maskPhone } from '../../phone.ts';
import type { SmsConnectionStore } from '../../settings/sms-connection.ts';
import type { Sms } from '../../sms/index.ts';
import type { Actor } from './actor.ts';
import type { AuditTrail } from './audit-trail.ts';
import { type Page, pageOfList } from './page.ts';
import { type SmsAccountView, type smsAccountListQuery, smsAccountSchemas, type smsTestInput } from './schemas/sms-accounts.ts';

export interface SmsAccountsAdminDeps {
  sms: Pick<Sms, 'accounts' | 'sender' | 'providers'>;
  /** Read to refuse deleting an account they send through. */
  smsFactor: Pick<SmsFactorRepo, 'get'>;
  smsConnection: Pick<SmsConnectionStore, 'get'>;
  audit: AuditTrail;
}

const view = ({ masked: _m, ...a }: SmsAccountView & { masked?: true }): SmsAccountView => a;

export function createSmsAccountsAdmin({ sms, smsFactor, smsConnection, audit }: SmsAccountsAdminDeps) {
  const { accounts } = sms;
  const schemas = smsAccountSchemas(sms.providers);

  /** Features that send through the account: deleting it would silently turn them off. */
  async function usedBy(id: string): Promise<string[]> {
    const [factor, connection] = await Promise.all([smsFactor.get(), smsConnection.get()]);
    return [...(factor.accountId === id ? ['factors/sms'] : []), ...(connection.accountId === id ? ['connections/sms'] : [])];
  }

  return {
    /** Request and response schemas of this instance's providers (the admin API validates and documents with them). */
    schemas,
    /** The registered providers (the console draws each one's form from its descriptor). */
    providers: sms.providers,

    async list(q: z.output<typeof smsAccountListQuery>): Promise<Page<SmsAccountView>> {
      return pageOfList((await accounts.list()).map(view), q);
    },

    async get(id: string): Promise<SmsAccountView> {
      return view(await accounts.get(id));
    },

    async create(actor: Actor, a: z.output<typeof schemas.createInput>): Promise<SmsAccountView> {
      const after = view(await accounts.create(a));
      await audit.record(actor, 'sms_account.create', after.id, { after });
      return after;
    },

    async update(actor: Actor, id: string, p: z.output<typeof schemas.patchInput>): Promise<SmsAccountView> {
      const before = view(await accounts.get(id));
      const after = view(await accounts.update(id, p));
      await audit.record(actor, 'sms_account.update', id, { before, after });
      return after;
    },

    async remove(actor: Actor, id: string): Promise<void> {
      const before = view(await accounts.get(id));
      const uses = await usedBy(id);
      if (uses.length > 0) {
        throw new AppError('sms_account_in_use', 409, {
          message: `this SMS account is used by ${uses.join(' and ')}: choose another account there first`,
          details: { usedBy: uses },
        });
      }
      await accounts.remove(id);
      await audit.record(actor, 'sms_account.delete', id, { before });
    },

    /** Checks the credentials with the provider; the outcome is stored on the account. */
    async verify(actor: Actor, id: string): Promise<SmsAccountView> {
      const before = view(await accounts.get(id));
      const after = view(await accounts.verify(id));
      await audit.record(actor, 'sms_account.verify', id, { before: before.verification, after: after.verification });
      return after;
    },

    /** Queues the `test` message through this account (allowed before verification). */
    async testSend(actor: Actor, id: string, t: z.output<typeof smsTestInput>) {
      await accounts.get(id);
      const sent = await sms.sender.testSend({ accountId: id, to: t.to, language: t.language });
      await audit.record(actor, 'sms_account.test', id, { to: maskPhone(t.to), messageId: sent.id });
      return sent;
    },
  };
}

export type SmsAccountsAdmin = ReturnType<typeof createSmsAccountsAdmin>;
