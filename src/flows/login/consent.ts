// Grants what the interaction asks for: used when the user allows, and silently for first-party apps.
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import type { Interaction } from '../interaction/context.ts';

export async function grantRequested(provider: Provider, details: Interaction): Promise<InteractionResults> {
  const accountId = details.session?.accountId;
  const clientId = String(details.params.client_id);
  const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  return { consent: { grantId } };
}
