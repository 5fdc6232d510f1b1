// /sms-signatures, /sms-provider-templates and /sms-accounts/{id}/access: template-code resources and the apps granted them.
import type { AdminServices } from '../../services/index.ts';
import { pageOf } from '../../services/page.ts';
import {
  smsAccessInput,
  smsAccessView,
  smsProblemsView,
  smsResolutionView,
  smsResourceListQuery,
  smsSignatureCreateInput,
  smsSignaturePatchInput,
  smsSignatureView,
  smsTemplateCreateInput,
  smsTemplatePatchInput,
  smsTemplatePreviewInput,
  smsTemplatePreviewView,
  smsTemplateView,
} from '../../services/schemas/sms-resources.ts';
import { type AnyRoute, defineRoute } from '../route.ts';
import { idParams } from './common.ts';

export function smsResourceRoutes({ smsResources: r }: AdminServices): AnyRoute[] {
  const tag = 'SMS signatures and provider templates';
  return [
    defineRoute({
      method: 'get', path: '/sms-signatures', operationId: 'listSmsSignatures', summary: 'List signatures', tag, scope: 'read',
      query: smsResourceListQuery, response: pageOf(smsSignatureView),
      handler: ({ query }) => r.signatures.list(query),
    }),
    defineRoute({
      method: 'post', path: '/sms-signatures', operationId: 'createSmsSignature', summary: 'Add a signature to a template-code account', tag, scope: 'write',
      body: smsSignatureCreateInput, response: smsSignatureView, status: 201, errors: [409],
      handler: ({ body, actor }) => r.signatures.create(actor, body),
    }),
    defineRoute({
      method: 'get', path: '/sms-signatures/{id}', operationId: 'getSmsSignature', summary: 'Get a signature', tag, scope: 'read',
      params: idParams, response: smsSignatureView,
      handler: ({ params }) => r.signatures.get(params.id),
    }),
    defineRoute({
      method: 'patch', path: '/sms-signatures/{id}', operationId: 'updateSmsSignature', summary: 'Change a signature or its grants', tag, scope: 'write',
      params: idParams, body: smsSignaturePatchInput, response: smsSignatureView, errors: [409],
      handler: ({ params, body, actor }) => r.signatures.update(actor, params.id, body),
    }),
    defineRoute({
      method: 'delete', path: '/sms-signatures/{id}', operationId: 'deleteSmsSignature', summary: 'Delete a signature and its grants', tag, scope: 'write',
      params: idParams,
      handler: ({ params, actor }) => r.signatures.remove(actor, params.id),
    }),
    defineRoute({
      method: 'get', path: '/sms-provider-templates', operationId: 'listSmsProviderTemplates', summary: 'List provider templates', tag, scope: 'read',
      query: smsResourceListQuery, response: pageOf(smsTemplateView),
      handler: ({ query }) => r.templates.list(query),
    }),
    defineRoute({
      method: 'post', path: '/sms-provider-templates', operationId: 'createSmsProviderTemplate', summary: 'Point a purpose and region at a provider template code', tag, scope: 'write',
      body: smsTemplateCreateInput, response: smsTemplateView, status: 201, errors: [409],
      handler: ({ body, actor }) => r.templates.create(actor, body),
    }),
    defineRoute({
      method: 'get', path: '/sms-provider-templates/{id}', operationId: 'getSmsProviderTemplate', summary: 'Get a provider template', tag, scope: 'read',
      params: idParams, response: smsTemplateView,
      handler: ({ params }) => r.templates.get(params.id),
    }),
    defineRoute({
      method: 'patch', path: '/sms-provider-templates/{id}', operationId: 'updateSmsProviderTemplate', summary: 'Change the mapping, purpose, region or grants', tag, scope: 'write',
      params: idParams, body: smsTemplatePatchInput, response: smsTemplateView, errors: [409],
      handler: ({ params, body, actor }) => r.templates.update(actor, params.id, body),
    }),
    defineRoute({
      method: 'delete', path: '/sms-provider-templates/{id}', operationId: 'deleteSmsProviderTemplate', summary: 'Delete a provider template and its grants', tag, scope: 'write',
      params: idParams,
      handler: ({ params, actor }) => r.templates.remove(actor, params.id),
    }),
    defineRoute({
      method: 'post', path: '/sms-provider-templates/{id}/refresh', operationId: 'refreshSmsProviderTemplate', summary: 'Fetch the approved text from the provider again', tag, scope: 'write',
      params: idParams, response: smsTemplateView,
      handler: ({ params, actor }) => r.templates.refresh(actor, params.id),
    }),
    defineRoute({
      method: 'post', path: '/sms-provider-templates/{id}/preview', operationId: 'previewSmsProviderTemplate', summary: 'The text a recipient sees, its encoding and segments (【SignName】 included)', tag, scope: 'read',
      params: idParams, body: smsTemplatePreviewInput, response: smsTemplatePreviewView,
      handler: ({ params, body }) => r.templates.preview(params.id, body ?? {}),
    }),
    defineRoute({
      method: 'get', path: '/sms-accounts/{id}/access', operationId: 'getSmsAccountAccess', summary: 'Whether the account is general and which apps it is granted to', tag, scope: 'read',
      params: idParams, response: smsAccessView,
      handler: ({ params }) => r.access.get(params.id),
    }),
    defineRoute({
      method: 'put', path: '/sms-accounts/{id}/access', operationId: 'setSmsAccountAccess', summary: 'Mark the account general, or authorize apps', tag, scope: 'write',
      params: idParams, body: smsAccessInput, response: smsAccessView,
      handler: ({ params, body, actor }) => r.access.set(actor, params.id, body),
    }),
    defineRoute({
      method: 'get', path: '/sms-accounts/{id}/template-map', operationId: 'getSmsAccountTemplateMap', summary: 'Which provider template each purpose, region and language resolves to', tag, scope: 'read',
      params: idParams, response: smsResolutionView,
      handler: async ({ params }) => ({ items: await r.resolution(params.id) }),
    }),
    defineRoute({
      method: 'get', path: '/sms-accounts/{id}/problems', operationId: 'getSmsAccountProblems', summary: 'Configuration errors of a template-code account, and its report URL', tag, scope: 'read',
      params: idParams, response: smsProblemsView,
      handler: ({ params }) => r.problems(params.id),
    }),
  ];
}
