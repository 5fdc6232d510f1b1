// What a Twilio account may contain; the Auth Token and API key secret are part of the validated shape but stored sealed.
import { z } from 'zod';
import { senderKind } from '../../../phone.ts';
import { blankToUndefined } from '../../validation.ts';
import { httpUrl, opt } from '../fields.ts';

const sid = (prefix: string) =>
  z.string().trim().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be ${prefix} followed by 32 hexadecimal characters`);

const secret = (label: string) =>
  z.string().trim().min(16, `${label} looks too short`).max(256, `${label} is too long`).regex(/^\S+$/, `${label} must not contain spaces`);

export const TWILIO_API = 'https://api.twilio.com';

export const twilioSettingsSchema = z
  .object({
    accountSid: sid('AC'),
    authToken: opt(secret('the Auth Token')),
    apiKeySid: opt(sid('SK')),
    apiKeySecret: opt(secret('the API key secret')),
    from: opt(z.string().trim()),
    messagingServiceSid: opt(sid('MG')),
    apiBaseUrl: z.preprocess(blankToUndefined, httpUrl.default(TWILIO_API)),
    statusCallbacks: z.boolean().default(false),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.apiKeySid && !s.apiKeySecret) ctx.addIssue({ code: 'custom', path: ['apiKeySecret'], message: 'is required with an API key SID' });
    if (s.apiKeySecret && !s.apiKeySid) ctx.addIssue({ code: 'custom', path: ['apiKeySid'], message: 'is required with an API key secret' });
    if (!s.authToken && !s.apiKeySid) ctx.addIssue({ code: 'custom', path: ['authToken'], message: 'set the Auth Token, or an API key SID and secret' });
    if (Boolean(s.from) === Boolean(s.messagingServiceSid)) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'set exactly one sender: a From number/short code/alphanumeric ID, or a Messaging Service SID' });
    }
    if (s.from && !senderKind(s.from)) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be an E.164 number (+14155552671), a short code (3–8 digits) or an alphanumeric sender ID (up to 11 letters/digits)' });
    }
    if (s.statusCallbacks && !s.authToken) {
      ctx.addIssue({ code: 'custom', path: ['statusCallbacks'], message: 'Twilio signs status callbacks with the Auth Token: set authToken to enable them' });
    }
  });
export type TwilioSettings = z.output<typeof twilioSettingsSchema>;
