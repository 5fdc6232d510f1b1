// Per-provider handling of account settings: which fields are secret, how an edit merges, and the masked view.
import { mask } from '../../security/secrets.ts';
import type { ProviderKind } from '../types.ts';
import type { HttpSettings, TwilioSettings } from './schema.ts';

type Obj = Record<string, unknown>;

const TWILIO_SECRETS = ['authToken', 'apiKeySecret'] as const;

/** Separates what is stored in clear (settings) from what is sealed (secrets). */
export function splitSecrets(provider: ProviderKind, full: Obj): { settings: Obj; secrets: Obj } {
  if (provider === 'twilio') {
    const settings: Obj = { ...full };
    const secrets: Obj = {};
    for (const k of TWILIO_SECRETS) {
      if (settings[k] !== undefined) secrets[k] = settings[k];
      delete settings[k];
    }
    return { settings, secrets };
  }
  if (provider === 'http') {
    const h = full as HttpSettings;
    const headerSecrets: Record<string, string> = {};
    const headers = h.headers.map((x) => {
      if (!x.secret) return x;
      headerSecrets[x.name] = x.value;
      return { name: x.name, secret: true };
    });
    return { settings: { ...h, headers }, secrets: { headers: headerSecrets } };
  }
  return { settings: {}, secrets: {} };
}

/** Inverse of splitSecrets: the full settings as the provider needs them. */
export function joinSecrets(provider: ProviderKind, settings: Obj, secrets: Obj): Obj {
  if (provider === 'twilio') return { ...settings, ...secrets };
  if (provider === 'http') {
    const sealed = (secrets.headers ?? {}) as Record<string, string>;
    const headers = ((settings.headers ?? []) as { name: string; value?: string; secret?: boolean }[]).map((x) =>
      x.secret ? { ...x, value: sealed[x.name] ?? '' } : x,
    );
    return { ...settings, headers };
  }
  return { ...settings };
}

/**
 * Applies an edit: a field left out keeps its value, `null` clears it. Secret values left out (or blank) are kept,
 * so an admin form never has to show them again.
 */
export function mergeSettings(provider: ProviderKind, current: Obj, patch: Obj): Obj {
  const merged: Obj = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  if (provider === 'twilio') {
    for (const k of TWILIO_SECRETS) if (patch[k] === '' && current[k] !== undefined) merged[k] = current[k];
  }
  if (provider === 'http' && Array.isArray(patch.headers)) {
    const old = new Map(((current.headers ?? []) as { name: string; value: string }[]).map((h) => [h.name.toLowerCase(), h.value]));
    merged.headers = (patch.headers as Obj[]).map((h) => {
      const keep = h.secret === true && (h.value === undefined || h.value === '') && typeof h.name === 'string';
      return keep ? { ...h, value: old.get(String(h.name).toLowerCase()) ?? '' } : h;
    });
  }
  return merged;
}

/** Settings safe to show in an API, a page or a log: secrets reduced to their last characters. */
export function publicSettings(provider: ProviderKind, full: Obj): Obj {
  if (provider === 'twilio') {
    const t = full as TwilioSettings;
    const { authToken, apiKeySecret, ...rest } = t;
    return { ...rest, authToken: authToken ? mask(authToken) : null, apiKeySecret: apiKeySecret ? mask(apiKeySecret) : null };
  }
  if (provider === 'http') {
    const h = full as HttpSettings;
    return { ...h, headers: h.headers.map((x) => (x.secret ? { ...x, value: mask(x.value) } : x)) };
  }
  return {};
}

/** Whether an edit touches what a verification checked (then the account must be verified again). */
export function credentialsChanged(provider: ProviderKind, before: Obj, after: Obj): boolean {
  const keys =
    provider === 'twilio'
      ? ['accountSid', 'authToken', 'apiKeySid', 'apiKeySecret', 'apiBaseUrl', 'from', 'messagingServiceSid']
      : provider === 'http'
        ? ['url', 'method', 'headers']
        : [];
  return keys.some((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}
