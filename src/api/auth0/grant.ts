// The grant `http://auth0.com/oauth/grant-type/passwordless/otp` on the token endpoint: code in, tokens out, via a saved Grant.
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { ACR } from '../../oidc/acr.ts';
import type { NativeService } from './service.ts';
import { numberFlowId, sessionOfClient } from './service.ts';

/** The one answer for a wrong, expired, used or exhausted code, an unknown number and a refused sign-up (the SDKs test it). */
export const WRONG_CODE = 'Wrong phone number or verification code.';

/** OpenID scopes this grant can give; admin scopes never come this way. */
const GRANTABLE = new Set(['openid', 'profile', 'email', 'phone', 'offline_access']);
const GTY = 'passwordless_otp';
const AMR = ['sms', 'otp'];

export interface OtpGrantDeps {
  native: NativeService;
  audienceAllowed(value: string): boolean;
  /** Epoch milliseconds (auth_time). */
  now: () => number;
}

const param = (ctx: KoaContextWithOIDC, name: string): string | undefined => {
  const v = (ctx.oidc.params as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

const invalidGrant = () => new errors.CustomOIDCProviderError('invalid_grant', WRONG_CODE);

function withStatus<E extends Error>(err: E, status: number): E {
  Object.assign(err, { status, statusCode: status, expose: true });
  return err;
}

export function createOtpGrant({ native, audienceAllowed, now }: OtpGrantDeps) {
  /** The flow the code was started in: by number (`/passwordless/start`) or by `auth_session` (`/otp/challenge`). */
  async function flowOf(ctx: KoaContextWithOIDC, clientId: string): Promise<string> {
    const username = param(ctx, 'username');
    const session = param(ctx, 'auth_session');
    if (session) {
      if (!sessionOfClient(session, clientId)) throw invalidGrant();
      if (username !== undefined && username !== (await native.flowPhone(session))) throw invalidGrant();
      return session;
    }
    if (!username) throw new errors.InvalidRequest('missing required parameter username (or auth_session)');
    if (param(ctx, 'realm') !== 'sms') throw new errors.InvalidRequest('realm must be "sms"');
    return numberFlowId(clientId, username.trim());
  }

  return async function otpGrant(ctx: KoaContextWithOIDC): Promise<void> {
    const { provider } = ctx.oidc;
    const client = ctx.oidc.client!;
    const allowed = await native.eligibility(client.clientId, client.grantTypes ?? []);
    if (!allowed.ok) {
      throw new errors.UnauthorizedClient(allowed.reason === 'connection_off' ? 'the SMS connection is not enabled for this client' : 'passwordless sign-in is for first-party clients allowed this grant');
    }
    const audience = param(ctx, 'audience') ?? param(ctx, 'resource');
    if (audience !== undefined && !audienceAllowed(audience)) throw withStatus(new errors.AccessDenied(`Service not found: ${audience}`), 403);
    const otp = param(ctx, 'otp');
    if (!otp) throw new errors.InvalidRequest('missing required parameter otp');

    const flowId = await flowOf(ctx, client.clientId);
    const outcome = await native.verify(flowId, otp, client.clientId);
    if (!outcome.ok) {
      if (outcome.reason === 'throttled') {
        ctx.set('retry-after', String(outcome.waitSeconds));
        throw withStatus(new errors.CustomOIDCProviderError('too_many_attempts', 'Too many wrong codes for this number. Try again later.'), 429);
      }
      throw invalidGrant();
    }
    const user = outcome.user;
    if (await native.needsSecondFactor(user, client.clientId)) throw withStatus(new errors.CustomOIDCProviderError('mfa_required', 'Multifactor authentication required'), 403);

    const allowedScopes = new Set(String(client.scope ?? '').split(' '));
    const requested = (param(ctx, 'scope') ?? 'openid').split(' ').filter((s) => GRANTABLE.has(s) && allowedScopes.has(s));
    const scopes = [...new Set(requested)];
    const scope = scopes.join(' ');
    const authTime = Math.floor(now() / 1000);

    const grant = new provider.Grant({ accountId: user.id, clientId: client.clientId });
    if (scope) grant.addOIDCScope(scope);
    const grantId = await grant.save();

    const at = new provider.AccessToken({ accountId: user.id, client, grantId, gty: GTY, scope });
    const accessToken = await at.save();

    let refreshToken: string | undefined;
    if (scopes.includes('offline_access') && client.grantTypeAllowed('refresh_token')) {
      const rt = new provider.RefreshToken({ accountId: user.id, acr: ACR.sms, amr: AMR, authTime, client, grantId, gty: GTY, scope, rotations: 0, expiresWithSession: false });
      refreshToken = await rt.save();
    }

    let idToken: string | undefined;
    if (scopes.includes('openid')) {
      const token = new provider.IdToken({ sub: user.id, acr: ACR.sms, amr: AMR, auth_time: authTime }, { ctx });
      Object.assign(token, { scope: 'openid' }); // conformIdTokenClaims: profile claims come from userinfo
      idToken = String(await token.issue({ use: 'idtoken' }));
    }

    ctx.body = {
      access_token: accessToken,
      ...(idToken ? { id_token: idToken } : {}),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      expires_in: at.expiration,
      scope,
      token_type: 'Bearer',
    };
  };
}
