// What an SMS account may contain, per provider; secrets are part of the validated shape but stored sealed apart.
import { z } from 'zod';
import { senderKind } from '../phone.ts';
import { blankToUndefined } from '../validation.ts';

const sid = (prefix: string) =>
  z.string().trim().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be ${prefix} followed by 32 hexadecimal characters`);

const secret = (label: string) =>
  z.string().trim().min(16, `${label} looks too short`).max(256, `${label} is too long`).regex(/^\S+$/, `${label} must not contain spaces`);

const httpUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL without credentials');

const opt = <T extends z.ZodType>(s: T) => z.preprocess(blankToUndefined, s.optional());

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

const headerName = z.string().trim().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'must be a valid header name');
const FORBIDDEN_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'idempotency-key']);

export const PLACEHOLDERS = ['to', 'body', 'from', 'message_id'] as const;

export const httpSettingsSchema = z
  .object({
    url: httpUrl,
    method: z.enum(['POST', 'PUT', 'PATCH'], { message: 'must be POST, PUT or PATCH' }).default('POST'),
    headers: z
      .array(
        z
          .object({
            name: headerName.refine((n) => !FORBIDDEN_HEADERS.has(n.toLowerCase()), 'is set by Codeword and cannot be configured'),
            value: z.string().max(4096, 'is too long').regex(/^[^\r\n]*$/, 'must be a single line'),
            secret: z.boolean().default(false),
          })
          .strict(),
      )
      .max(20, 'at most 20 headers')
      .default([]),
    bodyTemplate: z
      .string()
      .max(8192, 'is too long')
      .refine((v) => {
        try {
          const parsed: unknown = JSON.parse(v);
          return typeof parsed === 'object' && parsed !== null;
        } catch {
          return false;
        }
      }, 'must be a JSON object, e.g. {"to":"{{to}}","text":"{{body}}"}')
      .refine((v) => /\{\{\s*to\s*\}\}/.test(v) && /\{\{\s*body\s*\}\}/.test(v), 'must use the {{to}} and {{body}} placeholders'),
    from: opt(z.string().trim().max(32)),
    messageIdPath: z.preprocess(blankToUndefined, z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be a dotted path such as id or data.messageId').default('id')),
  })
  .strict()
  .superRefine((s, ctx) => {
    const names = s.headers.map((h) => h.name.toLowerCase());
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', path: ['headers'], message: 'header names must be unique' });
  });
export type HttpSettings = z.output<typeof httpSettingsSchema>;

export const devSettingsSchema = z.object({}).strict();

export const accountFieldsSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100, 'at most 100 characters'),
    note: z.preprocess(blankToUndefined, z.string().max(2000, 'at most 2000 characters').nullable().optional()),
    provider: z.enum(['twilio', 'http', 'dev'], { message: 'must be twilio, http or dev' }),
    isDefault: z.boolean().optional(),
    settings: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const accountPatchSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100, 'at most 100 characters').optional(),
    note: z.preprocess(blankToUndefined, z.string().max(2000, 'at most 2000 characters').nullable().optional()),
    isDefault: z.boolean().optional(),
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
