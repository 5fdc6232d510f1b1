// Turns zod failures into one AppError: the first problem as the message, every problem (path + message) as details.
import type { z } from 'zod';
import { AppError } from '../../errors.ts';

export interface Issue {
  path: string;
  message: string;
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

export function validationError(issues: Issue[], code: string, status = 400): AppError {
  const first = issues[0] ?? { path: '', message: 'invalid value' };
  return new AppError(code, status, {
    message: first.path ? `${first.path}: ${first.message}` : first.message,
    params: { field: first.path },
    details: { issues },
  });
}

/** Parses input with a schema, or throws a 400 (or `status`) AppError naming every failed field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, code = 'invalid_request', status = 400): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw validationError(issuesOf(parsed.error), code, status);
}
