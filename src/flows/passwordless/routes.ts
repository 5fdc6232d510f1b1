// Screens of passwordless sign-in by SMS: phone number, verification code, resend, delivery status.
import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { AppError } from '../../errors.ts';
import { type Translate, translator } from '../../i18n/index.ts';
import { examplePhone, maskedDisplay } from '../../methods/sms-code/phone-input.ts';
import { ACR } from '../../oidc/acr.ts';
import type { Csrf } from '../../security/csrf.ts';
import { hintsFromRequest } from '../../sms/templates/language.ts';
import type { ScreenRenderer } from '../../views.ts';
import { clientIp, field, finishLogin, formBody, type Interaction, loadInteraction } from '../interaction/context.ts';
import type { PasswordlessService, SendOutcome } from './service.ts';
import { type PasswordlessState, readState, writeState } from './state.ts';

export interface PasswordlessRoutesDeps {
  provider: Provider;
  screens: ScreenRenderer;
  csrf: Csrf;
  passwordless: PasswordlessService;
}

export function passwordlessRoutes({ provider, screens, csrf, passwordless }: PasswordlessRoutesDeps): Router {
  const router = new Router({ prefix: '/interaction/:uid/sms' });

  /** Loads the interaction and checks it is at the login prompt of an app that offers SMS sign-in. */
  async function load(ctx: Context) {
    const details = await loadInteraction(provider, ctx);
    if (details.prompt.name !== 'login') throw new AppError('invalid_request', 400);
    const clientId = String(details.params.client_id);
    if (!(await passwordless.availableFor(clientId))) throw new AppError('not_found', 404);
    const lang = screens.language(ctx, details.params.ui_locales);
    return { details, clientId, lang, t: translator(lang) };
  }

  const appName = async (clientId: string) => (await provider.Client.find(clientId))?.clientName ?? undefined;

  async function showPhone(ctx: Context, details: Interaction, lang: string, extra: { error?: string; phone?: string; status?: number } = {}) {
    const settings = await passwordless.settings();
    await screens.render(
      ctx,
      'sms-phone',
      { lang, uid: details.uid, csrf: csrf.token(details.uid), phone: extra.phone ?? '', error: extra.error ?? null, example: examplePhone(settings.defaultCountry), passwordLink: true },
      extra.status ?? 200,
    );
  }

  async function showCode(ctx: Context, details: Interaction, state: PasswordlessState, lang: string, extra: { error?: string; notice?: string; status?: number } = {}) {
    const t = translator(lang);
    const [settings, delivery, resendWait] = await Promise.all([passwordless.settings(), passwordless.delivery(state), passwordless.resendWait(state, clientIp(ctx), details.uid)]);
    await screens.render(
      ctx,
      'sms-code',
      {
        lang,
        uid: details.uid,
        base: `/interaction/${details.uid}/sms`,
        otherNumber: true,
        csrf: csrf.token(details.uid),
        maskedPhone: maskedDisplay(state.phone),
        codeLength: settings.codeLength,
        resendWait,
        undelivered: delivery.undelivered ? t(delivery.reasonKey ?? 'sms.reason.unknown') : null,
        error: extra.error ?? null,
        notice: extra.notice ?? null,
      },
      extra.status ?? 200,
    );
  }

  function refusal(t: Translate, outcome: Exclude<SendOutcome, { ok: true }>): { error: string; status: number } {
    if (outcome.reason === 'wait') return { error: t('sms.wait', { seconds: outcome.waitSeconds }), status: 429 };
    if (outcome.reason === 'invalid_number') {
      return { error: outcome.country ? t('sms.invalid_number', { country: outcome.country }) : t('sms.invalid_number_intl'), status: 400 };
    }
    return { error: t(`sms.${outcome.reason}`), status: 400 };
  }

  router.get('/', async (ctx) => {
    const { details, lang } = await load(ctx);
    await showPhone(ctx, details, lang);
  });

  router.post('/', formBody, async (ctx) => {
    const { details, clientId, lang, t } = await load(ctx);
    csrf.verify(details.uid, field(ctx, 'csrf'));
    const phone = (field(ctx, 'phone') ?? '').slice(0, 64);
    const outcome = await passwordless.sendCode(details.uid, phone, { ip: clientIp(ctx), hints: hintsFromRequest(ctx), applicationName: await appName(clientId) });
    if (!outcome.ok) {
      if (outcome.reason === 'wait') ctx.set('retry-after', String(outcome.waitSeconds));
      const r = refusal(t, outcome);
      return showPhone(ctx, details, lang, { error: r.error, phone, status: r.status });
    }
    await writeState(details, outcome.state);
    ctx.status = 303;
    ctx.redirect(`/interaction/${details.uid}/sms/code`);
  });

  router.get('/code', async (ctx) => {
    const { details, lang, t } = await load(ctx);
    const state = readState(details);
    if (!state) return ctx.redirect(`/interaction/${details.uid}/sms`);
    await showCode(ctx, details, state, lang, { notice: ctx.query.resent === '1' ? t('sms.resent') : undefined });
  });

  router.post('/code', formBody, async (ctx) => {
    const { details, lang, t } = await load(ctx);
    csrf.verify(details.uid, field(ctx, 'csrf'));
    const state = readState(details);
    if (!state) throw new AppError('session_not_found', 400);
    const settings = await passwordless.settings();
    const outcome = await passwordless.verify(details.uid, state, (field(ctx, 'code') ?? '').slice(0, 32), clientIp(ctx));
    if (!outcome.ok) {
      if (outcome.reason === 'throttled') {
        ctx.set('retry-after', String(outcome.waitSeconds));
        return showCode(ctx, details, state, lang, { error: t('sms.too_many_wrong', { seconds: outcome.waitSeconds }), status: 429 });
      }
      if (outcome.reason === 'format') return showCode(ctx, details, state, lang, { error: t('sms.code_format', { length: settings.codeLength }), status: 400 });
      return showCode(ctx, details, state, lang, { error: t('sms.wrong_code'), status: 401 });
    }
    await writeState(details, undefined);
    await finishLogin(provider, ctx, details, { accountId: outcome.user.id, amr: ['sms', 'otp'], acr: ACR.sms, remember: true });
  });

  router.post('/resend', formBody, async (ctx) => {
    const { details, clientId, lang, t } = await load(ctx);
    csrf.verify(details.uid, field(ctx, 'csrf'));
    const state = readState(details);
    if (!state) throw new AppError('session_not_found', 400);
    const outcome = await passwordless.resend(details.uid, state, { ip: clientIp(ctx), hints: hintsFromRequest(ctx), applicationName: await appName(clientId) });
    if (!outcome.ok) {
      if (outcome.reason === 'wait') ctx.set('retry-after', String(outcome.waitSeconds));
      return showCode(ctx, details, state, lang, { ...refusal(t, outcome) });
    }
    await writeState(details, outcome.state);
    ctx.status = 303;
    ctx.redirect(`/interaction/${details.uid}/sms/code?resent=1`);
  });

  router.get('/status', async (ctx) => {
    const { details, t } = await load(ctx);
    const state = readState(details);
    if (!state) throw new AppError('session_not_found', 400);
    const delivery = await passwordless.delivery(state);
    ctx.set('cache-control', 'no-store');
    ctx.body = delivery.undelivered
      ? { undelivered: true, title: t('sms.not_delivered', { phone: maskedDisplay(state.phone) }), reason: t(delivery.reasonKey ?? 'sms.reason.unknown'), help: t('sms.not_delivered_help') }
      : { undelivered: false };
  });

  return router;
}
