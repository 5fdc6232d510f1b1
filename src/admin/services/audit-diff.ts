// A change as people read it: the fields that differ between an event's `before` and `after`, one line each, by dotted path.

export interface FieldChange {
  field: string;
  /** JSON text of the old value; null when the field was added. */
  before: string | null;
  /** JSON text of the new value; null when the field was removed. */
  after: string | null;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function flatten(v: unknown, prefix: string, out: Map<string, string>): void {
  if (isPlainObject(v) && Object.keys(v).length > 0) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (prefix) out.set(prefix, JSON.stringify(v ?? null));
}

/** Every field whose value differs (arrays compared whole); `updatedAt` left out, it changes with everything. */
export function diffOf(before: unknown, after: unknown): FieldChange[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(before ?? {}, '', a);
  flatten(after ?? {}, '', b);
  const fields = [...new Set([...a.keys(), ...b.keys()])].filter((f) => f !== 'updatedAt' && a.get(f) !== b.get(f));
  return fields.sort().map((field) => ({ field, before: a.get(field) ?? null, after: b.get(field) ?? null }));
}
