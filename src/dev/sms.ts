// Development only: SMS sign-in works out of the box — the development inbox sends, the demo app offers SMS sign-in,
// the demo user has a phone, and the default policy has the SMS factor and SMS reset. Done once; never overrides.
import type { PoliciesRepo, SmsFactorRepo } from '../db/policies.ts';
import type { UsersRepo } from '../db/users.ts';
import type { Logger } from '../logger.ts';
import type { SmsConnectionStore } from '../settings/sms-connection.ts';
import { BUILTIN_DEV_ID } from '../sms/accounts/types.ts';
import { DEMO_CLIENT_ID } from './demo.ts';

/** A number reserved for fiction (Australia), so the demo never texts a real phone. */
export const DEMO_PHONE = '+61491570156';

export interface DevSmsDeps {
  users: UsersRepo;
  smsConnection: SmsConnectionStore;
  smsFactor: SmsFactorRepo;
  policies: PoliciesRepo;
  logger: Logger;
  urlBase: string;
}

export async function ensureDevSms({ users, smsConnection, smsFactor, policies, logger, urlBase }: DevSmsDeps): Promise<void> {
  const connection = await smsConnection.get();
  // Set up once: an installation whose SMS connection already names an account was configured by someone.
  if (connection.accountId) return;
  await smsConnection.update({ enabled: true, accountId: BUILTIN_DEV_ID, clientIds: [...new Set([...connection.clientIds, DEMO_CLIENT_ID])] });
  const factor = await smsFactor.get();
  if (!factor.accountId) await smsFactor.save({ active: true, accountId: BUILTIN_DEV_ID });
  const demo = await users.findByLogin('demo');
  if (demo && !demo.phoneNumber) await users.update(demo.id, { phoneNumber: DEMO_PHONE, phoneNumberVerified: true });
  const policy = await policies.getDefault();
  await policies.update(policy.id, {
    mfa: { factors: [...new Set([...policy.mfa.factors, 'sms' as const])] },
    passwordUpdate: { methods: [...new Set([...policy.passwordUpdate.methods, 'sms' as const])] },
  });
  logger.warn(
    `Development: SMS sign-in is ready. Open ${urlBase}/demo and enter ${DEMO_PHONE} (the demo user's phone) under "Sign in with a text message"; ` +
      `codes appear at ${urlBase}/dev/sms. SMS password reset works for the demo user too.`,
  );
}
