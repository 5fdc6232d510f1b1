// Bearer access tokens of the admin API: client-credentials tokens from our own token endpoint, checked in-process.
import type { Context, Middleware } from 'koa';
import { AppError } from '../../errors.ts';

export interface AdminToken {
  clientId: string;
  scope?: string;
  isExpired: boolean;
}

export interface BearerAuthDeps {
  /** Looks up a client-credentials access token (`provider.ClientCredentials.find`). */
  findToken(token: string): Promise<AdminToken | undefined>;
  /**
   * The scopes the client may have now; undefined when it no longer exists or is disabled. A token keeps only the
   * scopes its client still has, so disabling a client or taking a scope away takes effect at once.
   */
  clientScopes(clientId: string): Promise<string[] | undefined>;
}

export interface AdminAuthState {
  clientId: string;
  scopes: string[];
}

const REALM = 'codeword-admin';
const TOKEN = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** Sets the RFC 6750 challenge and throws the JSON error the API answers with. */
function refuse(ctx: Context, code: 'unauthorized' | 'invalid_token' | 'insufficient_scope', message: string, extra = ''): never {
  const error = code === 'unauthorized' ? '' : `, error="${code}", error_description="${message}"`;
  ctx.set('WWW-Authenticate', `Bearer realm="${REALM}"${error}${extra}`);
  throw new AppError(code, undefined, { message });
}

export function createBearerAuth({ findToken, clientScopes }: BearerAuthDeps) {
  return (need: 'read' | 'write'): Middleware =>
    async (ctx, next) => {
      const header = ctx.get('authorization');
      if (!header) refuse(ctx, 'unauthorized', 'a bearer access token is required (client credentials grant at /token)');
      const match = TOKEN.exec(header);
      const token = match ? await findToken(match[1]!).catch(() => undefined) : undefined;
      const current = token && !token.isExpired ? await clientScopes(token.clientId) : undefined;
      if (!token || !current) refuse(ctx, 'invalid_token', 'the access token is invalid or has expired');
      const scopes = (token.scope ?? '').split(' ').filter((s) => s && current.includes(s));
      const allowed = scopes.includes('admin') || (need === 'read' && scopes.includes('admin:read'));
      if (!allowed) {
        const wanted = need === 'read' ? 'admin:read' : 'admin';
        refuse(ctx, 'insufficient_scope', `this operation needs the ${wanted} scope`, `, scope="${wanted}"`);
      }
      ctx.state.adminAuth = { clientId: token.clientId, scopes } satisfies AdminAuthState;
      await next();
    };
}
