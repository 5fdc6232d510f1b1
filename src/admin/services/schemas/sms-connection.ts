// The SMS connection (passwordless sign-in by SMS) as admins read and change it.
import { z } from 'zod';
import { smsConnectionSchema } from '../../../settings/sms-connection.ts';
import { optionalFields } from '../fields.ts';

export const smsConnectionView = smsConnectionSchema.describe('Passwordless sign-in by SMS.');

export const smsConnectionPatchInput = z
  .object(optionalFields(smsConnectionSchema.shape))
  .strict()
  .describe('Settings left out keep their value. accountId must name an SMS account, clientIds existing clients.');
