// Account settings through their provider's descriptor: what is sealed, how an edit merges, the masked view, what changed.
import { mask } from '../../security/secrets.ts';
import type { ProviderDescriptor } from '../providers/types.ts';

type Obj = Record<string, unknown>;

/** Separates what is stored in clear (settings) from what is sealed (secrets). */
export function splitSecrets(d: ProviderDescriptor, full: Obj): { settings: Obj; secrets: Obj } {
  if (d.secrets.split) return d.secrets.split(full);
  const settings: Obj = { ...full };
  const secrets: Obj = {};
  for (const k of d.secrets.fields) {
    if (settings[k] !== undefined) secrets[k] = settings[k];
    delete settings[k];
  }
  return { settings, secrets };
}

/** Inverse of splitSecrets: the full settings as the provider needs them. */
export function joinSecrets(d: ProviderDescriptor, settings: Obj, secrets: Obj): Obj {
  return d.secrets.join ? d.secrets.join(settings, secrets) : { ...settings, ...secrets };
}

/**
 * Applies an edit: a field left out keeps its value, `null` clears it. Secret values left out (or blank) are kept,
 * so an admin form never has to show them again.
 */
export function mergeSettings(d: ProviderDescriptor, current: Obj, patch: Obj): Obj {
  const merged: Obj = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  for (const k of d.secrets.fields) if (patch[k] === '' && current[k] !== undefined) merged[k] = current[k];
  return d.secrets.keep ? d.secrets.keep(current, patch, merged) : merged;
}

/** Settings safe to show in an API, a page or the audit log: every secret reduced to its last characters. */
export function publicSettings(d: ProviderDescriptor, full: Obj): Obj {
  const out: Obj = d.secrets.mask ? d.secrets.mask(full) : { ...full };
  for (const k of d.secrets.fields) out[k] = typeof full[k] === 'string' && full[k] ? mask(full[k] as string) : null;
  return out;
}

const differs = (keys: readonly string[], before: Obj, after: Obj) => keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));

/** Whether an edit touches what a verification checked (then the account must be verified again). */
export function credentialsChanged(d: ProviderDescriptor, before: Obj, after: Obj): boolean {
  return differs(d.verifiedFields, before, after).length > 0;
}

/** Destination fields an edit changes (URL, account id, sender): the secrets then have to be given again. */
export function destinationChanges(d: ProviderDescriptor, before: Obj, after: Obj): string[] {
  return differs(d.destinationFields, before, after);
}

/** Stored secrets the patch does not give anew. */
export function secretsNotGiven(d: ProviderDescriptor, patch: Obj, merged: Obj): string[] {
  const top = d.secrets.fields.filter((k) => merged[k] !== undefined && (typeof patch[k] !== 'string' || patch[k] === ''));
  return [...top, ...(d.secrets.notGiven?.(patch, merged) ?? [])];
}
