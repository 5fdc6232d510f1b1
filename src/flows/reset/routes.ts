// Routes of the forgot-password flow: username or email → text a code → code (the SMS method's step) → new password → done.
import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { formRoute, formText, formValue } from '../../http/guard.ts';
import { formatWait } from '../../i18n/durations.ts';
import { type Translate, translator } from '../../i18n/index.ts';
import { mountCodeStep } from '../../methods/sms-code/step.ts';
import type { Csrf } from '../../security/csrf.ts';
import { hintsFromRequest } from '../../sms/templates/language.ts';
import type { ScreenRenderer } from '../../views.ts';
import { clientIp, clientOf, formBody, type Interaction, loadInteraction } from '../interaction/context.ts';
import type { NewPasswordProblem } from './change.ts';
import { type At, createResetScreens, resetBase, resetPath } from './screens.ts';
import type { ResetService } from './service.ts';
import { type ResetState, type ResetStep, resetState } from './state.ts';

export interface ResetRoutesDeps {
  provider: Provider;
  screens: ScreenRenderer;
  csrf: Csrf;
  reset: ResetService;
}

const MAX_LOGIN = 320;
const MAX_PASSWORD = 4096;

/** The identify post: its shape (a broken or oversized one is the error page), then the login a person can fix. */
const identifyPost = z.object({ csrf: formText(), login: formValue(16_384) });
const identifyFields = z.object({ login: z.string().trim().min(1).max(MAX_LOGIN) });
/** The method choice: SMS is the only one offered, so anything else is a broken form. */
const methodPost = z.object({ csrf: formText(), method: z.literal('sms') });
/** The new password: sizes bounded here; whether it is good enough is the policy's to say, beside the field. */
const passwordPost = z.object({ csrf: formText(), password: formText(MAX_PASSWORD), confirm: formText(MAX_PASSWORD) });

const problemText = (t: Translate, p: NewPasswordProblem) => t(`password.${p.code.replace(/^password_/, '')}`, p.params);

/** Sends the browser to the screen its state belongs to. */
function goTo(ctx: Context, uid: string, state: ResetState | undefined, query = '') {
  ctx.status = 303;
  ctx.redirect(`${resetPath(uid, state)}${query}`);
}

/** The state when it is at `step`; otherwise redirects to where it is and returns undefined. */
function atStep<S extends ResetStep>(ctx: Context, uid: string, state: ResetState | undefined, step: S): At<S> | undefined {
  if (state?.step === step) return state as At<S>;
  goTo(ctx, uid, state);
  return undefined;
}

