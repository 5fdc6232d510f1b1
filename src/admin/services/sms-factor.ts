// Admin operations on the SMS factor: settings with their availability, the phone-field choices, and audited changes.
import type { z } from 'zod';
import type { SmsFactorRepo } from '../../db/policies.ts';
import type { UsersRepo } from '../../db/users.ts';
import type { PhoneField, SmsAvailability, SmsFactorSettings } from '../../policies/index.ts';
import type { Sms } from '../../sms/index.ts';
import type { Actor } from './actor.ts';
import type { AuditTrail } from './audit-trail.ts';
import type { smsFactorPatchInput } from './schemas/sms-factor.ts';
import { assertAccountExists } from './sms-connection.ts';

export interface SmsFactorAdminDeps {
  smsFactor: SmsFactorRepo;
  users: Pick<UsersRepo, 'customAttributeNames'>;
  sms: Pick<Sms, 'accounts'>;
  audit: AuditTrail;
}

export type SmsFactorView = SmsFactorSettings & { availability: SmsAvailability };

export function createSmsFactorAdmin({ smsFactor, users, sms, audit }: SmsFactorAdminDeps) {
  async function get(): Promise<SmsFactorView> {
    const [settings, availability] = await Promise.all([smsFactor.get(), smsFactor.availability()]);
    return { ...settings, availability };
  }

  return {
    get,

    /** Saves a change; 422 when a value is out of bounds or the factor would be active on an unverified account. */
    async update(actor: Actor, p: z.output<typeof smsFactorPatchInput>): Promise<SmsFactorView> {
      await assertAccountExists(sms, p.accountId);
      const before = await smsFactor.get();
      const after = await smsFactor.save(p);
      await audit.record(actor, 'sms_factor.update', 'sms', { before, after });
      return get();
    },

    /** The built-in phone_number and every custom attribute users have, for the phone-field choice. */
    async phoneFields(): Promise<PhoneField[]> {
      const custom = await users.customAttributeNames();
      return [{ source: 'phone_number' }, ...custom.map((attribute): PhoneField => ({ source: 'custom_attribute', attribute }))];
    },
  };
}

export type SmsFactorAdmin = ReturnType<typeof createSmsFactorAdmin>;
