// Screens of the SMS second factor: the SMS method's code step, or a clear dead end without a phone.
import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { User } from '../../db/users.ts';
import { AppError } from '../../errors.ts';
import { mountCodeStep } from '../../methods/sms-code/step.ts';
import type { Csrf } from '../../security/csrf.ts';
import { hintsFromRequest } from '../../sms/templates/language.ts';
import type { ScreenRenderer } from '../../views.ts';
import { clientIp, clientOf, type Interaction, loadInteraction } from '../interaction/context.ts';
import type { InteractionSignIn } from '../interaction/signin.ts';
import { mountEnrolStep } from './enrol.ts';
import type { MfaService } from './service.ts';
import { mfaState } from './state.ts';

export interface MfaRoutesDeps {
  provider: Provider;
  screens: ScreenRenderer;
  csrf: Csrf;
  mfa: MfaService;
  /** The one decision the sign-in ends with, once the code is right. */
  signIn: InteractionSignIn;
}

const appName = async (provider: Provider, details: Interaction) => (await provider.Client.find(String(details.params.client_id)))?.clientName ?? undefined;
const HELD_REASONS = new Set(['proven_hourly', 'resend_cooldown']);
const heldReason = (limit: string) => `sms.held.${HELD_REASONS.has(limit) ? limit : 'other'}`;
const base = (uid: string) => `/interaction/${uid}/mfa`;

/**
 * The second-factor step, started when the sign-in decision asks for it: texts the first code of this sign-in and
 * returns where the code screen is.
 */
export function createMfaStep({ provider, mfa }: Pick<MfaRoutesDeps, 'provider' | 'mfa'>) {
  return async (ctx: Context, details: Interaction, user: User): Promise<string> => {
    await mfa.begin(mfaState.bind(details), user, {
      ip: clientIp(ctx),
      hints: hintsFromRequest(ctx, user.locale),
      applicationName: await appName(provider, details),
      clientId: clientOf(details),
    });
    return `${base(details.uid)}/code`;
  };
}

export function mfaRoutes({ provider, screens, csrf, mfa, signIn }: MfaRoutesDeps): Router {
  const router = new Router({ prefix: '/interaction/:uid/mfa' });

  mountCodeStep({
    router,
    screens,
    csrf,
    base: (ctx) => base(ctx.params.uid!),
    cancel: (ctx) => `/interaction/${ctx.params.uid}`,
    abort: (ctx) => `/interaction/${ctx.params.uid}/abort`,
    async load(ctx, kind, form) {
      const details = await loadInteraction(provider, ctx);
      const flow = mfaState.bind(details);
      const state = await flow.read();
      if (details.prompt.name !== 'login' || !state) throw new AppError('session_not_found', 400);
      if (kind === 'form') csrf.verify(details.uid, form?.csrf);
      const lang = screens.language(ctx, details.params.ui_locales);
      const phone = state.phone;
      return {
        lang,
        csrfBinding: details.uid,
        phone: phone ?? '',
        // The second factor never holds a decoy: the user proved a password and the number is theirs.
        delivery: 'shown',
        // "Try another way": SMS is the only second factor the method registry has, so there is none to offer.
        alternatives: [],
        notSent: state.held && !state.messageId ? { reasonKey: heldReason(state.held) } : undefined,
        blocked: phone ? undefined : (ctx) => screens.render(ctx, 'mfa-blocked', { lang, cancel: `/interaction/${details.uid}` }, 403),
        codeLength: () => mfa.codeLength(),
        resendWait: (ip) => mfa.resendWait(state, ip, flow.flowId),
        deliveryState: () => mfa.delivery(state),
        async verify(input) {
          const outcome = await mfa.verify(flow, input, clientIp(ctx), clientOf(details));
          return outcome.ok ? { ok: true, value: state.userId } : outcome;
        },
        async resend(ctx) {
          const user = await mfa.user(state.userId);
          if (!user) return { ok: false, reason: 'ignored' };
          const hints = hintsFromRequest(ctx, user.locale);
          const enrol = state.enrol && state.phone ? state.phone : undefined;
          const { waitSeconds } = await mfa.begin(flow, user, { ip: clientIp(ctx), hints, applicationName: await appName(provider, details), clientId: clientOf(details) }, { enrol });
          return waitSeconds > 0 ? { ok: false, reason: 'wait', waitSeconds } : { ok: true };
        },
        async succeed(ctx, userId) {
          // A number added at this sign-in is saved once proven; it is no second factor of this sign-in.
          if (state.enrol) {
            await mfa.enrol(state, clientIp(ctx));
            return signIn.resume(ctx, details);
          }
          await signIn.proved(ctx, details, userId, { method: 'sms', amr: ['sms'] });
        },
      };
    },
  });

  mountEnrolStep({ router, provider, screens, csrf, mfa, signIn });
  return router;
}
