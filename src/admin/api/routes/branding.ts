// /branding and /branding/apps/{clientId}: the installation's branding and each app's own.
import { z } from 'zod';
import { brandingList, brandingPatchInput, brandingView } from '../../../branding/schema.ts';
import type { AdminServices } from '../../services/index.ts';
import { type AnyRoute, defineRoute } from '../route.ts';

const appParams = z.object({ clientId: z.string().min(1).max(128).describe("The app's client id.") }).strict();

export function brandingRoutes({ branding }: AdminServices): AnyRoute[] {
  const tag = 'Branding';
  return [
    defineRoute({
      method: 'get', path: '/branding', operationId: 'getBranding', summary: "The installation's branding (every app without its own shows it)", tag, scope: 'read',
      response: brandingView,
      handler: () => branding.get(null),
    }),
    defineRoute({
      method: 'patch', path: '/branding', operationId: 'updateBranding', summary: "Change the installation's branding", tag, scope: 'write',
      body: brandingPatchInput, response: brandingView,
      handler: ({ body, actor }) => branding.update(actor, null, body),
    }),
    defineRoute({
      method: 'delete', path: '/branding', operationId: 'deleteBranding', summary: "Remove the installation's branding (the screens look as built in)", tag, scope: 'write',
      handler: ({ actor }) => branding.remove(actor, null),
    }),
    defineRoute({
      method: 'get', path: '/branding/apps', operationId: 'listAppBranding', summary: 'The apps with branding of their own', tag, scope: 'read',
      response: brandingList,
      handler: async () => ({ items: await branding.listApps() }),
    }),
    defineRoute({
      method: 'get', path: '/branding/apps/{clientId}', operationId: 'getAppBranding', summary: "An app's own branding (empty fields show the installation's)", tag, scope: 'read',
      params: appParams, response: brandingView, errors: [404],
      handler: ({ params }) => branding.get(params.clientId),
    }),
    defineRoute({
      method: 'patch', path: '/branding/apps/{clientId}', operationId: 'updateAppBranding', summary: "Change an app's own branding", tag, scope: 'write',
      params: appParams, body: brandingPatchInput, response: brandingView, errors: [404],
      handler: ({ params, body, actor }) => branding.update(actor, params.clientId, body),
    }),
    defineRoute({
      method: 'delete', path: '/branding/apps/{clientId}', operationId: 'deleteAppBranding', summary: "Remove an app's own branding (it shows the installation's)", tag, scope: 'write',
      params: appParams, errors: [404],
      handler: ({ params, actor }) => branding.remove(actor, params.clientId),
    }),
  ];
}
