// /templates: SMS text overrides per purpose and language, the built-in texts, and the preview (text, encoding, segments).
import { z } from 'zod';
import type { AdminServices } from '../../services/index.ts';
import { pageOf } from '../../services/page.ts';
import {
  builtinTemplateView,
  templateListQuery,
  templatePatchInput,
  templatePreview,
  templatePreviewInput,
  templateSaveInput,
  templateView,
} from '../../services/schemas/templates.ts';
import { type AnyRoute, defineRoute, withStatus } from '../route.ts';
import { idParams } from './common.ts';

export function templateRoutes({ templates }: AdminServices): AnyRoute[] {
  const tag = 'Templates';
  return [
    defineRoute({
      method: 'get', path: '/templates', operationId: 'listTemplates', summary: 'List template overrides', tag, scope: 'read',
      query: templateListQuery, response: pageOf(templateView),
      handler: ({ query }) => templates.list(query),
    }),
    defineRoute({
      method: 'post', path: '/templates', operationId: 'saveTemplate', summary: 'Create the override of a scope (201), or replace its body (200)', tag, scope: 'write',
      body: templateSaveInput, response: templateView, status: 201, otherStatuses: [200],
      handler: async ({ body, actor }) => {
        const { template, created } = await templates.save(actor, body);
        return withStatus(created ? 201 : 200, template);
      },
    }),
    defineRoute({
      method: 'get', path: '/templates/builtins', operationId: 'listBuiltinTemplates', summary: 'Built-in texts of every purpose and language', tag, scope: 'read',
      response: z.object({ items: z.array(builtinTemplateView) }),
      handler: async () => ({ items: templates.builtins() }),
    }),
    defineRoute({
      method: 'post', path: '/templates/preview', operationId: 'previewTemplate', summary: 'Render a body or the template in use: text, encoding, segments (changes nothing)', tag, scope: 'read',
      body: templatePreviewInput, response: templatePreview,
      handler: ({ body }) => templates.preview(body),
    }),
    defineRoute({
      method: 'get', path: '/templates/{id}', operationId: 'getTemplate', summary: 'Get a template override', tag, scope: 'read',
      params: idParams, response: templateView,
      handler: ({ params }) => templates.get(params.id),
    }),
    defineRoute({
      method: 'patch', path: '/templates/{id}', operationId: 'updateTemplate', summary: 'Change the body of a template override', tag, scope: 'write',
      params: idParams, body: templatePatchInput, response: templateView,
      handler: ({ params, body, actor }) => templates.update(actor, params.id, body),
    }),
    defineRoute({
      method: 'delete', path: '/templates/{id}', operationId: 'deleteTemplate', summary: 'Delete a template override (the built-in text applies again)', tag, scope: 'write',
      params: idParams,
      handler: ({ params, actor }) => templates.remove(actor, params.id),
    }),
  ];
}
