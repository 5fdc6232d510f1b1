// Shared helpers for interaction routes: load the interaction bound to this browser, finish it; form helpers re-exported.
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { AppError } from '../../errors.ts';
import { clientIp } from '../../http/forms.ts';
import { BRANDING_CLIENT } from '../../views.ts';
import { DECIDED, type Decided } from '../../oidc/acr.ts';

export { clientIp, formBody } from '../../http/forms.ts';

export type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/** The app (OIDC client) the interaction signs in to: its grants choose SMS accounts, signatures and templates. */
export const clientOf = (details: Pick<Interaction, 'params'>): string | null =>
  typeof details.params.client_id === 'string' ? details.params.client_id : null;

/** Loads the interaction from the browser's interaction cookie and checks it is the one in the URL. */
export async function loadInteraction(provider: Provider, ctx: Context): Promise<Interaction> {
  let details: Interaction;
  try {
    details = await provider.interactionDetails(ctx.req, ctx.res);
  } catch (err) {
    // An unreachable database is no lost sign-in: it answers 503 "try again" (see http/errors.ts).
    if ((err as { error?: unknown } | null)?.error === 'temporarily_unavailable') throw err;
    throw new AppError('session_not_found', 400);
  }
  if (details.uid !== ctx.params.uid) throw new AppError('session_not_found', 400);
  // Every screen of this interaction, errors included, shows the app's branding.
  const clientId = clientOf(details);
  if (clientId) ctx.state[BRANDING_CLIENT] = clientId;
  return details;
}

/**
 * Finishes a sign-in; only the sign-in decision (signin.ts) calls it, once it found the proofs complete. First-party apps get their consent in the same result (a grant of the scopes they asked
 * for), so the browser goes straight back to the app instead of through a second interaction.
 */
export async function finishLogin(provider: Provider, ctx: Context, details: Interaction, login: NonNullable<InteractionResults['login']>, phone?: string | null): Promise<void> {
  const clientId = String(details.params.client_id);
  await ctx.signIns?.record({ outcome: 'success', amr: login.amr, userId: login.accountId, clientId, ip: clientIp(ctx), phone });
  const client = await provider.Client.find(clientId);
  // Marks the login as decided (see acr.ts), so the resume does not ask the decision again for it.
  const decided: { [DECIDED]: Decided } = { [DECIDED]: { accountId: login.accountId, ts: login.ts ?? -1 } };
  if (client?.['first_party'] !== true) return finish(provider, ctx, { login, ...decided }, false, details);
  const grant = new provider.Grant({ accountId: login.accountId, clientId });
  const scopes = String(details.params.scope ?? '').split(' ').filter(Boolean);
  if (scopes.length) grant.addOIDCScope(scopes.join(' '));
  const grantId = await grant.save();
  // The grant as saved goes with the result, so the resume does not read it back (see decidedGrant in acr.ts).
  decided[DECIDED].grant = (await (grant as unknown as { getValueAndPayload(): Promise<{ payload: Record<string, unknown> }> }).getValueAndPayload()).payload;
  await finish(provider, ctx, { login, consent: { grantId }, ...decided }, false, details);
}

/** Saves the interaction, keeping the expiry oidc-provider gave it (on the wall clock). */
export const saveInteraction = (details: Interaction): Promise<unknown> => details.save(Math.max(1, (details.exp ?? 0) - Math.floor(Date.now() / 1000)));

/**
 * Finishes the interaction and sends the browser back to the authorization endpoint. With the interaction this request
 * already loaded, its result is saved on it (as oidc-provider's interactionResult does, without reading it again).
 */
export async function finish(provider: Provider, ctx: Context, result: InteractionResults, merge = false, details?: Interaction): Promise<void> {
  let url: string;
  if (details) {
    details.result = merge && !('error' in result) ? { ...details.lastSubmission, ...result } : result;
    await saveInteraction(details);
    url = details.returnTo;
  } else url = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
  ctx.status = 303;
  ctx.redirect(url);
}
