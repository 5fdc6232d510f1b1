// Screens of the SMS second factor: code entry, resend, delivery status, or a clear dead end without a phone.
import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { User } from '../../db/users.ts';
import { AppError } from '../../errors.ts';
import { translator } from '../../i18n/index.ts';
import { maskedDisplay } from '../../methods/sms-code/phone-input.ts';
import { ACR, requestedAcr } from '../../oidc/acr.ts';
import type { Csrf } from '../../security/csrf.ts';
import { hintsFromRequest } from '../../sms/templates/language.ts';
import type { ScreenRenderer } from '../../views.ts';
import { clientIp, field, finishLogin, formBody, type Interaction, loadInteraction } from '../interaction/context.ts';
import type { MfaService } from './service.ts';
import { type MfaState, readMfaState, writeMfaState } from './state.ts';

export interface MfaRoutesDeps {
  provider: Provider;
  screens: ScreenRenderer;
  csrf: Csrf;
  mfa: MfaService;
}

const appName = async (provider: Provider, details: Interaction) => (await provider.Client.find(String(details.params.client_id)))?.clientName ?? undefined;

/**
 * Called by the sign-in flow after a right password: returns where to continue when a second factor is
 * needed (the code has then been sent), or null to finish the sign-in at once.
 */
export function createMfaGate({ provider, mfa }: Pick<MfaRoutesDeps, 'provider' | 'mfa'>) {
  return async (ctx: Context, details: Interaction, user: User): Promise<string | null> => {
    if (!(await mfa.needed(user, requestedAcr(details.params)))) return null;
    const { state } = await mfa.begin(details.uid, user, { ip: clientIp(ctx), hints: hintsFromRequest(ctx, user.locale), applicationName: await appName(provider, details) });
    await writeMfaState(details, state);
    return `/interaction/${details.uid}/mfa/code`;
  };
}

export function mfaRoutes({ provider, screens, csrf, mfa }: MfaRoutesDeps): Router {
  const router = new Router({ prefix: '/interaction/:uid/mfa' });

  async function load(ctx: Context) {
    const details = await loadInteraction(provider, ctx);
    const state = readMfaState(details);
    if (details.prompt.name !== 'login' || !state) throw new AppError('session_not_found', 400);
    const lang = screens.language(ctx, details.params.ui_locales);
    return { details, state, lang, t: translator(lang) };
  }

  async function showCode(ctx: Context, details: Interaction, state: MfaState, lang: string, extra: { error?: string; notice?: string; status?: number } = {}) {
    if (!state.phone) return screens.render(ctx, 'mfa-blocked', { lang }, 403);
    const t = translator(lang);
    const [codeLength, delivery, resendWait] = await Promise.all([mfa.codeLength(), mfa.delivery(state), mfa.resendWait(state, clientIp(ctx), details.uid)]);
    await screens.render(
      ctx,
      'sms-code',
      {
        lang,
        uid: details.uid,
        base: `/interaction/${details.uid}/mfa`,
        otherNumber: false,
        csrf: csrf.token(details.uid),
        maskedPhone: maskedDisplay(state.phone),
        codeLength,
        resendWait,
        undelivered: delivery.undelivered ? t(delivery.reasonKey ?? 'sms.reason.unknown') : null,
        error: extra.error ?? null,
        notice: extra.notice ?? null,
      },
      extra.status ?? 200,
    );
  }

  router.get('/code', async (ctx) => {
    const { details, state, lang, t } = await load(ctx);
    await showCode(ctx, details, state, lang, { notice: ctx.query.resent === '1' ? t('sms.resent') : undefined });
  });

  router.post('/code', formBody, async (ctx) => {
    const { details, state, lang, t } = await load(ctx);
    csrf.verify(details.uid, field(ctx, 'csrf'));
    const outcome = await mfa.verify(details.uid, state, (field(ctx, 'code') ?? '').slice(0, 32), clientIp(ctx));
    if (!outcome.ok) {
      if (outcome.reason === 'throttled') {
        ctx.set('retry-after', String(outcome.waitSeconds));
        return showCode(ctx, details, state, lang, { error: t('sms.too_many_wrong', { seconds: outcome.waitSeconds }), status: 429 });
      }
      if (outcome.reason === 'format') return showCode(ctx, details, state, lang, { error: t('sms.code_format', { length: await mfa.codeLength() }), status: 400 });
      return showCode(ctx, details, state, lang, { error: t('sms.wrong_code'), status: 401 });
    }
    await writeMfaState(details, undefined);
    await finishLogin(provider, ctx, details, { accountId: state.userId, amr: ['pwd', 'sms', 'mfa'], acr: ACR.passwordAndSms, remember: true });
  });

  router.post('/resend', formBody, async (ctx) => {
    const { details, state, lang, t } = await load(ctx);
    csrf.verify(details.uid, field(ctx, 'csrf'));
    const user = await mfa.user(state.userId);
    if (!user || !state.phone) return showCode(ctx, details, state, lang);
    const { state: next, waitSeconds } = await mfa.begin(details.uid, user, { ip: clientIp(ctx), hints: hintsFromRequest(ctx, user.locale), applicationName: await appName(provider, details) });
    if (waitSeconds > 0) {
      ctx.set('retry-after', String(waitSeconds));
      return showCode(ctx, details, state, lang, { error: t('sms.wait', { seconds: waitSeconds }), status: 429 });
    }
    await writeMfaState(details, next);
    ctx.status = 303;
    ctx.redirect(`/interaction/${details.uid}/mfa/code?resent=1`);
  });

  router.get('/status', async (ctx) => {
    const { state, t } = await load(ctx);
    const delivery = await mfa.delivery(state);
    ctx.set('cache-control', 'no-store');
    ctx.body =
      delivery.undelivered && state.phone
        ? { undelivered: true, title: t('sms.not_delivered', { phone: maskedDisplay(state.phone) }), reason: t(delivery.reasonKey ?? 'sms.reason.unknown'), help: t('sms.not_delivered_help') }
        : { undelivered: false };
  });

  return router;
}
