// Pagination shared by every list: `limit` plus an opaque `cursor` (an offset, or the last row seen for logs).
import { z } from 'zod';
import { AppError } from '../../errors.ts';

export const MAX_LIMIT = 200;

/** Query fields of every list; `cursor` is the `nextCursor` of the previous page. */
export const pageFields = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50).describe(`Items per page, 1–${MAX_LIMIT} (default 50).`),
  cursor: z.string().max(500).optional().describe('The nextCursor of the previous page; leave out for the first page.'),
};

export interface PageQuery {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable().describe('Cursor of the next page; null on the last page.') });

export const encodeCursor = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError('invalid_cursor', 400, { message: 'cursor: is not a cursor this list returned', params: { field: 'cursor' } });
  return parsed.data;
}

const offsetCursor = z.object({ o: z.number().int().min(0) });

const offsetOf = (cursor?: string) => (cursor ? decodeCursor(offsetCursor, cursor).o : 0);

/** Pages through a query that takes limit/offset (one extra row tells whether more follow). */
export async function offsetPaged<T>(q: PageQuery, fetch: (limit: number, offset: number) => Promise<T[]>): Promise<Page<T>> {
  const offset = offsetOf(q.cursor);
  const rows = await fetch(q.limit + 1, offset);
  const more = rows.length > q.limit;
  return { items: rows.slice(0, q.limit), nextCursor: more ? encodeCursor({ o: offset + q.limit }) : null };
}

/** Pages through a list already in memory (small tables: accounts, templates, policies). */
export function pageOfList<T>(all: T[], q: PageQuery): Page<T> {
  const offset = offsetOf(q.cursor);
  const items = all.slice(offset, offset + q.limit);
  return { items, nextCursor: offset + q.limit < all.length ? encodeCursor({ o: offset + q.limit }) : null };
}

/** Pages through a log newest first, continuing after the last row seen (rows added meanwhile do not shift pages). */
export async function keysetPaged<T>(
  q: PageQuery,
  fetch: (limit: number, after: { at: number; id: string } | undefined) => Promise<T[]>,
  key: (item: T) => { at: number; id: string },
): Promise<Page<T>> {
  const after = q.cursor ? decodeCursor(z.object({ at: z.number().int(), id: z.string().max(64) }), q.cursor) : undefined;
  const rows = await fetch(q.limit + 1, after);
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor(key(last)) : null };
}

/** Query values arrive as text; services called directly pass booleans. */
export const queryBoolean = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

/** A point in time: ISO 8601 date or date-time, or epoch milliseconds. Becomes epoch milliseconds. */
export const timestampQuery = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$|^\d{1,15}$/, 'must be an ISO 8601 date or date-time, or epoch milliseconds')
    .transform((v, ctx) => {
      const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
      if (Number.isNaN(ms)) ctx.addIssue({ code: 'custom', message: 'is not a valid date' });
      return ms;
    }),
]);
