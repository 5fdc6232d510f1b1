// Routes of the forgot-password flow: username or email → text a code → code → new password → done (not signed in).
import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { AppError } from '../../errors.ts';
import { type Translate, translator } from '../../i18n/index.ts';
import type { Csrf } from '../../security/csrf.ts';
import { hintsFromRequest } from '../../sms/templates/language.ts';
import type { ScreenRenderer } from '../../views.ts';
import { clientIp, field, formBody, loadInteraction } from '../interaction/context.ts';
import type { NewPasswordProblem } from './change.ts';
import { type At, createResetScreens, resetPath } from './screens.ts';
import type { ResetService } from './service.ts';
import { type ResetState, type ResetStep, readState, writeState } from './state.ts';

export interface ResetRoutesDeps {
  provider: Provider;
  screens: ScreenRenderer;
  csrf: Csrf;
  reset: ResetService;
}

const MAX_LOGIN = 320;
const MAX_PASSWORD = 4096;

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
  async function load(ctx: Context, form = false) {
    const details = await loadInteraction(provider, ctx);
    if (form) csrf.verify(details.uid, field(ctx, 'csrf'));
    if (details.prompt.name !== 'login') throw new AppError('invalid_request', 400);
    const lang = screens.language(ctx, details.params.ui_locales);
    return { details, lang, t: translator(lang), state: readState(details) };
  }

  const requestContext = (ctx: Context) => ({ ip: clientIp(ctx), hints: hintsFromRequest(ctx) });

  router.get('/', async (ctx) => {
    const { details, lang, t } = await load(ctx);
    if (!(await reset.available())) return show.unavailable(ctx, details, lang);
    await show.start(ctx, details, lang, { notice: ctx.query.again === '1' ? t('reset.start_again') : undefined });
  });

  router.post('/', formBody, async (ctx) => {
    const { details, lang, t } = await load(ctx, true);
    if (!(await reset.available())) return show.unavailable(ctx, details, lang);
    const login = (field(ctx, 'login') ?? '').trim();
    if (!login || login.length > MAX_LOGIN) return show.start(ctx, details, lang, { login: login.slice(0, MAX_LOGIN), error: t('reset.missing_login'), status: 400 });
    const state: ResetState = { step: 'method', subject: await reset.identify(login) };
    await writeState(details, state);
    goTo(ctx, details.uid, state);
  });

  router.get('/method', async (ctx) => {
    const { details, lang, state } = await load(ctx);
    // The browser's back button from the code screen shows the choice again.
    if (state?.step !== 'method' && state?.step !== 'code') return goTo(ctx, details.uid, state);
    await show.method(ctx, details, lang, state);
  });

  router.post('/method', formBody, async (ctx) => {
    const { details, lang, t, state } = await load(ctx, true);
    if (state?.step !== 'method' && state?.step !== 'code') return goTo(ctx, details.uid, state);
    if (field(ctx, 'method') !== 'sms') throw new AppError('bad_form', 400);
    const outcome = await reset.send(details.uid, state.subject, requestContext(ctx));
    if (!outcome.ok) {
      ctx.set('retry-after', String(outcome.waitSeconds));
      return show.method(ctx, details, lang, state, { error: t('sms.wait', { seconds: outcome.waitSeconds }), status: 429 });
    }
    const next: ResetState = { step: 'code', subject: state.subject };
    await writeState(details, next);
    goTo(ctx, details.uid, next);
  });

  router.get('/code', async (ctx) => {
    const { details, lang, t, state } = await load(ctx);
    const at = atStep(ctx, details.uid, state, 'code');
    if (at) await show.code(ctx, details, lang, at, { notice: ctx.query.resent === '1' ? t('sms.resent') : undefined });
  });

  router.post('/code', formBody, async (ctx) => {
    const { details, lang, t, state } = await load(ctx, true);
    const at = atStep(ctx, details.uid, state, 'code');
    if (!at) return;
    const outcome = await reset.verify(details.uid, at.subject, (field(ctx, 'code') ?? '').slice(0, 32), clientIp(ctx));
    if (!outcome.ok) {
      if (outcome.reason === 'throttled') {
        ctx.set('retry-after', String(outcome.waitSeconds));
        return show.code(ctx, details, lang, at, { error: t('sms.too_many_wrong', { seconds: outcome.waitSeconds }), status: 429 });
      }
      if (outcome.reason === 'format') return show.code(ctx, details, lang, at, { error: t('sms.code_format', { length: await reset.codeLength() }), status: 400 });
      return show.code(ctx, details, lang, at, { error: t('sms.wrong_code'), status: 401 });
    }
    const next: ResetState = { step: 'password', subject: at.subject, verified: outcome.verified };
    await writeState(details, next);
    goTo(ctx, details.uid, next);
  });

  router.post('/resend', formBody, async (ctx) => {
    const { details, lang, t, state } = await load(ctx, true);
    const at = atStep(ctx, details.uid, state, 'code');
    if (!at) return;
    const outcome = await reset.send(details.uid, at.subject, requestContext(ctx));
    if (!outcome.ok) {
      ctx.set('retry-after', String(outcome.waitSeconds));
      return show.code(ctx, details, lang, at, { error: t('sms.wait', { seconds: outcome.waitSeconds }), status: 429 });
    }
    goTo(ctx, details.uid, at, '?resent=1');
  });

  router.get('/password', async (ctx) => {
    const { details, lang, state } = await load(ctx);
    const at = atStep(ctx, details.uid, state, 'password');
    if (at) await show.password(ctx, details, lang, at);
  });

  router.post('/password', formBody, async (ctx) => {
    const { details, lang, t, state } = await load(ctx, true);
    // After the change the state is `done`: a replayed form lands on the done screen and changes nothing.
    const at = atStep(ctx, details.uid, state, 'password');
    if (!at) return;
    const input = { password: (field(ctx, 'password') ?? '').slice(0, MAX_PASSWORD), confirm: (field(ctx, 'confirm') ?? '').slice(0, MAX_PASSWORD) };
    const outcome = await reset.change(details.uid, at, input, requestContext(ctx));
    if (!outcome.ok) {
      if (outcome.reason === 'invalid') return show.password(ctx, details, lang, at, { problems: outcome.problems.map((p) => problemText(t, p)), status: 400 });
      // Too late, or used meanwhile: this reset is over; the first screen says so.
      await writeState(details, undefined);
      return goTo(ctx, details.uid, undefined, '?again=1');
    }
    const next: ResetState = { step: 'done' };
    await writeState(details, next);
    goTo(ctx, details.uid, next);
  });

  router.get('/done', async (ctx) => {
    const { details, lang, state } = await load(ctx);
    if (atStep(ctx, details.uid, state, 'done')) await show.done(ctx, details, lang);
  });

  return router;
}
