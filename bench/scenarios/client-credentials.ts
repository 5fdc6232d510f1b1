// Client credentials: the admin API's machine client asks the token endpoint for an `admin:read` access token.
import { tokenRequest, validTokens } from '../lib/oidc.ts';
import type { Scenario } from './types.ts';

export const clientCredentials: Scenario = {
  name: 'client-credentials',
  description: 'client credentials grant (client_secret_basic)',
  async run(ctx) {
    const { clientId, clientSecret } = ctx.seed.admin;
    const res = await tokenRequest(ctx.pool, ctx.target, { grant_type: 'client_credentials', scope: 'admin:read' }, { id: clientId, secret: clientSecret });
    const { tokens } = await validTokens(ctx.pool, ctx.target, res);
    if (tokens.scope !== 'admin:read') throw new Error(`client credentials: scope ${tokens.scope}`);
  },
};
