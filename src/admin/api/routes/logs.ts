// /messages (the SMS log) and /audit-events (who changed what): read-only, newest first, filtered, cursor-paged.
import { z } from 'zod';
import type { AdminServices } from '../../services/index.ts';
import { pageOf } from '../../services/page.ts';
import { auditEventView, auditListQuery } from '../../services/schemas/audit.ts';
import { messageDetailView, messageListQuery, messageView } from '../../services/schemas/messages.ts';
import { type AnyRoute, defineRoute } from '../route.ts';

const messageParams = z.object({ id: z.string().min(1).max(36).describe('Message id.') }).strict();

export function logRoutes({ messages, audit }: AdminServices): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/messages', operationId: 'listMessages', summary: 'The SMS log (search by recipient number; filter by country, status, purpose, account, provider, date)', tag: 'Messages', scope: 'read',
      query: messageListQuery, response: pageOf(messageView),
      handler: ({ query }) => messages.list(query),
    }),
    defineRoute({
      method: 'get', path: '/messages/{id}', operationId: 'getMessage', summary: 'One message: delivery status, the failure and its meaning, timeline, template, segments', tag: 'Messages', scope: 'read',
      params: messageParams, response: messageDetailView,
      handler: ({ params }) => messages.detail(params.id),
    }),
    defineRoute({
      method: 'get', path: '/audit-events', operationId: 'listAuditEvents', summary: 'Audit events (filter by action, target, actor, date)', tag: 'Audit', scope: 'read',
      query: auditListQuery, response: pageOf(auditEventView),
      handler: ({ query }) => audit.list(query),
    }),
  ];
}
