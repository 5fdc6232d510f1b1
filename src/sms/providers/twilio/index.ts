// The Twilio provider: Programmable Messaging through the official SDK, signed status callbacks, its error codes.
import type { ProviderDescriptor } from '../types.ts';
import { createTwilioClient } from './client.ts';
import { twilioError } from './errors.ts';
import { twilioSdk } from './sdk.ts';
import { type TwilioSettings, twilioSettingsSchema } from './settings.ts';

export const twilioProvider: ProviderDescriptor<TwilioSettings> = {
  kind: 'twilio',
  label: 'admin.sms_accounts.provider.twilio',
  settings: twilioSettingsSchema,
  secrets: { fields: ['authToken', 'apiKeySecret'] },
  proof: 'admin.sms_accounts.proof.twilio',
  verifiedFields: ['accountSid', 'authToken', 'apiKeySid', 'apiKeySecret', 'apiBaseUrl', 'from', 'messagingServiceSid'],
  destinationFields: ['apiBaseUrl', 'accountSid', 'apiKeySid', 'from', 'messagingServiceSid'],
  destinations: (s) => [s.apiBaseUrl],
  create: (s, ctx) => createTwilioClient(s, { timeoutMs: ctx.timeoutMs, egress: ctx.egress }),
  mapError: twilioError,
  callbacks: {
    wanted: (s) => s.statusCallbacks === true,
    /** X-Twilio-Signature is an HMAC with the Auth Token over the public URL and the sorted form parameters. */
    read(req, s) {
      const signature = req.headers['x-twilio-signature'];
      if (typeof signature !== 'string' || !signature) return { ok: false, why: 'missing signature' };
      if (!s.authToken) return { ok: false, why: 'account without an Auth Token' };
      const params = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, string | string[]>;
      if (!twilioSdk().validateRequest(s.authToken, signature, req.url, params)) return { ok: false, why: 'bad signature' };
      const sid = typeof params.MessageSid === 'string' ? params.MessageSid : undefined;
      const code = typeof params.ErrorCode === 'string' && /^\d+$/.test(params.ErrorCode) ? params.ErrorCode : undefined;
      return { ok: true, providerMessageId: sid, status: String(params.MessageStatus ?? params.SmsStatus ?? ''), errorCode: code };
    },
  },
  form: {
    fields: [
      { name: 'accountSid', kind: 'text', label: 'admin.sms_accounts.twilio.account_sid' },
      { name: 'authToken', kind: 'secret', label: 'admin.sms_accounts.twilio.auth_token', hint: 'admin.sms_accounts.twilio.auth_hint' },
      { name: 'apiKeySid', kind: 'text', label: 'admin.sms_accounts.twilio.api_key_sid' },
      { name: 'apiKeySecret', kind: 'secret', label: 'admin.sms_accounts.twilio.api_key_secret' },
      { name: 'from', kind: 'text', label: 'admin.sms_accounts.twilio.from', hint: 'admin.sms_accounts.twilio.from_hint' },
      { name: 'messagingServiceSid', kind: 'text', label: 'admin.sms_accounts.twilio.messaging_service_sid' },
      { name: 'apiBaseUrl', kind: 'url', label: 'admin.sms_accounts.twilio.api_base_url', hint: 'admin.sms_accounts.twilio.api_base_url_hint' },
      { name: 'statusCallbacks', kind: 'checkbox', label: 'admin.sms_accounts.twilio.status_callbacks' },
    ],
  },
};
