// What an Alibaba Cloud SMS account contains; the AccessKey Secret is part of the validated shape but stored sealed.
import { z } from 'zod';
import { blankToUndefined } from '../../validation.ts';
import { httpUrl } from '../fields.ts';

/** Mainland site; the international site is https://dysmsapi.ap-southeast-1.aliyuncs.com. */
export const ALIBABA_ENDPOINT = 'https://dysmsapi.aliyuncs.com';

/** A bare host (`dysmsapi.aliyuncs.com`) means https on that host; a full http(s) base is kept (tests, proxies). */
const endpoint = z.preprocess((v) => {
  const b = blankToUndefined(v);
  if (typeof b !== 'string') return b;
  const t = b.trim().replace(/\/+$/, '');
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `https://${t}`;
}, httpUrl.default(ALIBABA_ENDPOINT));

export const alibabaSettingsSchema = z
  .object({
    accessKeyId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{8,64}$/, 'must be an AccessKey ID (8 to 64 letters and digits, e.g. LTAI5t…)'),
    accessKeySecret: z
      .string()
      .trim()
      .min(16, 'the AccessKey Secret looks too short')
      .max(128, 'the AccessKey Secret is too long')
      .regex(/^\S+$/, 'the AccessKey Secret must not contain spaces'),
    endpoint,
    /** Per-request timeout (ms); default: the installation's provider timeout. */
    timeoutMs: z.preprocess(
      (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v)) : v),
      z.number({ message: 'must be a number of milliseconds' }).int().min(500, 'at least 500 ms').max(60_000, 'at most 60 000 ms').optional(),
    ),
    /** Messages without a report after this many minutes are looked up with QuerySendDetails. */
    pollAfterMinutes: z.preprocess(
      (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v)) : v),
      z.number({ message: 'must be a number of minutes' }).int().min(1, 'at least 1 minute').max(1440, 'at most 1440 minutes').default(5),
    ),
  })
  .strict();
export type AlibabaSettings = z.output<typeof alibabaSettingsSchema>;
