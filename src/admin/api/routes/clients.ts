// /clients: relying parties and machine clients; the secret appears only when created or rotated.
import type { AdminServices } from '../../services/index.ts';
import { pageOf } from '../../services/page.ts';
import { clientCreateInput, clientListQuery, clientPatchInput, clientView, clientWithSecret } from '../../services/schemas/clients.ts';
import { type AnyRoute, defineRoute } from '../route.ts';
import { idParams } from './common.ts';

export function clientRoutes({ clients }: AdminServices): AnyRoute[] {
  const tag = 'Clients';
  return [
    defineRoute({
      method: 'get', path: '/clients', operationId: 'listClients', summary: 'List clients', tag, scope: 'read',
      query: clientListQuery, response: pageOf(clientView),
      handler: ({ query }) => clients.list(query),
    }),
    defineRoute({
      method: 'post', path: '/clients', operationId: 'createClient', summary: 'Create a client (its secret is returned once)', tag, scope: 'write',
      body: clientCreateInput, response: clientWithSecret, status: 201, errors: [409],
      handler: ({ body, actor }) => clients.create(actor, body),
    }),
    defineRoute({
      method: 'get', path: '/clients/{id}', operationId: 'getClient', summary: 'Get a client', tag, scope: 'read',
      params: idParams, response: clientView,
      handler: ({ params }) => clients.get(params.id),
    }),
    defineRoute({
      method: 'patch', path: '/clients/{id}', operationId: 'updateClient', summary: 'Change a client', tag, scope: 'write',
      params: idParams, body: clientPatchInput, response: clientView,
      handler: ({ params, body, actor }) => clients.update(actor, params.id, body),
    }),
    defineRoute({
      method: 'delete', path: '/clients/{id}', operationId: 'deleteClient', summary: 'Delete a client', tag, scope: 'write',
      params: idParams, errors: [422],
      handler: ({ params, actor }) => clients.remove(actor, params.id),
    }),
    defineRoute({
      method: 'post', path: '/clients/{id}/secret', operationId: 'rotateClientSecret', summary: 'Replace the client secret (returned once)', tag, scope: 'write',
      params: idParams, response: clientWithSecret, errors: [422],
      handler: ({ params, actor }) => clients.rotateSecret(actor, params.id),
    }),
  ];
}
