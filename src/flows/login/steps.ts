// Steps the sign-in decision can ask for within the login flow: the password after an SMS code, and a new password once the old one expired.
import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { UsersRepo } from '../../db/users.ts';
import type { PoliciesRepo } from '../../db/policies.ts';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { formRoute, formText, formValue } from '../../http/guard.ts';
import { formatWait } from '../../i18n/durations.ts';
import { translator } from '../../i18n/index.ts';
import type { PasswordMethod } from '../../methods/password/index.ts';
import { checkPassword } from '../../policies/password.ts';
import type { Csrf } from '../../security/csrf.ts';
import { hashPassword, verifyPassword } from '../../security/passwords.ts';
import type { ScreenRenderer } from '../../views.ts';
import { clientIp, formBody, type Interaction, loadInteraction } from '../interaction/context.ts';
import type { InteractionSignIn, PendingSignIn } from '../interaction/signin.ts';

export interface LoginStepsDeps {
  provider: Provider;
  screens: ScreenRenderer;
  csrf: Csrf;
  password: PasswordMethod;
  signIn: InteractionSignIn;
  users: Pick<UsersRepo, 'findById' | 'setPassword'>;
  policies: Pick<PoliciesRepo, 'forUser' | 'ofUser'>;
  /** Epoch milliseconds; the sign-in decision's clock. */
  now: () => number;
}

const MAX_PASSWORD = 1024;

/** The password post's shape (a broken or oversized one is the error page), then what a person can fix. */
const passwordPost = z.object({ csrf: formText(), password: formValue(16_384) });
const passwordFields = z.object({ password: z.string().min(1).max(MAX_PASSWORD) });
/** The new password: sizes bounded here; whether it is good enough is the policy's to say, beside the field. */
const changePost = z.object({ csrf: formText(), password: formText(MAX_PASSWORD), confirm: formText(MAX_PASSWORD) });
/** A new password must be chosen within this long of proving the old one. */
const CHANGE_WINDOW_MS = 10 * 60 * 1000;

export function loginStepRoutes({ provider, screens, csrf, password, signIn, users, policies, now }: LoginStepsDeps): Router {
  const router = new Router({ prefix: '/interaction/:uid/password' });

  /** The interaction at its login prompt with a pending sign-in; otherwise back to the sign-in screen. */
  async function load(ctx: Context, form?: { csrf?: string }): Promise<{ details: Interaction; pending: PendingSignIn; lang: string } | undefined> {
    const details = await loadInteraction(provider, ctx);
    if (form) csrf.verify(details.uid, form.csrf);
    if (details.prompt.name !== 'login') throw new AppError('invalid_request', 400);
    const pending = signIn.pending(details);
    if (!pending) {
      ctx.status = 303;
      ctx.redirect(`/interaction/${details.uid}`);
      return undefined;
    }
    return { details, pending, lang: screens.language(ctx, details.params.ui_locales) };
  }

  const showPassword = (ctx: Context, details: Interaction, lang: string, error: string | null, status = 200) =>
    screens.render(ctx, 'signin-password', { lang, uid: details.uid, csrf: csrf.token(details.uid), error, cancel: `/interaction/${details.uid}` }, status);

  router.get('/', async (ctx) => {
    const at = await load(ctx);
    if (at) await showPassword(ctx, at.details, at.lang, null);
  });

  router.post(
    '/',
    formBody,
    formRoute({
      body: passwordPost,
      load: (ctx, { body }) => load(ctx, body),
      fields: passwordFields,
      invalid: async (ctx, _issues, { loaded: at }) => {
            if (at) await showPassword(ctx, at.details, at.lang, translator(at.lang)('signin.missing_password'), 400);
      },
      handler: async (ctx, { fields: { password: pass }, loaded: at }) => {
        if (!at) return;
        const t = translator(at.lang);
        const outcome = await password.authenticateAccount(at.pending.accountId, pass, clientIp(ctx));
        if (!outcome.ok) {
          if (outcome.reason === 'throttled') {
            ctx.set('retry-after', String(outcome.waitSeconds));
            return showPassword(ctx, at.details, at.lang, t('signin.throttled', { when: formatWait(at.lang, outcome.waitSeconds) }), 429);
          }
          return showPassword(ctx, at.details, at.lang, t('signin.wrong_password'), 401);
        }
        await signIn.proved(ctx, at.details, outcome.user.id, { method: 'pwd', amr: ['pwd'] });
      },
    }),
  );

  /** Whether the pending sign-in proved the password recently enough to replace it. */
  const mayChange = (pending: PendingSignIn) => pending.proofs.some((p) => p.method === 'pwd' && now() - p.at <= CHANGE_WINDOW_MS);

  async function showChange(ctx: Context, details: Interaction, lang: string, pending: PendingSignIn, problems: string[], status = 200) {
    const policy = await policies.forUser(pending.accountId);
    await screens.render(
      ctx,
      'password-change',
      { lang, uid: details.uid, csrf: csrf.token(details.uid), minLength: policy.password.minLength, maxLength: policy.password.maxLength, problems, cancel: `/interaction/${details.uid}` },
      status,
    );
  }

  router.get('/change', async (ctx) => {
    const at = await load(ctx);
    if (!at) return;
    if (!mayChange(at.pending)) return ctx.redirect(`/interaction/${at.details.uid}`);
    await showChange(ctx, at.details, at.lang, at.pending, []);
  });

  router.post(
    '/change',
    formBody,
    formRoute({
      body: changePost,
      load: (ctx, { body }) => load(ctx, body),
      handler: async (ctx, { body, loaded: at }) => {
        if (!at) return;
        if (!mayChange(at.pending)) {
          ctx.status = 303;
          return ctx.redirect(`/interaction/${at.details.uid}`);
        }
        const t = translator(at.lang);
        const user = await users.findById(at.pending.accountId);
        if (!user || user.disabled) throw new AppError('session_not_found', 400);
        const next = body.password ?? '';
        const confirm = body.confirm ?? '';
        if (!next || !confirm) return showChange(ctx, at.details, at.lang, at.pending, [t('password.missing')], 400);
        const policy = await policies.ofUser(user);
        const problems = checkPassword(next, policy.password, { username: user.username, email: user.email }).map((p) => t(`password.${p.code.replace(/^password_/, '')}`, p.params));
        if (next !== confirm) problems.push(t('password.mismatch'));
        // The expired password may not come back as the new one.
        if (await verifyPassword(user.passwordHash, next)) problems.push(t('password.same_as_old'));
        if (problems.length) return showChange(ctx, at.details, at.lang, at.pending, problems, 400);
        await users.setPassword(user.id, await hashPassword(next));
        const pwd = at.pending.proofs.find((p) => p.method === 'pwd')!;
        await signIn.proved(ctx, at.details, user.id, { method: 'pwd', amr: pwd.amr });
      },
    }),
  );

  return router;
}
