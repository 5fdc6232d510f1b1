// The one parse helper: a zod schema checks a value where it enters, or one AppError lists every failed field (path + message).
import type { z } from 'zod';
import { AppError } from './app-error.ts';
import type { ErrorCode, StatusOf } from './codes.ts';

export interface Issue {
  /** Dotted path of the field, e.g. `settings.accountSid` (empty for the whole value). */
  path: string;
  message: string;
  /** The error code of this issue when it differs from the error's (e.g. one policy rule among several). */
  code?: string;
}

/** Flattens zod issues; an unknown key is reported at its own path. */
export function issuesOf(error: z.ZodError, prefix = ''): Issue[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? [issue.keys[0]] : [];
    const path = [prefix, ...issue.path.map(String), ...keys].filter(Boolean).join('.');
    const message = issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message;
    return { path, message };
  });
}

/** One AppError for a list of field problems: the first as the message, every one in `details.issues`. */
export function validationError<C extends ErrorCode>(issues: Issue[], code: C, status?: StatusOf<C>, extra: Record<string, unknown> = {}): AppError<C> {
  const first = issues[0] ?? { path: '', message: 'invalid value' };
  return new AppError(code, status, {
    message: first.path ? `${first.path}: ${first.message}` : first.message,
    params: { field: first.path },
    details: { ...extra, issues },
  });
}

export interface ParseOptions<C extends ErrorCode> {
  status?: StatusOf<C>;
  /** Prefix for every issue path (e.g. `settings` when the value is one field of a larger input). */
  prefix?: string;
  /** Where the value came from (`path`, `query`, `body`), reported in `details.in`. */
  in?: string;
}

/** Parses a value with its schema, or throws the code's AppError naming every failed field. */
export function parseWith<S extends z.ZodType, C extends ErrorCode>(schema: S, value: unknown, code: C, opts: ParseOptions<C> = {}): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw validationError(issuesOf(parsed.error, opts.prefix), code, opts.status, opts.in ? { in: opts.in } : {});
}
