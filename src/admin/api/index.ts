// The admin REST API at /admin/api/v1 (and its OpenAPI document), built on the admin service layer.
import type Router from '@koa/router';
import type Provider from 'oidc-provider';
import type { ClientsRepo } from '../../db/clients.ts';
import type { Logger } from '../../logger.ts';
import type { AdminServices } from '../services/index.ts';
import { createBearerAuth } from './auth.ts';
import { createAdminApiRouter } from './router.ts';
import { adminRoutes } from './routes/index.ts';

export interface AdminApiDeps {
  services: AdminServices;
  provider: Pick<Provider, 'ClientCredentials'>;
  clients: Pick<ClientsRepo, 'find'>;
  issuer: string;
  logger: Logger;
}

export function createAdminApi({ services, provider, clients, issuer, logger }: AdminApiDeps): Router {
  const auth = createBearerAuth({
    findToken: async (token) => {
      const t = await provider.ClientCredentials.find(token);
      return t?.clientId ? { clientId: t.clientId, scope: t.scope, isExpired: t.isExpired } : undefined;
    },
    clientScopes: async (id) => {
      const c = await clients.find(id);
      if (!c || c.disabled) return undefined;
      return typeof c.metadata.scope === 'string' ? c.metadata.scope.split(' ').filter(Boolean) : [];
    },
  });
  return createAdminApiRouter({ routes: adminRoutes(services), auth, issuer, logger });
}
