// What an HTTP gateway account may contain; header values marked secret are stored sealed.
import { z } from 'zod';
import { blankToUndefined } from '../../validation.ts';
import { httpUrl, opt } from '../fields.ts';

const headerName = z.string().trim().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'must be a valid header name');
const FORBIDDEN_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'idempotency-key']);


/** Whether a text is a JSON object (a body template or a test request's body). */
function isJsonObject(v: string): boolean {
  try {
    const parsed: unknown = JSON.parse(v);
    return typeof parsed === 'object' && parsed !== null;
  } catch {
    return false;
  }
}

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
      .refine(isJsonObject, 'must be a JSON object, e.g. {"to":"{{to}}","text":"{{body}}"}')
      .refine((v) => /\{\{\s*to\s*\}\}/.test(v) && /\{\{\s*body\s*\}\}/.test(v), 'must use the {{to}} and {{body}} placeholders'),
    from: opt(z.string().trim().max(32)),
    messageIdPath: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){0,3}$/, 'must be a dotted path of at most 4 names, such as id or data.messageId')
        // Only an id is copied into the message log, never another field of the gateway's answer.
        .refine((p) => /(^|[._-])(id|sid|uuid|ref|reference)$|Id$|ID$/.test(p), 'must name the message id field (ending in id, Id, sid, uuid or ref)')
        .default('id'),
    ),
    // The test request a verification sends (a gateway has no standard account check): e.g. a balance or a dry-run
    // endpoint. Without one, a verification only shows the gateway answers, not that it would accept a message.
    verifyUrl: opt(httpUrl),
    verifyMethod: z.preprocess(blankToUndefined, z.enum(['GET', 'HEAD', 'POST'], { message: 'must be GET, HEAD or POST' }).default('GET')),
    verifyBody: opt(
      z
        .string()
        .max(8192, 'is too long')
        .refine(isJsonObject, 'must be a JSON object'),
    ),
    verifyStatus: z.preprocess(
      (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : blankToUndefined(v)),
      z.number({ message: 'must be an HTTP status such as 200' }).int('must be an HTTP status such as 200').min(100, 'must be an HTTP status such as 200').max(599, 'must be an HTTP status such as 200').optional(),
    ),
  })
  .strict()
  .superRefine((s, ctx) => {
    const names = s.headers.map((h) => h.name.toLowerCase());
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', path: ['headers'], message: 'header names must be unique' });
    if (!s.verifyUrl) {
      for (const f of ['verifyBody', 'verifyStatus'] as const) {
        if (s[f] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: 'needs a test request URL' });
      }
    }
    if (s.verifyBody !== undefined && s.verifyMethod !== 'POST') ctx.addIssue({ code: 'custom', path: ['verifyBody'], message: 'is sent only with POST' });
  });
export type HttpSettings = z.output<typeof httpSettingsSchema>;
