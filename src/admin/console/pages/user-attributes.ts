// Custom attributes as one "name = value" line each: shown as text, read back as the change the users service merges.
import { AppError } from '../../../errors.ts';

const show = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function attributesText(attributes: Record<string, unknown>): string {
  return Object.entries(attributes)
    .map(([k, v]) => `${k} = ${show(v)}`)
    .join('\n');
}

/** Reads the lines; values stay text (a number typed here may be a phone number with a leading zero). */
export function parseAttributes(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      throw new AppError('user_invalid', 400, { message: `customAttributes: line ${i + 1} must look like name = value`, params: { field: 'customAttributes' } });
    }
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return Object.fromEntries(Object.entries(out)); // a plain object again, every name an own property
}

/** The patch for the users service: removed names become null, unchanged values (compared as shown) are left out. */
export function attributeChanges(current: Record<string, unknown>, next: Record<string, string>): Record<string, string | null> {
  const removed = Object.keys(current)
    .filter((k) => !Object.hasOwn(next, k))
    .map((k): [string, null] => [k, null]);
  const changed = Object.entries(next).filter(([k, v]) => !Object.hasOwn(current, k) || show(current[k]) !== v);
  return Object.fromEntries([...removed, ...changed]);
}
