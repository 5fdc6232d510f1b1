// oidc-provider configuration: storage, keys, claims, PKCE, TTLs, our error and logout screens.
import { RETRY_AFTER_SECONDS } from '../db/retry.ts';
import { answerUnavailable, isUnavailable } from './unavailable.ts';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../config/index.ts';
import type { UsersRepo } from '../db/users.ts';
import type { Logger } from '../logger.ts';
import type { ScreenRenderer } from '../views.ts';
import type { AdapterClass } from './adapter.ts';
import { createFindAccount } from './account.ts';
import { ACR_VALUES, acrPolicy, decidedGrant, type SessionCheck } from './acr.ts';
import type { KeyMaterial } from './keys.ts';
import { ADMIN_SCOPES, OIDC_SCOPES } from './scopes.ts';

export interface ProviderDeps {
  config: Readonly<Config>;
  adapter: AdapterClass;
  keys: KeyMaterial;
  users: UsersRepo;
  screens: ScreenRenderer;
  logger: Logger;
  /** The sign-in decision as a login check on every /auth (a reused session must satisfy the client too). */
  sessionComplete?: SessionCheck;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

export function createProvider({ config, adapter, keys, users, screens, logger, sessionComplete }: ProviderDeps): Provider {
  const secure = config.issuer.startsWith('https://');
  const configuration: Configuration = {
    adapter,
    findAccount: createFindAccount(users),
    jwks: keys.jwks as Configuration['jwks'],
    cookies: {
      keys: keys.cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: 'lax', secure },
      short: { signed: true, httpOnly: true, sameSite: 'lax', secure },
      names: { session: 'cw_session', interaction: 'cw_interaction', resume: 'cw_resume' },
    },
    claims: {
      openid: ['sub', 'amr', 'acr', 'auth_time'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username', 'locale', 'updated_at'],
      email: ['email', 'email_verified'],
      phone: ['phone_number', 'phone_number_verified'],
    },
    scopes: [...OIDC_SCOPES, ...ADMIN_SCOPES],
    acrValues: [...ACR_VALUES],
    extraClientMetadata: {
      properties: ['first_party'],
      validator(_ctx, key, value) {
        if (key === 'first_party' && value !== undefined && typeof value !== 'boolean') throw new Error('first_party must be a boolean');
      },
    },
    clientDefaults: {
      // A client without its own `scope` list gets the OpenID scopes only: admin scopes must be granted explicitly.
      scope: OIDC_SCOPES.join(' '),
      grant_types: ['authorization_code', 'refresh_token'],
      id_token_signed_response_alg: 'RS256',
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    pkce: { required: () => true },
    rotateRefreshToken: true,
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: acrPolicy(sessionComplete),
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          await screens.render(ctx, 'logout', { form, clientName: ctx.oidc.client?.clientName ?? null }, 200);
        },
        async postLogoutSuccessSource(ctx) {
          await screens.render(ctx, 'logged-out', {}, 200);
        },
      },
    },
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const saved = decidedGrant(ctx);
      if (saved) return saved;
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      return undefined;
    },
    async renderError(ctx, out, error) {
      if (isUnavailable(error)) {
        ctx.set('retry-after', String(RETRY_AFTER_SECONDS));
        return screens.renderError(ctx, 'temporarily_unavailable', undefined, 503);
      }
      const code = typeof out.error === 'string' ? out.error : 'server_error';
      if (code === 'server_error') logger.error({ err: error }, 'provider error');
      await screens.renderError(ctx, code, typeof out.error_description === 'string' ? out.error_description : undefined);
    },
    ttl: {
      AccessToken: HOUR,
      AuthorizationCode: 60,
      ClientCredentials: 10 * 60,
      DeviceCode: 10 * 60,
      BackchannelAuthenticationRequest: 10 * 60,
      IdToken: HOUR,
      Interaction: HOUR,
      Grant: 14 * DAY,
      Session: 14 * DAY,
      RefreshToken: 14 * DAY,
    },
    conformIdTokenClaims: true,
    enableHttpPostMethods: false,
  };

  // The issuer is used verbatim (`iss`); the app hands every request over with Host and protocol taken from it
  // (see app.ts), so the provider reads them from those headers and never from what a client sent.
  const provider = new Provider(config.issuer, configuration);
  provider.proxy = true;
  answerUnavailable(provider);
  return provider;
}

/** oidc-provider's own check of client metadata, for the admin services. */
export const clientValidator =
  (provider: Provider) =>
  async (metadata: unknown): Promise<void> => {
    await provider.Client.validate(metadata as Parameters<Provider['Client']['validate']>[0]);
  };
