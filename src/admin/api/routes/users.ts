// /users: profile, phone fields, custom attributes, roles, disabled and policy; the password is write-only.
import type { AdminServices } from '../../services/index.ts';
import { pageOf } from '../../services/page.ts';
import { userCreateInput, userListQuery, userPatchInput, userView } from '../../services/schemas/users.ts';
import { type AnyRoute, defineRoute } from '../route.ts';
import { idParams } from './common.ts';

export function userRoutes({ users }: AdminServices): AnyRoute[] {
  const tag = 'Users';
  return [
    defineRoute({
      method: 'get', path: '/users', operationId: 'listUsers', summary: 'List users (search and filter)', tag, scope: 'read',
      query: userListQuery, response: pageOf(userView),
      handler: ({ query }) => users.list(query),
    }),
    defineRoute({
      method: 'post', path: '/users', operationId: 'createUser', summary: 'Create a user', tag, scope: 'write',
      body: userCreateInput, response: userView, status: 201, errors: [409, 422],
      handler: ({ body, actor }) => users.create(actor, body),
    }),
    defineRoute({
      method: 'get', path: '/users/{id}', operationId: 'getUser', summary: 'Get a user', tag, scope: 'read',
      params: idParams, response: userView,
      handler: ({ params }) => users.get(params.id),
    }),
    defineRoute({
      method: 'patch', path: '/users/{id}', operationId: 'updateUser', summary: 'Change a user (password, policy, roles, disabled, …)', tag, scope: 'write',
      params: idParams, body: userPatchInput, response: userView, errors: [409, 422],
      handler: ({ params, body, actor }) => users.update(actor, params.id, body),
    }),
    defineRoute({
      method: 'post', path: '/users/{id}/sessions/revoke', operationId: 'revokeUserSessions', summary: 'End every session, grant and token of a user', tag, scope: 'write',
      params: idParams, status: 204,
      handler: ({ params, actor }) => users.revokeSessions(actor, params.id),
    }),
    defineRoute({
      method: 'post', path: '/users/{id}/unblock', operationId: 'unblockUser', summary: 'Lift the wrong-password delays on the user\'s username and email', tag, scope: 'write',
      params: idParams, status: 204,
      handler: ({ params, actor }) => users.unblock(actor, params.id),
    }),
    defineRoute({
      method: 'delete', path: '/users/{id}', operationId: 'deleteUser', summary: 'Delete a user (their sessions end)', tag, scope: 'write',
      params: idParams, errors: [422],
      handler: ({ params, actor }) => users.remove(actor, params.id),
    }),
  ];
}
