// Sign-in and consent screens: the interaction entry point, password sign-in, consent (skipped for first-party apps).
import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { formatWait } from '../../i18n/durations.ts';
import { translator } from '../../i18n/index.ts';
import { formRoute, formText, formValue } from '../../http/guard.ts';
import type { PasswordMethod } from '../../methods/password/index.ts';
import { ACR, requestedAcr } from '../../oidc/acr.ts';
import { normaliseMobileNumber } from '../../phone.ts';
import type { Csrf } from '../../security/csrf.ts';
import type { ScreenRenderer } from '../../views.ts';
import { clientIp, finish, formBody, type Interaction, loadInteraction } from '../interaction/context.ts';
import type { InteractionSignIn } from '../interaction/signin.ts';
import { grantRequested } from './consent.ts';

export interface LoginRoutesDeps {
  provider: Provider;
  screens: ScreenRenderer;
  csrf: Csrf;
  password: PasswordMethod;
  /** Whether this client offers passwordless sign-in by SMS (decided by the SMS connection). */
  smsAvailableFor?: (clientId: string) => Promise<boolean>;
  /** The example number the phone field shows, for the screen's language (the SMS connection's default country). */
  smsPhoneExample?: (lang: string) => Promise<string>;
  /** The one decision every sign-in ends with (it starts the second factor when one is needed). */
  signIn: InteractionSignIn;
}

const MAX_LOGIN = 320;
const MAX_PASSWORD = 1024;

/** The shape of the sign-in post (anything else is a broken form: the error page). */
const loginPost = z.object({ csrf: formText(), login: formValue(16_384), password: formValue(16_384) });
const consentPost = z.object({ csrf: formText(), decision: formValue(64) });
const abortPost = z.object({ csrf: formText() });
const consentFields = z.object({ decision: z.enum(['allow', 'deny']) });

/** What a person can fix: both fields filled in, within their lengths (the screen says so, keeping the login typed). */
const loginFields = z.object({
  login: z.string().trim().min(1).max(MAX_LOGIN),
  password: z.string().min(1).max(MAX_PASSWORD),
});

export function loginRoutes({ provider, screens, csrf, password, smsAvailableFor, smsPhoneExample, signIn }: LoginRoutesDeps): Router {
  const router = new Router();

  const clientOf = async (details: Interaction) => provider.Client.find(String(details.params.client_id));

  async function showLogin(ctx: Context, details: Interaction, extra: { error?: string; login?: string; status?: number } = {}) {
    const client = await clientOf(details);
    const lang = screens.language(ctx, details.params.ui_locales);
    // An app that offers sign-in by text message shows the phone number field here too: one screen less to it.
    const sms = smsAvailableFor && (await smsAvailableFor(String(details.params.client_id)));
    // A login_hint that is a mobile number in international form fills that field rather than the username.
    const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
    const phoneHint = sms && hint.startsWith('+') ? (normaliseMobileNumber(hint) ?? '') : '';
    await screens.render(
      ctx,
      'login',
      {
        lang,
        uid: details.uid,
        csrf: csrf.token(details.uid),
        clientName: client?.clientName ?? null,
        login: extra.login ?? (phoneHint ? '' : hint),
        error: extra.error ?? null,
        sms: sms ? { example: smsPhoneExample ? await smsPhoneExample(lang) : '', phone: phoneHint } : null,
      },
      extra.status ?? 200,
    );
  }

  router.get('/interaction/:uid', async (ctx) => {
    const details = await loadInteraction(provider, ctx);
    if (details.prompt.name === 'login') {
      signIn.guard(ctx, details);
      // A reused session that lacks something this app needs: ask only for the missing step.
      if (await signIn.continueSession(ctx, details)) return;
      // An app asking only for the SMS context class goes straight to the text-message sign-in.
      const acr = requestedAcr(details.params);
      if (acr.includes(ACR.sms) && !acr.includes(ACR.password) && smsAvailableFor && (await smsAvailableFor(String(details.params.client_id)))) {
        return ctx.redirect(`/interaction/${details.uid}/sms`);
      }
      return showLogin(ctx, details);
    }
    if (details.prompt.name === 'consent') {
      const client = await clientOf(details);
      if (client?.['first_party'] === true) return finish(provider, ctx, await grantRequested(provider, details), true, details);
      const scopes = String(details.params.scope ?? '')
        .split(' ')
        .filter((s) => ['openid', 'profile', 'email', 'phone', 'offline_access'].includes(s));
      return screens.render(ctx, 'consent', {
        lang: screens.language(ctx, details.params.ui_locales),
        uid: details.uid,
        csrf: csrf.token(details.uid),
        clientName: client?.clientName ?? String(details.params.client_id),
        scopes,
      });
    }
    throw new AppError('invalid_request', 400);
  });

  const loadLogin = async (ctx: Context, csrfToken: string | undefined) => {
    const details = await loadInteraction(provider, ctx);
    csrf.verify(details.uid, csrfToken);
    if (details.prompt.name !== 'login') throw new AppError('invalid_request', 400);
    const lang = screens.language(ctx, details.params.ui_locales);
    return { details, lang, t: translator(lang) };
  };

  router.post(
    '/interaction/:uid/login',
    formBody,
    formRoute({
      body: loginPost,
      load: (ctx, { body }) => loadLogin(ctx, body.csrf),
      fields: loginFields,
      invalid: (ctx, _issues, { body, loaded }) =>
        showLogin(ctx, loaded.details, { error: loaded.t('signin.missing_fields'), login: typeof body.login === 'string' ? body.login.trim().slice(0, MAX_LOGIN) : '', status: 400 }),
      handler: async (ctx, { fields: { login, password: pass }, loaded: { details, lang, t } }) => {
        const outcome = await password.authenticate(login, pass, clientIp(ctx));
        if (!outcome.ok) {
          if (outcome.reason === 'throttled') {
            ctx.set('retry-after', String(outcome.waitSeconds));
            return showLogin(ctx, details, { error: t('signin.throttled', { when: formatWait(lang, outcome.waitSeconds) }), login, status: 429 });
          }
          return showLogin(ctx, details, { error: t('signin.invalid_credentials'), login, status: 401 });
        }
        await signIn.proved(ctx, details, outcome.user.id, { method: 'pwd', amr: ['pwd'] }, outcome.user);
      },
    }),
  );

  router.post(
    '/interaction/:uid/consent',
    formBody,
    formRoute({
      body: consentPost,
      load: async (ctx, { body }) => {
        const details = await loadInteraction(provider, ctx);
        csrf.verify(details.uid, body.csrf);
        if (details.prompt.name !== 'consent') throw new AppError('invalid_request', 400);
        return details;
      },
      fields: consentFields,
      // The consent screen has no field to fix (no `invalid`): an answer other than allow or deny is a broken form.
      handler: async (ctx, { fields: { decision }, loaded: details }) => {
        if (decision === 'allow') return finish(provider, ctx, await grantRequested(provider, details), true, details);
        return finish(provider, ctx, { error: 'access_denied', error_description: 'End-User denied the request' }, false, details);
      },
    }),
  );

  // The way out of any step of the sign-in: the app gets `access_denied`, as when the user declines consent.
  router.post(
    '/interaction/:uid/abort',
    formBody,
    formRoute({
      body: abortPost,
      load: async (ctx, { body }) => {
        const details = await loadInteraction(provider, ctx);
        csrf.verify(details.uid, body.csrf);
        return details;
      },
      handler: (ctx) => finish(provider, ctx, { error: 'access_denied', error_description: 'End-User aborted interaction' }),
    }),
  );

  return router;
}
