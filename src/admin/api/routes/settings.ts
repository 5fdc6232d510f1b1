// /connections/sms and /factors/sms: the installation's passwordless SMS settings and its SMS factor.
import type { AdminServices } from '../../services/index.ts';
import { smsConnectionPatchInput, smsConnectionView } from '../../services/schemas/sms-connection.ts';
import { phoneFieldList, smsFactorPatchInput, smsFactorView } from '../../services/schemas/sms-factor.ts';
import { type AnyRoute, defineRoute } from '../route.ts';

export function settingsRoutes({ smsConnection, smsFactor }: AdminServices): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/connections/sms', operationId: 'getSmsConnection', summary: 'Passwordless SMS sign-in settings', tag: 'SMS connection', scope: 'read',
      response: smsConnectionView,
      handler: () => smsConnection.get(),
    }),
    defineRoute({
      method: 'patch', path: '/connections/sms', operationId: 'updateSmsConnection', summary: 'Change passwordless SMS sign-in settings', tag: 'SMS connection', scope: 'write',
      body: smsConnectionPatchInput, response: smsConnectionView, errors: [422],
      handler: ({ body, actor }) => smsConnection.update(actor, body),
    }),
    defineRoute({
      method: 'get', path: '/factors/sms', operationId: 'getSmsFactor', summary: 'The SMS factor and whether SMS is offered now', tag: 'SMS factor', scope: 'read',
      response: smsFactorView,
      handler: () => smsFactor.get(),
    }),
    defineRoute({
      method: 'patch', path: '/factors/sms', operationId: 'updateSmsFactor', summary: 'Change the SMS factor (account, phone field, code settings, active)', tag: 'SMS factor', scope: 'write',
      body: smsFactorPatchInput, response: smsFactorView, errors: [422],
      handler: ({ body, actor }) => smsFactor.update(actor, body),
    }),
    defineRoute({
      method: 'get', path: '/factors/sms/phone-fields', operationId: 'listSmsPhoneFields', summary: 'Fields the SMS factor can read numbers from (built-in and custom)', tag: 'SMS factor', scope: 'read',
      response: phoneFieldList,
      handler: async () => ({ items: await smsFactor.phoneFields() }),
    }),
  ];
}
