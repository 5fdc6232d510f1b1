// The SMS account form, drawn from the provider's descriptor: settings as form text, and back into what the service takes.
import type { Context } from 'koa';
import { hasKey } from '../../../i18n/index.ts';
import type { FormField, ProviderDescriptor, ProviderRegistry } from '../../../sms/index.ts';
import type { SmsAccountView } from '../../services/schemas/sms-accounts.ts';
import { checkbox, text } from '../form.ts';

/** Form text of every settings field (secrets blank: a blank secret keeps the stored one). */
export interface AccountValues {
  id: string;
  provider: string;
  name: string;
  note: string;
  isDefault: boolean;
  homeCountry: string;
  s: Record<string, string>;
  /** Checkbox fields. */
  checks: Record<string, boolean>;
  /** Masked secrets of a stored account, shown beside their empty inputs. */
  masked: Record<string, string>;
}

/** i18n key (or text) of "Add a … account": a translated one where the catalog has it, else the provider's name. */
export const addLabel = (d: ProviderDescriptor): string => (hasKey(`admin.sms_accounts.add.${d.kind}`) ? `admin.sms_accounts.add.${d.kind}` : d.label);

export interface ProviderForm {
  kind: string;
  label: string;
  add: string;
  note: string | null;
  /** What a verification checks (i18n key), from the descriptor. */
  proof: string | null;
  fields: (FormField & { errorPath: string })[];
}

/** What the view draws: the provider's name, note and inputs (with the settings path their errors name). */
export function formOf(d: ProviderDescriptor): ProviderForm {
  return {
    kind: d.kind,
    label: d.label,
    add: addLabel(d),
    note: d.form.note ?? null,
    proof: d.proof ?? null,
    fields: d.form.fields.map((f) => ({ ...f, errorPath: f.errorPath ?? `settings.${f.name}` })),
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export function emptyAccount(d: ProviderDescriptor): AccountValues {
  return { id: '', provider: d.kind, name: '', note: '', isDefault: false, homeCountry: '', s: { ...d.form.initial }, checks: {}, masked: {} };
}

/** The stored account as form text; secrets stay masked and out of the inputs. */
export function accountValues(registry: ProviderRegistry, a: SmsAccountView): AccountValues {
  const d = registry.find(a.provider);
  const st = a.settings;
  const s: Record<string, string> = {};
  const checks: Record<string, boolean> = {};
  const masked: Record<string, string> = {};
  const custom = d?.form.toForm?.(st);
  for (const f of d?.form.fields ?? []) {
    if (custom && f.name in custom.values) s[f.name] = custom.values[f.name] ?? '';
    else if (f.kind === 'checkbox') checks[f.name] = st[f.name] === true;
    else if (f.kind === 'secret') masked[f.name] = str(st[f.name]);
    else s[f.name] = str(st[f.name]);
  }
  Object.assign(masked, custom?.masked);
  return { id: a.id, provider: a.provider, name: a.name, note: a.note ?? '', isDefault: a.isDefault, homeCountry: a.homeCountry ?? '', s, checks, masked };
}

/** The posted form, to show again after an error (secrets are not echoed back). */
export function postedAccount(ctx: Context, d: ProviderDescriptor | undefined, base: AccountValues): AccountValues {
  const s: Record<string, string> = {};
  const checks: Record<string, boolean> = {};
  for (const f of d?.form.fields ?? []) {
    if (f.kind === 'checkbox') checks[f.name] = checkbox(ctx, f.name);
    else s[f.name] = f.kind === 'secret' ? '' : text(ctx, f.name);
  }
  return { ...base, name: text(ctx, 'name'), note: text(ctx, 'note'), isDefault: checkbox(ctx, 'isDefault'), homeCountry: text(ctx, 'homeCountry'), s, checks };
}

/**
 * Settings as the service takes them. On create a blank field is left out; on edit a blank optional field is
 * cleared (null) and a blank secret is sent blank, which keeps the stored one.
 */
export function settingsInput(ctx: Context, d: ProviderDescriptor, editing: boolean): Record<string, unknown> {
  const custom = d.form.fromForm?.((name) => text(ctx, name), editing) ?? {};
  const out: Record<string, unknown> = {};
  for (const f of d.form.fields) {
    if (f.errorPath && f.errorPath !== `settings.${f.name}`) continue; // an input feeding another field (read by fromForm)
    if (f.name in custom) continue;
    const v = text(ctx, f.name).trim();
    if (f.kind === 'checkbox') out[f.name] = checkbox(ctx, f.name);
    else if (f.kind === 'secret') out[f.name] = v || (editing ? '' : undefined);
    else if (f.kind === 'select') out[f.name] = v || f.options?.[0];
    else out[f.name] = v === '' ? (editing ? null : undefined) : f.kind === 'textarea' ? text(ctx, f.name) : v;
  }
  return { ...out, ...custom };
}
