// Reads console form fields into the shapes the admin services validate (the services own the rules and the messages).
import type { Context } from 'koa';
import { field } from '../../http/forms.ts';

/** Text as typed (trimmed by the service where it matters); absent → ''. */
export const text = (ctx: Context, name: string): string => field(ctx, name) ?? '';

/** Blank means "not set": undefined (left out of a change). */
export const optionalText = (ctx: Context, name: string): string | undefined => {
  const v = field(ctx, name);
  return v === undefined || v.trim() === '' ? undefined : v;
};

/** Blank means "cleared": null. */
export const nullableText = (ctx: Context, name: string): string | null => optionalText(ctx, name) ?? null;

/** A checkbox: present → true. */
export const checkbox = (ctx: Context, name: string): boolean => field(ctx, name) !== undefined;

/** A number field: digits become a number; anything else is passed on as typed so the service explains what is wrong. */
export function numberField(ctx: Context, name: string): number | string | undefined {
  const v = optionalText(ctx, name)?.trim();
  if (v === undefined) return undefined;
  return /^-?\d+$/.test(v) ? Number(v) : v;
}

/** A number field where blank means "none" (null). */
export const nullableNumber = (ctx: Context, name: string): number | string | null => numberField(ctx, name) ?? null;

/** One entry per line, blanks dropped. */
export const lines = (ctx: Context, name: string): string[] =>
  text(ctx, name)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** Entries separated by commas or spaces, blanks dropped. */
export const words = (ctx: Context, name: string): string[] =>
  text(ctx, name)
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter(Boolean);

/** Every value of a repeated field (checkbox groups); the form parser gives a string or an array. */
export function many(ctx: Context, name: string): string[] {
  const body = (ctx.request as { body?: unknown }).body as Record<string, unknown> | undefined;
  const v = body?.[name];
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Drops fields left blank (undefined), so a change keeps their stored values. */
export const compact = <T extends Record<string, unknown>>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
