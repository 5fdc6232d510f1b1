// Adding a phone at sign-in, when the policy allows it: the number here; its code on the SMS code step; saved only once proven.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { formRoute, formText } from '../../http/guard.ts';
import { formatWait } from '../../i18n/durations.ts';
import { translator } from '../../i18n/index.ts';
import { examplePhone, parsePhoneInput } from '../../phone.ts';
import type { Csrf } from '../../security/csrf.ts';
import { hintsFromRequest } from '../../sms/templates/language.ts';
import type { ScreenRenderer } from '../../views.ts';
import { clientIp, clientOf, formBody, type Interaction, loadInteraction } from '../interaction/context.ts';
import type { InteractionSignIn } from '../interaction/signin.ts';
import type { MfaService } from './service.ts';
import { mfaState } from './state.ts';

export interface EnrolDeps {
  router: Router;
  provider: Provider;
  screens: ScreenRenderer;
  csrf: Csrf;
  mfa: MfaService;
  signIn: InteractionSignIn;
}

/** The number post: bounded in size (a longer one is a broken form); whether it is a number is said beside the field. */
const enrolPost = z.object({ csrf: formText(), phone: formText(64) });

export function mountEnrolStep({ router, provider, screens, csrf, mfa, signIn }: EnrolDeps): void {
  /** The interaction whose sign-in the decision sends to enrolment; anything else goes back to the sign-in screen. */
  async function load(ctx: Context, form?: { csrf?: string }): Promise<{ details: Interaction; userId: string; lang: string } | undefined> {
    const details = await loadInteraction(provider, ctx);
    if (form) csrf.verify(details.uid, form.csrf);
    if (details.prompt.name !== 'login') throw new AppError('invalid_request', 400);
    const pending = signIn.pending(details);
    if (!pending || (await signIn.step(details)) !== 'enrol_phone') {
      ctx.status = 303;
      ctx.redirect(`/interaction/${details.uid}`);
      return undefined;
    }
    return { details, userId: pending.accountId, lang: screens.language(ctx, details.params.ui_locales) };
  }

  async function show(ctx: Context, at: { details: Interaction; lang: string }, extra: { error?: string; phone?: string; status?: number } = {}) {
    const rules = await mfa.phoneRules();
    await screens.render(
      ctx,
      'mfa-enrol',
      { lang: at.lang, uid: at.details.uid, csrf: csrf.token(at.details.uid), phone: extra.phone ?? '', error: extra.error ?? null, example: examplePhone(rules.defaultCountry), cancel: `/interaction/${at.details.uid}` },
      extra.status ?? 200,
    );
  }

  router.get('/enrol', async (ctx) => {
    const at = await load(ctx);
    if (at) await show(ctx, at);
  });

  router.post(
    '/enrol',
    formBody,
    formRoute({
      body: enrolPost,
      load: (ctx, { body }) => load(ctx, body),
      handler: async (ctx, { body, loaded: at }) => {
        if (!at) return;
        const t = translator(at.lang);
        const typed = body.phone ?? '';
        const rules = await mfa.phoneRules();
        const parsed = parsePhoneInput(typed, rules);
        if (!parsed.ok) {
          const error = parsed.reason === 'invalid_number' ? (rules.defaultCountry ? t('sms.invalid_number', { country: rules.defaultCountry }) : t('sms.invalid_number_intl')) : t(`sms.${parsed.reason}`);
          return show(ctx, at, { error, phone: typed, status: 400 });
        }
        if (await mfa.phoneTaken(parsed.e164)) return show(ctx, at, { error: t('mfa.enrol_taken'), phone: typed, status: 409 });
        const user = await mfa.user(at.userId);
        if (!user) throw new AppError('session_not_found', 400);
        const appName = (await provider.Client.find(String(at.details.params.client_id)))?.clientName ?? undefined;
        const { waitSeconds } = await mfa.begin(mfaState.bind(at.details), user, { ip: clientIp(ctx), hints: hintsFromRequest(ctx, user.locale), applicationName: appName, clientId: clientOf(at.details) }, { enrol: parsed.e164 });
        if (waitSeconds > 0) {
          ctx.set('retry-after', String(waitSeconds));
          return show(ctx, at, { error: t('sms.wait', { when: formatWait(at.lang, waitSeconds) }), phone: typed, status: 429 });
        }
        ctx.status = 303;
        ctx.redirect(`/interaction/${at.details.uid}/mfa/code`);
      },
    }),
  );
}
