// /sms-accounts: Twilio, HTTP gateway or development accounts; verify credentials, send a test message; secrets masked.
import type { AdminServices } from '../../services/index.ts';
import { pageOf } from '../../services/page.ts';
import { smsAccountListQuery, smsTestInput, smsTestResult } from '../../services/schemas/sms-accounts.ts';
import { type AnyRoute, defineRoute } from '../route.ts';
import { idParams } from './common.ts';

export function smsAccountRoutes({ smsAccounts }: AdminServices): AnyRoute[] {
  const tag = 'SMS accounts';
  // Built from this instance's provider registry: every provider's settings appear in the OpenAPI document.
  const { createInput: smsAccountCreateInput, patchInput: smsAccountPatchInput, view: smsAccountView } = smsAccounts.schemas;
  return [
    defineRoute({
      method: 'get', path: '/sms-accounts', operationId: 'listSmsAccounts', summary: 'List SMS accounts', tag, scope: 'read',
      query: smsAccountListQuery, response: pageOf(smsAccountView),
      handler: ({ query }) => smsAccounts.list(query),
    }),
    defineRoute({
      method: 'post', path: '/sms-accounts', operationId: 'createSmsAccount', summary: 'Add an SMS account (unverified until verified)', tag, scope: 'write',
      body: smsAccountCreateInput, response: smsAccountView, status: 201, errors: [409],
      handler: ({ body, actor }) => smsAccounts.create(actor, body),
    }),
    defineRoute({
      method: 'get', path: '/sms-accounts/{id}', operationId: 'getSmsAccount', summary: 'Get an SMS account', tag, scope: 'read',
      params: idParams, response: smsAccountView,
      handler: ({ params }) => smsAccounts.get(params.id),
    }),
    defineRoute({
      method: 'patch', path: '/sms-accounts/{id}', operationId: 'updateSmsAccount', summary: 'Change an SMS account', tag, scope: 'write',
      params: idParams, body: smsAccountPatchInput, response: smsAccountView, errors: [409],
      handler: ({ params, body, actor }) => smsAccounts.update(actor, params.id, body),
    }),
    defineRoute({
      method: 'delete', path: '/sms-accounts/{id}', operationId: 'deleteSmsAccount', summary: 'Delete an SMS account (not while the SMS factor or connection uses it)', tag, scope: 'write',
      params: idParams, errors: [409],
      handler: ({ params, actor }) => smsAccounts.remove(actor, params.id),
    }),
    defineRoute({
      method: 'post', path: '/sms-accounts/{id}/verify', operationId: 'verifySmsAccount', summary: 'Check the credentials with the provider', tag, scope: 'write',
      params: idParams, response: smsAccountView,
      handler: ({ params, actor }) => smsAccounts.verify(actor, params.id),
    }),
    defineRoute({
      method: 'post', path: '/sms-accounts/{id}/test', operationId: 'testSmsAccount', summary: 'Send the test message through this account', tag, scope: 'write',
      params: idParams, body: smsTestInput, response: smsTestResult, status: 202, errors: [503],
      handler: ({ params, body, actor }) => smsAccounts.testSend(actor, params.id, body),
    }),
  ];
}
