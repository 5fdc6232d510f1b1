// The HTTP gateway provider: any JSON-over-HTTP(S) SMS API; headers marked secret are sealed and masked like tokens.
import { mask } from '../../../security/secrets.ts';
import type { ProviderDescriptor } from '../types.ts';
import { httpError } from './errors.ts';
import { createHttpGateway } from './gateway.ts';
import { type HttpSettings, httpSettingsSchema } from './settings.ts';

interface Header {
  name: string;
  value?: string;
  secret?: boolean;
}
type Obj = Record<string, unknown>;
const headersOf = (s: Obj): Header[] => (Array.isArray(s.headers) ? (s.headers as Header[]) : []);

/** "Name: value" lines of the console form. */
function parseLines(text: string, secret: boolean): Header[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const colon = line.indexOf(':');
      // A line without a colon becomes a header named like the line with no value: the schema names the mistake.
      return colon <= 0 ? { name: line, value: '', secret } : { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim(), secret };
    });
}

export const httpProvider: ProviderDescriptor<HttpSettings> = {
  kind: 'http',
  label: 'admin.sms_accounts.provider.http',
  settings: httpSettingsSchema,
  secrets: {
    fields: [],
    split(full) {
      const sealed: Record<string, string> = {};
      const headers = headersOf(full).map((h) => {
        if (!h.secret) return h;
        sealed[h.name] = h.value ?? '';
        return { name: h.name, secret: true };
      });
      return { settings: { ...full, headers }, secrets: { headers: sealed } };
    },
    join(settings, secrets) {
      const sealed = (secrets.headers ?? {}) as Record<string, string>;
      return { ...settings, headers: headersOf(settings).map((h) => (h.secret ? { ...h, value: sealed[h.name] ?? '' } : h)) };
    },
    mask: (full) => ({ ...full, headers: headersOf(full).map((h) => (h.secret ? { ...h, value: mask(h.value ?? '') } : h)) }),
    keep(current, patch, merged) {
      if (!Array.isArray(patch.headers)) return merged;
      const old = new Map(headersOf(current).map((h) => [h.name.toLowerCase(), h.value]));
      const headers = headersOf(patch).map((h) =>
        h.secret === true && !h.value && typeof h.name === 'string' ? { ...h, value: old.get(h.name.toLowerCase()) ?? '' } : h,
      );
      return { ...merged, headers };
    },
    notGiven(patch, merged) {
      const given = new Set(headersOf(patch).filter((h) => h.secret && h.value).map((h) => h.name.toLowerCase()));
      return headersOf(merged)
        .filter((h) => h.secret && !given.has(h.name.toLowerCase()))
        .map((h) => `headers.${h.name}`);
    },
  },
  verifiedFields: ['url', 'method', 'headers', 'verifyUrl', 'verifyMethod', 'verifyBody', 'verifyStatus'],
  proof: 'admin.sms_accounts.proof.http',
  destinationFields: ['url', 'from', 'verifyUrl'],
  destinations: (s) => [s.url, ...(s.verifyUrl ? [s.verifyUrl] : [])],
  create: (s, ctx) => createHttpGateway(s, { timeoutMs: ctx.timeoutMs, egress: ctx.egress }),
  mapError: httpError,
  form: {
    initial: { method: 'POST', bodyTemplate: '{"to":"{{to}}","text":"{{body}}"}', messageIdPath: 'id' },
    fields: [
      { name: 'url', kind: 'url', label: 'admin.sms_accounts.http.url' },
      { name: 'method', kind: 'select', label: 'admin.sms_accounts.http.method', options: ['POST', 'PUT', 'PATCH'] },
      { name: 'headers', kind: 'textarea', label: 'admin.sms_accounts.http.headers', hint: 'admin.sms_accounts.http.headers_hint' },
      { name: 'secretHeaders', kind: 'textarea', label: 'admin.sms_accounts.http.secret_headers', hint: 'admin.sms_accounts.http.secret_headers_hint', errorPath: 'settings.headers' },
      { name: 'bodyTemplate', kind: 'textarea', label: 'admin.sms_accounts.http.body_template', hint: 'admin.sms_accounts.http.body_template_hint' },
      { name: 'from', kind: 'text', label: 'admin.sms_accounts.http.from' },
      { name: 'messageIdPath', kind: 'text', label: 'admin.sms_accounts.http.message_id_path' },
      { name: 'verifyUrl', kind: 'url', label: 'admin.sms_accounts.http.verify_url', hint: 'admin.sms_accounts.http.verify_url_hint' },
      { name: 'verifyMethod', kind: 'select', label: 'admin.sms_accounts.http.verify_method', options: ['GET', 'HEAD', 'POST'] },
      { name: 'verifyBody', kind: 'textarea', label: 'admin.sms_accounts.http.verify_body', hint: 'admin.sms_accounts.http.verify_body_hint' },
      { name: 'verifyStatus', kind: 'text', label: 'admin.sms_accounts.http.verify_status', hint: 'admin.sms_accounts.http.verify_status_hint' },
    ],
    toForm(settings) {
      const headers = headersOf(settings);
      return {
        values: {
          headers: headers.filter((h) => !h.secret).map((h) => `${h.name}: ${h.value ?? ''}`).join('\n'),
          secretHeaders: headers.filter((h) => h.secret).map((h) => `${h.name}:`).join('\n'),
        },
        masked: { secretHeaders: headers.filter((h) => h.secret).map((h) => `${h.name}: ${h.value ?? ''}`).join(', ') },
      };
    },
    fromForm: (read) => ({ headers: [...parseLines(read('headers'), false), ...parseLines(read('secretHeaders'), true)] }),
  },
};
