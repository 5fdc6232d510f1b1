// /policies: MFA, password and password-update sections; the default policy; user reassignment on delete.
import type { AdminServices } from '../../services/index.ts';
import { pageOf } from '../../services/page.ts';
import { policyCreateInput, policyDeleteQuery, policyListQuery, policyPatchInput, policyView } from '../../services/schemas/policies.ts';
import { type AnyRoute, defineRoute } from '../route.ts';
import { idParams } from './common.ts';

export function policyRoutes({ policies }: AdminServices): AnyRoute[] {
  const tag = 'Policies';
  return [
    defineRoute({
      method: 'get', path: '/policies', operationId: 'listPolicies', summary: 'List policies (the default first)', tag, scope: 'read',
      query: policyListQuery, response: pageOf(policyView),
      handler: ({ query }) => policies.list(query),
    }),
    defineRoute({
      method: 'post', path: '/policies', operationId: 'createPolicy', summary: 'Create a policy', tag, scope: 'write',
      body: policyCreateInput, response: policyView, status: 201, errors: [409, 422],
      handler: ({ body, actor }) => policies.create(actor, body),
    }),
    defineRoute({
      method: 'get', path: '/policies/{id}', operationId: 'getPolicy', summary: 'Get a policy', tag, scope: 'read',
      params: idParams, response: policyView,
      handler: ({ params }) => policies.get(params.id),
    }),
    defineRoute({
      method: 'patch', path: '/policies/{id}', operationId: 'updatePolicy', summary: 'Change a policy', tag, scope: 'write',
      params: idParams, body: policyPatchInput, response: policyView, errors: [409, 422],
      handler: ({ params, body, actor }) => policies.update(actor, params.id, body),
    }),
    defineRoute({
      method: 'delete', path: '/policies/{id}', operationId: 'deletePolicy', summary: 'Delete a policy (not the default)', tag, scope: 'write',
      params: idParams, query: policyDeleteQuery, errors: [422],
      handler: ({ params, query, actor }) => policies.remove(actor, params.id, query),
    }),
    defineRoute({
      method: 'post', path: '/policies/{id}/default', operationId: 'setDefaultPolicy', summary: 'Make this the default policy', tag, scope: 'write',
      params: idParams, response: policyView,
      handler: ({ params, actor }) => policies.setDefault(actor, params.id),
    }),
  ];
}
