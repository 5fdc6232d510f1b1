// Turns zod failures into one clear AppError (field path + message), the shape every SMS service function throws.
import type { z } from 'zod';
import { AppError } from '../errors.ts';

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, code: string, prefix = ''): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  const message = `${path ? `${path}: ` : ''}${issue?.message ?? 'invalid value'}`;
  throw new AppError(code, 400, { message, params: { field: path } });
}

/** Empty strings from forms mean "not set". */
export const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
