// Authentication context classes Codeword issues, and the login check that asks the sign-in decision on every /auth.
import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';

export { ACR, ACR_VALUES } from '../policies/signin.ts';

/** Reason of the login check below, as the interaction's `prompt.reasons` shows it. */
export const SIGNIN_CHECK = 'signin_decision';

/**
 * Key of an interaction result that the sign-in decision finished (found complete for this request): the resume
 * that applies it need not ask the decision again for the login it just made.
 */
export const DECIDED = 'codewordDecided';
export interface Decided {
  accountId: string;
  /** The login's time, epoch seconds (the session's loginTs once applied). */
  ts: number;
  /** The grant the decision created for a first-party app, as saved: the resume uses it instead of reading it back. */
  grant?: Record<string, unknown>;
}

/**
 * The decision's marker on the interaction result being resumed, when it is for a login of `accountId` (undefined for
 * any other request): what the login check, the account lookup and the grant of that resume trust.
 */
export function decidedFor(ctx: KoaContextWithOIDC, accountId: string | undefined): Partial<Decided> | undefined {
  const result = ctx.oidc?.result as (Record<string, unknown> & { login?: { accountId?: unknown } }) | undefined;
  const decided = result?.[DECIDED] as Partial<Decided> | undefined;
  return decided && accountId !== undefined && decided.accountId === accountId && result?.login?.accountId === accountId ? decided : undefined;
}

/**
 * The grant of the login the decision just finished, as it saved it for a first-party app: the resume's grant, not
 * read back from storage. Undefined for any other resume.
 */
export function decidedGrant(ctx: KoaContextWithOIDC): InstanceType<KoaContextWithOIDC['oidc']['provider']['Grant']> | undefined {
  const grant = decidedFor(ctx, ctx.oidc.session?.accountId)?.grant;
  if (!grant || grant.jti !== ctx.oidc.result?.consent?.grantId) return undefined;
  if (grant.accountId !== ctx.oidc.session?.accountId || grant.clientId !== ctx.oidc.client?.clientId) return undefined;
  if (typeof grant.exp !== 'number' || grant.exp <= Math.floor(Date.now() / 1000)) return undefined;
  return new ctx.oidc.provider.Grant(grant as ConstructorParameters<KoaContextWithOIDC['oidc']['provider']['Grant']>[0]);
}

/**
 * Whether the session (just finished, or reused from an earlier sign-in) satisfies the sign-in decision for this client
 * and request: the user's policy, the client's default_acr_values, the RP's acr_values and max_age.
 */
export type SessionCheck = (input: {
  accountId: string;
  amr: readonly string[] | undefined;
  acr: string | undefined;
  /** Epoch seconds of the session's sign-in. */
  loginTs: number | undefined;
  clientId: string;
  params: Record<string, unknown>;
}) => Promise<boolean>;

/**
 * The base policy plus one login check: a session that the sign-in decision does not find complete for this client
 * (policy MFA, acr_values, the console's demands) prompts for login, whose screens then ask only for the missing step.
 */
export function acrPolicy(sessionComplete?: SessionCheck): interactionPolicy.DefaultPolicy {
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(
    new interactionPolicy.Check(
      SIGNIN_CHECK,
      'the session does not satisfy the sign-in requirements of this client',
      async (ctx: KoaContextWithOIDC) => {
        const session = ctx.oidc.session;
        if (!session?.accountId || !ctx.oidc.client) return false;
        const params = (ctx.oidc.params ?? {}) as Record<string, unknown>;
        // The resume of the interaction the decision itself just finished, for this very login: already decided.
        const decided = decidedFor(ctx, session.accountId);
        if (decided && decided.ts === session.loginTs) return false;
        if (!sessionComplete) {
          const requested = requestedAcr(params);
          return requested.length > 0 && !ctx.oidc.result?.login && !requested.includes(session.acr ?? '');
        }
        const complete = await sessionComplete({
          accountId: session.accountId,
          amr: session.amr,
          acr: session.acr,
          loginTs: session.loginTs,
          clientId: ctx.oidc.client.clientId,
          params,
        });
        return !complete;
      },
      (ctx: KoaContextWithOIDC) => ({ login_ts: ctx.oidc.session?.loginTs }),
    ),
  );
  return policy;
}

/** The acr values a relying party asked for in this authorization request. */
export function requestedAcr(params: Record<string, unknown>): string[] {
  return typeof params.acr_values === 'string' ? params.acr_values.split(' ').filter(Boolean) : [];
}

/** The RP's max_age in seconds, when it sent a valid one. */
export function requestedMaxAge(params: Record<string, unknown>): number | undefined {
  const raw = params.max_age;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}
