// /sms-routes: routing rules (destination → account, with a fallback account), evaluated in order.
import type { AdminServices } from '../../services/index.ts';
import { smsRouteCreateInput, smsRoutePatchInput, smsRoutesView, smsRouteView } from '../../services/schemas/sms-routes.ts';
import { type AnyRoute, defineRoute } from '../route.ts';
import { idParams } from './common.ts';

export function smsRouteRoutes({ smsRoutes: r }: AdminServices): AnyRoute[] {
  const tag = 'SMS routing';
  return [
    defineRoute({
      method: 'get', path: '/sms-routes', operationId: 'listSmsRoutes', summary: 'List routing rules in evaluation order, and the implicit ones after them', tag, scope: 'read',
      response: smsRoutesView,
      handler: () => r.list(),
    }),
    defineRoute({
      method: 'post', path: '/sms-routes', operationId: 'createSmsRoute', summary: 'Add a routing rule (last, or at `position`)', tag, scope: 'write',
      body: smsRouteCreateInput, response: smsRouteView, status: 201,
      handler: ({ body, actor }) => r.create(actor, body),
    }),
    defineRoute({
      method: 'get', path: '/sms-routes/{id}', operationId: 'getSmsRoute', summary: 'Get a routing rule', tag, scope: 'read',
      params: idParams, response: smsRouteView,
      handler: ({ params }) => r.get(params.id),
    }),
    defineRoute({
      method: 'patch', path: '/sms-routes/{id}', operationId: 'updateSmsRoute', summary: 'Change or move a routing rule', tag, scope: 'write',
      params: idParams, body: smsRoutePatchInput, response: smsRouteView,
      handler: ({ params, body, actor }) => r.update(actor, params.id, body),
    }),
    defineRoute({
      method: 'delete', path: '/sms-routes/{id}', operationId: 'deleteSmsRoute', summary: 'Delete a routing rule', tag, scope: 'write',
      params: idParams,
      handler: ({ params, actor }) => r.remove(actor, params.id),
    }),
  ];
}
