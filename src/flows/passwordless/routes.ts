// Screens of passwordless sign-in by SMS: the phone number here; the code step (code, resend, status) is the SMS method's.
import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { formRoute, formText } from '../../http/guard.ts';
import { formatWait } from '../../i18n/durations.ts';
import { type Translate, translator } from '../../i18n/index.ts';
import { mountCodeStep } from '../../methods/sms-code/step.ts';
import { ACR, requestedAcr } from '../../oidc/acr.ts';
import type { Csrf } from '../../security/csrf.ts';
import { hintsFromRequest } from '../../sms/templates/language.ts';
import type { ScreenRenderer } from '../../views.ts';
import { clientIp, formBody, type Interaction, loadInteraction } from '../interaction/context.ts';
import type { InteractionSignIn } from '../interaction/signin.ts';
import type { PasswordlessService, SendOutcome } from './service.ts';
import { passwordlessState } from './state.ts';

export interface PasswordlessRoutesDeps {
  provider: Provider;
  screens: ScreenRenderer;
  csrf: Csrf;
  passwordless: PasswordlessService;
  /** The one decision the sign-in ends with (under MFA it asks for the password next, or refuses). */
  signIn: InteractionSignIn;
}

const MAX_PHONE = 64;

/** An app asking only for the SMS context class: its sign-in screen is this flow, so no password is offered. */
const smsOnly = (details: Interaction) => {
  const acr = requestedAcr(details.params);
  return acr.includes(ACR.sms) && !acr.includes(ACR.password);
};
/** The phone post: a number of bounded size (a longer one is a broken form; what it says is the service's to judge). */
const phonePost = z.object({ csrf: formText(), phone: formText(MAX_PHONE) });

export function passwordlessRoutes({ provider, screens, csrf, passwordless, signIn }: PasswordlessRoutesDeps): Router {
  const router = new Router({ prefix: '/interaction/:uid/sms' });
  const base = (uid: string) => `/interaction/${uid}/sms`;

  /** Loads the interaction and checks it is at the login prompt of an app that offers SMS sign-in. */
  async function load(ctx: Context) {
    const details = await loadInteraction(provider, ctx);
    if (details.prompt.name !== 'login') throw new AppError('invalid_request', 400);
    signIn.guard(ctx, details);
    const clientId = String(details.params.client_id);
    if (!(await passwordless.availableFor(clientId))) throw new AppError('not_found', 404);
    const lang = screens.language(ctx, details.params.ui_locales);
    return { details, clientId, lang, t: translator(lang), flow: passwordlessState.bind(details) };
  }

  const appName = async (clientId: string) => (await provider.Client.find(clientId))?.clientName ?? undefined;
  const requestContext = async (ctx: Context, clientId: string) => ({ ip: clientIp(ctx), hints: hintsFromRequest(ctx), applicationName: await appName(clientId), clientId });

  async function showPhone(ctx: Context, details: Interaction, lang: string, extra: { error?: string; phone?: string; status?: number } = {}) {
    await screens.render(
      ctx,
      'sms-phone',
      { lang, uid: details.uid, csrf: csrf.token(details.uid), phone: extra.phone ?? '', error: extra.error ?? null, example: await passwordless.exampleNumber(lang), passwordLink: true },
      extra.status ?? 200,
    );
  }

  function refusal(t: Translate, lang: string, outcome: Exclude<SendOutcome, { ok: true }>): { error: string; status: number } {
    if (outcome.reason === 'wait') return { error: t('sms.wait', { when: formatWait(lang, outcome.waitSeconds) }), status: 429 };
    if (outcome.reason === 'no_flow') throw new AppError('session_not_found', 400);
    if (outcome.reason === 'invalid_number') {
      return { error: outcome.country ? t('sms.invalid_number', { country: outcome.country }) : t('sms.invalid_number_intl'), status: 400 };
    }
    return { error: t(`sms.${outcome.reason}`), status: 400 };
  }

  router.get('/', async (ctx) => {
    const { details, lang } = await load(ctx);
    await showPhone(ctx, details, lang);
  });

  router.post(
    '/',
    formBody,
    formRoute({
      body: phonePost,
      load: async (ctx, { body }) => {
        const at = await load(ctx);
        csrf.verify(at.details.uid, body.csrf);
        return at;
      },
      handler: async (ctx, { body, loaded: { details, clientId, lang, t, flow } }) => {
        const phone = body.phone ?? '';
        const outcome = await passwordless.sendCode(flow, phone, await requestContext(ctx, clientId));
        if (!outcome.ok) {
          if (outcome.reason === 'wait') ctx.set('retry-after', String(outcome.waitSeconds));
          const r = refusal(t, lang, outcome);
          return showPhone(ctx, details, lang, { error: r.error, phone, status: r.status });
        }
        ctx.status = 303;
        ctx.redirect(`${base(details.uid)}/code`);
      },
    }),
  );

  mountCodeStep({
    router,
    screens,
    csrf,
    base: (ctx) => base(ctx.params.uid!),
    cancel: (ctx) => `/interaction/${ctx.params.uid}`,
    abort: (ctx) => `/interaction/${ctx.params.uid}/abort`,
    async load(ctx, kind, form) {
      const { details, clientId, flow, lang } = await load(ctx);
      if (kind === 'form') csrf.verify(details.uid, form?.csrf);
      const state = await flow.read();
      if (!state) {
        if (kind !== 'screen') throw new AppError('session_not_found', 400);
        ctx.redirect(base(details.uid));
        return undefined;
      }
      return {
        lang,
        csrfBinding: details.uid,
        phone: state.phone,
        delivery: await passwordless.deliveryStatus(),
        other: { href: base(details.uid), textKey: 'sms.other_number' },
        // The password is the other way in, unless the app asked for the SMS context class only.
        alternatives: smsOnly(details) ? [] : [{ id: 'password', href: `/interaction/${details.uid}`, textKey: 'signin.password_link' }],
        codeLength: async () => (await passwordless.settings()).codeLength,
        resendWait: (ip) => passwordless.resendWait(state, ip, flow.flowId),
        deliveryState: () => passwordless.delivery(state),
        async verify(input) {
          const outcome = await passwordless.verify(flow, input, clientIp(ctx), clientId);
          if (outcome.ok) return { ok: true, value: outcome.user };
          if (outcome.reason === 'no_flow') throw new AppError('session_not_found', 400);
          return outcome;
        },
        async resend(ctx) {
          const outcome = await passwordless.resend(flow, await requestContext(ctx, clientId));
          if (outcome.ok) return { ok: true };
          if (outcome.reason === 'wait') return outcome;
          throw new AppError('session_not_found', 400);
        },
        succeed: (ctx, user) => signIn.proved(ctx, details, user.id, { method: 'sms', amr: ['sms', 'otp'] }, user),
      };
    },
  });

  return router;
}
