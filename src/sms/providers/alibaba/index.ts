// The Alibaba Cloud SMS provider: approved templates by code through the official SDK, SmsReport pushes, QuerySendDetails polling.
import type { ProviderDescriptor } from '../types.ts';
import { createAlibabaClient } from './client.ts';
import { alibabaError } from './errors.ts';
import { readSmsReport } from './reports.ts';
import { type AlibabaSettings, alibabaSettingsSchema } from './settings.ts';

export const alibabaProvider: ProviderDescriptor<AlibabaSettings> = {
  kind: 'alibaba',
  label: 'admin.sms_accounts.provider.alibaba',
  settings: alibabaSettingsSchema,
  secrets: { fields: ['accessKeySecret'] },
  proof: 'admin.sms_accounts.proof.alibaba',
  verifiedFields: ['accessKeyId', 'accessKeySecret', 'endpoint'],
  destinationFields: ['endpoint', 'accessKeyId'],
  destinations: (s) => [s.endpoint],
  create: (s, ctx) => createAlibabaClient(s, { timeoutMs: ctx.timeoutMs, egress: ctx.egress }),
  mapError: alibabaError,
  templateCodes: true,
  defaultHomeCountry: 'CN',
  reports: {
    read: readSmsReport,
    answer: { code: 0, msg: '成功' },
    pollAfterMs: (s) => s.pollAfterMinutes * 60_000,
  },
  form: {
    note: 'admin.sms_accounts.alibaba.note',
    fields: [
      { name: 'accessKeyId', kind: 'text', label: 'admin.sms_accounts.alibaba.access_key_id' },
      { name: 'accessKeySecret', kind: 'secret', label: 'admin.sms_accounts.alibaba.access_key_secret', hint: 'admin.sms_accounts.alibaba.secret_hint' },
      { name: 'endpoint', kind: 'text', label: 'admin.sms_accounts.alibaba.endpoint', hint: 'admin.sms_accounts.alibaba.endpoint_hint' },
      { name: 'timeoutMs', kind: 'text', label: 'admin.sms_accounts.alibaba.timeout' },
      { name: 'pollAfterMinutes', kind: 'text', label: 'admin.sms_accounts.alibaba.poll_after' },
    ],
    initial: { endpoint: 'dysmsapi.aliyuncs.com', pollAfterMinutes: '5' },
  },
};