export function resetRoutes({ provider, screens, csrf, reset }: ResetRoutesDeps): Router {
  const router = new Router({ prefix: '/interaction/:uid/reset' });
  const show = createResetScreens({ screens, csrf, reset });

  /** The interaction at its login prompt, the screen language and the reset state so far. */
  async function load(ctx: Context, form?: { csrf?: string | undefined }) {
    const details = await loadInteraction(provider, ctx);
    if (form) csrf.verify(details.uid, form.csrf);
    if (details.prompt.name !== 'login') throw new AppError('invalid_request', 400);
    const lang = screens.language(ctx, details.params.ui_locales);
    return { details, lang, t: translator(lang), state: resetState.read(details), flow: resetState.bind(details) };
  }

  /** The app the reset started from picks the SMS account, signature and template its grants allow. */
  const requestContext = (ctx: Context, details: Interaction) => ({ ip: clientIp(ctx), hints: hintsFromRequest(ctx), clientId: clientOf(details) });

  router.get('/', async (ctx) => {
    const { details, lang, t } = await load(ctx);
    if (!(await reset.available(clientOf(details)))) return show.unavailable(ctx, details, lang);
    await show.start(ctx, details, lang, { notice: ctx.query.again === '1' ? t('reset.start_again') : undefined });
  });

  router.post(
    '/',
    formBody,
    formRoute({
      body: identifyPost,
      load: (ctx, { body }) => load(ctx, body),
      fields: identifyFields,
      invalid: async (ctx, _issues, { body, loaded: { details, lang, t } }) => {
        if (!(await reset.available(clientOf(details)))) return show.unavailable(ctx, details, lang);
        const typed = typeof body.login === 'string' ? body.login.trim().slice(0, MAX_LOGIN) : '';
        return show.start(ctx, details, lang, { login: typed, error: t('reset.missing_login'), status: 400 });
      },
      handler: async (ctx, { fields: { login }, loaded: { details, lang, t, flow } }) => {
        if (!(await reset.available(clientOf(details)))) return show.unavailable(ctx, details, lang);
        const identified = await reset.identify(flow, login, clientIp(ctx));
        if (!identified.ok) {
          ctx.set('retry-after', String(identified.waitSeconds));
          return show.start(ctx, details, lang, { login, error: t('signin.throttled', { when: formatWait(lang, identified.waitSeconds) }), status: 429 });
        }
        goTo(ctx, details.uid, await flow.read());
      },
    }),
  );

  router.get('/method', async (ctx) => {
    const { details, lang, state } = await load(ctx);
    // The browser's back button from the code screen shows the choice again.
    if (state?.step !== 'method' && state?.step !== 'code') return goTo(ctx, details.uid, state);
    await show.method(ctx, details, lang, state);
  });

  router.post(
    '/method',
    formBody,
    formRoute({
      body: methodPost,
      load: (ctx, { body }) => load(ctx, body),
      handler: async (ctx, { loaded: { details, lang, t, state, flow } }) => {
        if (state?.step !== 'method' && state?.step !== 'code') return goTo(ctx, details.uid, state);
        const outcome = await reset.send(flow, state.subject, requestContext(ctx, details));
        if (!outcome.ok) {
          ctx.set('retry-after', String(outcome.waitSeconds));
          return show.method(ctx, details, lang, state, { error: t('sms.wait', { when: formatWait(lang, outcome.waitSeconds) }), status: 429 });
        }
        goTo(ctx, details.uid, await flow.read());
      },
    }),
  );

  mountCodeStep({
    router,
    screens,
    csrf,
    base: (ctx) => resetBase(ctx.params.uid!),
    cancel: (ctx) => `/interaction/${ctx.params.uid}`,
    abort: (ctx) => `/interaction/${ctx.params.uid}/abort`,
    texts: { title: 'reset.code_title', intro: 'reset.code_intro_on_file', label: 'reset.code_label', verify: 'reset.verify' },
    help: true,
    async load(ctx, kind, form) {
      const { details, lang, state, flow } = await load(ctx, kind === 'form' ? (form ?? { csrf: undefined }) : undefined);
      if (kind === 'status' && state?.step !== 'code') throw new AppError('session_not_found', 400);
      const at = atStep(ctx, details.uid, state, 'code');
      if (!at) return undefined;
      return {
        lang,
        csrfBinding: details.uid,
        // No digit of the number: it would show before possession is proven (and tell accounts apart).
        phone: '',
        // Unknown users, users without a phone and users not allowed an SMS reset all hold a decoy here.
        delivery: 'hidden',
        other: { href: resetBase(details.uid), textKey: 'reset.other_account' },
        codeLength: () => reset.codeLength(),
        resendWait: (ip) => reset.resendWait(at.subject, ip, flow.flowId),
        deliveryState: async () => ({ undelivered: false, reasonKey: null }),
        async verify(input) {
          const outcome = await reset.verify(flow, at.subject, input, clientIp(ctx));
          return outcome.ok ? { ok: true, value: outcome.verified } : outcome;
        },
        resend: (ctx) => reset.send(flow, at.subject, requestContext(ctx, details)),
        // The service has moved the flow to the new-password step.
        succeed: async (ctx) => goTo(ctx, details.uid, await flow.read()),
      };
    },
  });

  router.get('/password', async (ctx) => {
    const { details, lang, state } = await load(ctx);
    const at = atStep(ctx, details.uid, state, 'password');
    if (at) await show.password(ctx, details, lang, at);
  });

  router.post(
    '/password',
    formBody,
    formRoute({
      body: passwordPost,
      load: (ctx, { body }) => load(ctx, body),
      handler: async (ctx, { body, loaded: { details, lang, t, state, flow } }) => {
        // After the change the state is `done`: a replayed form lands on the done screen and changes nothing.
        const at = atStep(ctx, details.uid, state, 'password');
        if (!at) return;
        const outcome = await reset.change(flow, at, { password: body.password ?? '', confirm: body.confirm ?? '' }, requestContext(ctx, details));
        if (!outcome.ok) {
          if (outcome.reason === 'invalid') return show.password(ctx, details, lang, at, { problems: outcome.problems.map((p) => problemText(t, p)), status: 400 });
          // Too late, or used meanwhile: the service forgot this reset; the first screen says so.
          return goTo(ctx, details.uid, undefined, '?again=1');
        }
        goTo(ctx, details.uid, await flow.read());
      },
    }),
  );

  router.get('/done', async (ctx) => {
    const { details, lang, state } = await load(ctx);
    if (atStep(ctx, details.uid, state, 'done')) await show.done(ctx, details, lang);
  });

  return router;
}
