// The two read-only logs, messages and audit events: filters kept in the query string, newest first, "next page" by cursor.
import type { Context } from 'koa';
import { parseWith } from '../../../errors.ts';
import { STATUS_RANK } from '../../../sms/status.ts';
import { PURPOSES } from '../../../sms/types.ts';
import { auditListQuery } from '../../services/schemas/audit.ts';
import { messageListQuery } from '../../services/schemas/messages.ts';
import { type ConsoleKit, errorLocals, inlineError } from '../kit.ts';

const MESSAGE_FILTERS = ['to', 'country', 'status', 'purpose', 'clientId', 'accountId', 'since', 'until', 'limit'] as const;
const AUDIT_FILTERS = ['action', 'target', 'actor', 'since', 'until', 'limit'] as const;

/** The filters given in the query (blank ones left out); `limit` too, so the next page keeps it. */
function filtersOf<K extends string>(ctx: Context, names: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const n of names) {
    const v = ctx.query[n];
    if (typeof v === 'string' && v.trim()) out[n] = v.trim();
  }
  return out;
}

/** The URL of the next page: the same filters plus the cursor. */
const nextUrl = (path: string, filters: Record<string, string | undefined>, cursor: string | null) =>
  cursor ? `${path}?${new URLSearchParams({ ...(Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as Record<string, string>), cursor })}` : null;

const cursorOf = (ctx: Context) => (typeof ctx.query.cursor === 'string' && ctx.query.cursor ? { cursor: ctx.query.cursor } : {});

export function logPages({ get, page, services }: ConsoleKit): void {
  const { messages, audit, smsAccounts, clients } = services;
  const apps = async () => (await clients.list({ limit: 200 })).items.map((c) => ({ id: c.client_id, name: c.client_name }));

  get('/messages', async (ctx) => {
    const filters = filtersOf(ctx, MESSAGE_FILTERS);
    const accounts = (await smsAccounts.list({ limit: 200 })).items;
    const locals = { filters, statuses: Object.keys(STATUS_RANK), purposes: PURPOSES, accounts, accountNames: new Map(accounts.map((a) => [a.id, a.name])), apps: await apps(), paged: Boolean(ctx.query.cursor) };
    try {
      const result = await messages.list(parseWith(messageListQuery, { limit: 50, ...filters, ...cursorOf(ctx) }, 'sms_request_invalid'));
      await page(ctx, 'messages', 'messages', { ...locals, items: result.items, next: nextUrl('/admin/messages', filters, result.nextCursor), error: null });
    } catch (err) {
      const e = inlineError(err);
      await page(ctx, 'messages', 'messages', { ...locals, items: [], next: null, ...errorLocals(e) }, e.status);
    }
  });

  get('/messages/:id', async (ctx) => {
    const message = await messages.detail(ctx.params.id!);
    const accounts = (await smsAccounts.list({ limit: 200 })).items;
    const accountNames = new Map(accounts.map((a) => [a.id, a.name]));
    const app = message.clientId ? (await apps()).find((a) => a.id === message.clientId) : undefined;
    await page(ctx, 'message', 'messages', { message, accountName: accountNames.get(message.accountId) ?? null, accountNames, appName: app?.name ?? null });
  });

  get('/audit', async (ctx) => {
    const filters = filtersOf(ctx, AUDIT_FILTERS);
    const locals = { filters, paged: Boolean(ctx.query.cursor) };
    try {
      const result = await audit.list(parseWith(auditListQuery, { limit: 50, ...filters, ...cursorOf(ctx) }, 'audit_query_invalid'));
      await page(ctx, 'audit', 'audit', { ...locals, items: result.items, next: nextUrl('/admin/audit', filters, result.nextCursor), error: null });
    } catch (err) {
      const e = inlineError(err);
      await page(ctx, 'audit', 'audit', { ...locals, items: [], next: null, ...errorLocals(e) }, e.status);
    }
  });
}
