// Authentication context classes Codeword issues, and the login check that honours acr_values.
import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';

/** `acr` values, documented in README: how the user proved themselves. */
export const ACR = {
  password: 'urn:codeword:acr:pwd',
  sms: 'urn:codeword:acr:sms',
  passwordAndSms: 'urn:codeword:acr:mfa',
} as const;

export const ACR_VALUES = Object.values(ACR);

function requestedAcrValues(ctx: KoaContextWithOIDC): string[] {
  const raw = ctx.oidc.params?.acr_values;
  return typeof raw === 'string' ? raw.split(' ').filter(Boolean) : [];
}

/**
 * The base policy plus one login check: when the relying party asks for acr_values and the current
 * session was established with none of them, the user is asked to sign in again.
 */
export function acrPolicy(): interactionPolicy.DefaultPolicy {
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(
    new interactionPolicy.Check('acr_values', 'requested authentication context not satisfied by the session', (ctx) => {
      const requested = requestedAcrValues(ctx);
      if (!requested.length || !ctx.oidc.session?.accountId || ctx.oidc.result?.login) return false;
      return !requested.includes(ctx.oidc.session.acr ?? '');
    }),
  );
  return policy;
}

/** Which acr a finished login gets: the method's own, to be compared by the relying party. */
export function requestedAcr(params: Record<string, unknown>): string[] {
  return typeof params.acr_values === 'string' ? params.acr_values.split(' ').filter(Boolean) : [];
}
