// The reset flow's screens (the code screen is the SMS method's step): which view each step renders, and each state's URL.
import type { Context } from 'koa';
import type { Csrf } from '../../security/csrf.ts';
import type { ScreenRenderer } from '../../views.ts';
import type { Interaction } from '../interaction/context.ts';
import type { ResetService } from './service.ts';
import type { ResetState, ResetStep } from './state.ts';

export type At<S extends ResetStep> = Extract<ResetState, { step: S }>;

export const resetBase = (uid: string) => `/interaction/${uid}/reset`;

/** Where the screen of a state lives: the first screen without state, `/method` for the choice, else the step's name. */
export const resetPath = (uid: string, state: ResetState | undefined) =>
  `${resetBase(uid)}${!state ? '' : state.step === 'method' ? '/method' : `/${state.step}`}`;

interface Extra {
  error?: string;
  notice?: string;
  status?: number;
}

export function createResetScreens({ screens, csrf, reset }: { screens: ScreenRenderer; csrf: Csrf; reset: ResetService }) {
  const show = (ctx: Context, details: Interaction, lang: string, view: string, locals: Record<string, unknown>, status = 200) =>
    screens.render(
      ctx,
      view,
      { lang, uid: details.uid, base: resetBase(details.uid), signIn: `/interaction/${details.uid}`, csrf: csrf.token(details.uid), ...locals },
      status,
    );

  return {
    start: (ctx: Context, details: Interaction, lang: string, extra: Extra & { login?: string } = {}) =>
      show(
        ctx,
        details,
        lang,
        'reset-start',
        { login: extra.login ?? (typeof details.params.login_hint === 'string' ? details.params.login_hint : ''), error: extra.error ?? null, notice: extra.notice ?? null },
        extra.status,
      ),

    unavailable: (ctx: Context, details: Interaction, lang: string) => show(ctx, details, lang, 'reset-unavailable', {}),

    method: (ctx: Context, details: Interaction, lang: string, state: At<'method'> | At<'code'>, extra: Extra = {}) =>
      show(ctx, details, lang, 'reset-method', { masked: state.subject.masked, error: extra.error ?? null }, extra.status),

    async password(ctx: Context, details: Interaction, lang: string, state: At<'password'>, extra: { problems?: string[]; status?: number } = {}) {
      const rules = await reset.passwordRules(state);
      await show(ctx, details, lang, 'reset-password', { ...rules, problems: extra.problems ?? [] }, extra.status);
    },

    done: (ctx: Context, details: Interaction, lang: string) => show(ctx, details, lang, 'reset-done', {}),
  };
}
