// Authentication context classes Codeword issues, and the login check that honours acr_values.
import { interactionPolicy } from 'oidc-provider';

/** `acr` values, documented in README: how the user proved themselves. */
export const ACR = {
  password: 'urn:codeword:acr:pwd',
  sms: 'urn:codeword:acr:sms',
  passwordAndSms: 'urn:codeword:acr:mfa',
} as const;

export const ACR_VALUES = Object.values(ACR);


/**
 * The base policy plus one login check: when the relying party asks for acr_values and the current
 * session was established with none of them, the user is asked to sign in again.
 */
export function acrPolicy(): interactionPolicy.DefaultPolicy {
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(
    new interactionPolicy.Check('acr_values', 'requested authentication context not satisfied by the session', (ctx) => {
      const requested = requestedAcr(ctx.oidc.params ?? {});
      if (!requested.length || !ctx.oidc.session?.accountId || ctx.oidc.result?.login) return false;
      return !requested.includes(ctx.oidc.session.acr ?? '');
    }),
  );
  return policy;
}

/** The acr values a relying party asked for in this authorization request. */
export function requestedAcr(params: Record<string, unknown>): string[] {
  return typeof params.acr_values === 'string' ? params.acr_values.split(' ').filter(Boolean) : [];
}
