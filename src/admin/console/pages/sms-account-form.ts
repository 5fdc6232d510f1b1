// The SMS account form per provider: settings as form text, and back into what the accounts service creates or merges.
import type { Context } from 'koa';
import { AppError } from '../../../errors.ts';
import type { SmsAccountView } from '../../services/schemas/sms-accounts.ts';
import { checkbox, text } from '../form.ts';

export const PROVIDER_KINDS = ['twilio', 'http', 'dev'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const isProvider = (v: unknown): v is ProviderKind => typeof v === 'string' && (PROVIDER_KINDS as readonly string[]).includes(v);

/** Form text of every settings field (secrets blank: a blank secret keeps the stored one). */
export interface AccountValues {
  id: string;
  provider: ProviderKind;
  name: string;
  note: string;
  isDefault: boolean;
  s: Record<string, string>;
  statusCallbacks: boolean;
  /** Masked secrets of a stored account, shown beside their empty inputs. */
  masked: Record<string, string>;
}

const TWILIO_TEXT = ['accountSid', 'authToken', 'apiKeySid', 'apiKeySecret', 'from', 'messagingServiceSid', 'apiBaseUrl'] as const;
const TWILIO_SECRETS = new Set(['authToken', 'apiKeySecret']);
const HTTP_TEXT = ['url', 'method', 'headers', 'secretHeaders', 'bodyTemplate', 'from', 'messageIdPath'] as const;

interface Header {
  name: string;
  value?: string;
  secret?: boolean;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export function emptyAccount(provider: ProviderKind): AccountValues {
  const s: Record<string, string> = provider === 'http' ? { method: 'POST', bodyTemplate: '{"to":"{{to}}","text":"{{body}}"}', messageIdPath: 'id' } : {};
  return { id: '', provider, name: '', note: '', isDefault: false, s, statusCallbacks: false, masked: {} };
}

/** The stored account as form text; secrets stay masked and out of the inputs. */
export function accountValues(a: SmsAccountView): AccountValues {
  const st = a.settings;
  const s: Record<string, string> = {};
  const masked: Record<string, string> = {};
  if (a.provider === 'twilio') {
    for (const k of TWILIO_TEXT) {
      if (TWILIO_SECRETS.has(k)) masked[k] = str(st[k]);
      else s[k] = str(st[k]);
    }
  }
  if (a.provider === 'http') {
    for (const k of ['url', 'method', 'bodyTemplate', 'from', 'messageIdPath']) s[k] = str(st[k]);
    const headers = (Array.isArray(st.headers) ? st.headers : []) as Header[];
    s.headers = headers
      .filter((h) => !h.secret)
      .map((h) => `${h.name}: ${h.value ?? ''}`)
      .join('\n');
    s.secretHeaders = headers
      .filter((h) => h.secret)
      .map((h) => `${h.name}:`)
      .join('\n');
    masked.secretHeaders = headers
      .filter((h) => h.secret)
      .map((h) => `${h.name}: ${h.value ?? ''}`)
      .join(', ');
  }
  return { id: a.id, provider: a.provider, name: a.name, note: a.note ?? '', isDefault: a.isDefault, s, statusCallbacks: st.statusCallbacks === true, masked };
}

/** The posted form, to show again after an error (secrets are not echoed back). */
export function postedAccount(ctx: Context, base: AccountValues): AccountValues {
  const s: Record<string, string> = {};
  const fields = base.provider === 'twilio' ? TWILIO_TEXT : base.provider === 'http' ? HTTP_TEXT : [];
  for (const k of fields) s[k] = TWILIO_SECRETS.has(k) && base.provider === 'twilio' ? '' : text(ctx, k);
  return { ...base, name: text(ctx, 'name'), note: text(ctx, 'note'), isDefault: checkbox(ctx, 'isDefault'), s, statusCallbacks: checkbox(ctx, 'statusCallbacks') };
}

/** "Name: value" lines; `secret` marks them as secret headers. */
function parseHeaders(ctx: Context, fieldName: string, secret: boolean): Header[] {
  const out: Header[] = [];
  for (const [i, raw] of text(ctx, fieldName).split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new AppError('sms_account_invalid', 400, { message: `settings.headers: line ${i + 1} must look like Name: value`, params: { field: 'settings.headers' } });
    out.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim(), secret });
  }
  return out;
}

/**
 * Settings as the service takes them. On create a blank field is left out; on edit a blank optional field is
 * cleared (null) and a blank secret is sent blank, which keeps the stored one.
 */
export function settingsInput(ctx: Context, provider: ProviderKind, editing: boolean): Record<string, unknown> {
  const blank = (k: string) => {
    const v = text(ctx, k).trim();
    return v === '' ? (editing ? null : undefined) : v;
  };
  if (provider === 'twilio') {
    return {
      accountSid: text(ctx, 'accountSid').trim(),
      authToken: text(ctx, 'authToken').trim() || (editing ? '' : undefined),
      apiKeySecret: text(ctx, 'apiKeySecret').trim() || (editing ? '' : undefined),
      apiKeySid: blank('apiKeySid'),
      from: blank('from'),
      messagingServiceSid: blank('messagingServiceSid'),
      apiBaseUrl: blank('apiBaseUrl'),
      statusCallbacks: checkbox(ctx, 'statusCallbacks'),
    };
  }
  if (provider === 'http') {
    return {
      url: text(ctx, 'url').trim(),
      method: text(ctx, 'method') || 'POST',
      headers: [...parseHeaders(ctx, 'headers', false), ...parseHeaders(ctx, 'secretHeaders', true)],
      bodyTemplate: text(ctx, 'bodyTemplate'),
      from: blank('from'),
      messageIdPath: blank('messageIdPath'),
    };
  }
  return {};
}
