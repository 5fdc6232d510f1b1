// Every hosted sign-in ends here: the proofs collected so far, kept in the Interaction, go to the one decision, which finishes or sends the browser on.
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { User } from '../../db/users.ts';
import { AppError } from '../../errors.ts';
import { SIGNIN_CHECK } from '../../oidc/acr.ts';
import { type Proof, proofsFromAmr, type SignInRefusal } from '../../policies/signin.ts';
import type { ScreenRenderer } from '../../views.ts';
import { type SignInDecider, signInRequest } from '../decision/decider.ts';
import { finishLogin, type Interaction } from './context.ts';
import { interactionState } from './state.ts';

const proofSchema = z.object({ method: z.enum(['pwd', 'sms']), at: z.number(), amr: z.array(z.string()).max(4) });

/** The account being signed in and what it proved so far in this interaction; nobody is signed in until the decision says so. */
export const pendingSignInSchema = z.object({ accountId: z.string(), proofs: z.array(proofSchema).max(4) });
export type PendingSignIn = z.infer<typeof pendingSignInSchema>;
export const pendingSignIn = interactionState('signin', pendingSignInSchema);

/** Steps other flows provide, injected so that flows never import each other. */
export interface SignInSteps {
  /** Texts the second-factor code to the account's phone; returns the URL of the code screen. */
  secondFactor(ctx: Context, details: Interaction, user: User): Promise<string>;
  /** Where a user without a phone adds one (when the policy allows it); absent: such users are refused. */
  enrolPhone?(ctx: Context, details: Interaction): string;
}

export interface InteractionSignInDeps {
  provider: Provider;
  screens: ScreenRenderer;
  decider: SignInDecider;
  steps: SignInSteps;
  /** Whether this browser may sign in to this client at all (the console's test app needs the console's ticket). */
  appAllowed?: (ctx: Context, clientId: string, params: Record<string, unknown>) => boolean;
}

const REFUSALS: Record<SignInRefusal, { title: string; text: string }> = {
  mfa_unavailable: { title: 'mfa.blocked_title', text: 'mfa.blocked' },
  sms_after_reset: { title: 'mfa.blocked_title', text: 'signin.sms_after_reset' },
  mfa_after_sms: { title: 'mfa.blocked_title', text: 'signin.mfa_after_sms' },
};

/** Reasons for which a reused SSO session is continued (only the missing step is asked) instead of starting over. */
const CONTINUABLE = new Set([SIGNIN_CHECK]);

export function createInteractionSignIn({ provider, screens, decider, steps, appAllowed }: InteractionSignInDeps) {
  /** Refuses, with a 403, a sign-in this browser may not make for this client. */
  const guard = (ctx: Context, details: Interaction) => {
    if (appAllowed && !appAllowed(ctx, String(details.params.client_id), details.params)) throw new AppError('signin_not_allowed');
  };

  const path = (uid: string, step: string) => `/interaction/${uid}${step}`;

  function refuse(ctx: Context, details: Interaction, reason: SignInRefusal): Promise<void> {
    const texts = REFUSALS[reason];
    const lang = screens.language(ctx, details.params.ui_locales);
    return screens.render(ctx, 'signin-refused', { lang, titleKey: texts.title, textKey: texts.text, cancel: path(details.uid, '') }, 403);
  }

  async function advance(ctx: Context, details: Interaction, accountId: string, proofs: Proof[], known?: User): Promise<void> {
    guard(ctx, details);
    const { decision, user } = await decider.decide(accountId, proofs, signInRequest(String(details.params.client_id), details.params), known);
    if (decision.outcome === 'complete') {
      const ts = Math.floor(decision.authTime / 1000);
      return finishLogin(provider, ctx, details, { accountId, acr: decision.acr, amr: decision.amr, ts, remember: true }, user?.phoneNumber ?? null);
    }
    if (decision.outcome === 'refused') {
      await pendingSignIn.write(details, undefined);
      return refuse(ctx, details, decision.reason);
    }
    if (decision.step === 'login' || !user) {
      await pendingSignIn.write(details, undefined);
      ctx.status = 303;
      return ctx.redirect(path(details.uid, ''));
    }
    await pendingSignIn.write(details, { accountId, proofs: proofs.map((p) => ({ ...p, amr: [...p.amr] })) });
    if (decision.step === 'enrol_phone' && !steps.enrolPhone) {
      await pendingSignIn.write(details, undefined);
      return refuse(ctx, details, 'mfa_unavailable');
    }
    const next =
      decision.step === 'sms'
        ? await steps.secondFactor(ctx, details, user)
        : decision.step === 'enrol_phone'
          ? steps.enrolPhone!(ctx, details)
          : path(details.uid, decision.step === 'password' ? '/password' : '/password/change');
    ctx.status = 303;
    ctx.redirect(next);
  }

  return {
    /** Throws a 403 when this browser may not sign in to the interaction's client (checked on entry and before finishing). */
    guard,

    /**
     * A flow proved something about an account: added to what this interaction proved before (for the same account),
     * then the decision finishes the sign-in or sends the browser to the next step.
     */
    async proved(ctx: Context, details: Interaction, accountId: string, proof: Omit<Proof, 'at'>, known?: User): Promise<void> {
      const prev = pendingSignIn.read(details);
      const kept = prev?.accountId === accountId ? prev.proofs.filter((p) => p.method !== proof.method) : [];
      await advance(ctx, details, accountId, [...kept, { ...proof, at: decider.now() }], known);
    },

    /** Asks the decision again with what this interaction proved so far (e.g. after a phone was added). */
    async resume(ctx: Context, details: Interaction): Promise<void> {
      const pending = pendingSignIn.read(details);
      if (!pending) {
        ctx.status = 303;
        return ctx.redirect(path(details.uid, ''));
      }
      await advance(ctx, details, pending.accountId, pending.proofs);
    },

    /** The step the decision asks of this interaction's pending sign-in now, if any. */
    async step(details: Interaction): Promise<string | undefined> {
      const pending = pendingSignIn.read(details);
      if (!pending) return undefined;
      const { decision } = await decider.decide(pending.accountId, pending.proofs, signInRequest(String(details.params.client_id), details.params));
      return decision.outcome === 'step' ? decision.step : undefined;
    },

    /** The pending sign-in of this interaction, when a step is under way. */
    pending: (details: Interaction): PendingSignIn | undefined => pendingSignIn.read(details),

    /**
     * At the login prompt of an interaction opened because a reused SSO session does not satisfy this client: continue
     * from what the session proved, asking only for the missing step. False when the sign-in screen should show instead.
     */
    async continueSession(ctx: Context, details: Interaction): Promise<boolean> {
      const accountId = details.session?.accountId;
      const reasons = details.prompt.reasons ?? [];
      const loginTs = (details.prompt.details as { login_ts?: unknown }).login_ts;
      if (!accountId || typeof loginTs !== 'number' || !reasons.length || !reasons.every((r) => CONTINUABLE.has(r))) return false;
      if (pendingSignIn.read(details)) return false;
      const proofs = proofsFromAmr(details.session?.amr as string[] | undefined, loginTs * 1000);
      const { decision } = await decider.decide(accountId, proofs, signInRequest(String(details.params.client_id), details.params));
      // A new password needs the current one proven in this interaction: the sign-in screen asks for it.
      if (decision.outcome === 'step' && (decision.step === 'login' || decision.step === 'change_password')) return false;
      await advance(ctx, details, accountId, proofs);
      return true;
    },
  };
}

export type InteractionSignIn = ReturnType<typeof createInteractionSignIn>;
