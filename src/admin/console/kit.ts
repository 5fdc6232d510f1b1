// Route registration for console pages: every route behind the admin check, every POST behind the form parser and CSRF.
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { AppError } from '../../errors.ts';
import { field, formBody, multipartBody } from '../../http/forms.ts';
import { screenLanguages, translator } from '../../i18n/index.ts';
import type { Csrf } from '../../security/csrf.ts';
import type { ScreenRenderer } from '../../views.ts';
import type { AdminServices } from '../services/index.ts';
import { type Actor, userActor } from '../services/actor.ts';
import { fieldHelpers, formErrorLocals } from './field-errors.ts';
import { type AdminContextState, consoleCsrfKey } from './session.ts';

type Handler = (ctx: Context) => Promise<unknown>;

/** The cookie the language switch sets. */
export const LANGUAGE_COOKIE = 'cw_admin_lang';
const ERROR_SOURCE = 'errorSource';

/** The console's language: the switch's choice, else the admin's accept-language, else the default. */
export const consoleLanguage = (ctx: Context, screens: Pick<ScreenRenderer, 'language'>): string => screens.language(ctx, ctx.cookies.get(LANGUAGE_COOKIE) ?? undefined);

/** A time as the console shows it: date, time and its zone (UTC), e.g. `2026-03-01 09:00:00 UTC`. */
export const when = (ms: number | null | undefined): string => (ms == null ? '' : `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`);

/** Renders a console page with what every page needs (admin name, CSRF token, active section). */
export function consolePage(screens: ScreenRenderer, csrf: Csrf) {
  return (ctx: Context, view: string, section: string, locals: Record<string, unknown> = {}, status?: number) => {
    const { admin, adminSid } = ctx.state as AdminContextState;
    const lang = consoleLanguage(ctx, screens);
    const t = translator(lang);
    // An inline error is put in the admin's language here, so pages need not know it.
    const source = locals[ERROR_SOURCE];
    const translated = source instanceof AppError ? formErrorLocals(source, t) : {};
    const all = { ...locals, ...translated };
    const { invalid, fieldError } = fieldHelpers(all, t);
    const common = { lang, languages: screenLanguages, here: ctx.path, section, adminName: admin.name ?? admin.username, csrf: csrf.token(consoleCsrfKey(adminSid)), invalid, fieldError, when };
    return screens.render(ctx, `admin/${view}`, { ...common, ...all }, status);
  };
}

export type RenderPage = ReturnType<typeof consolePage>;

export interface PageDeps {
  router: Router;
  page: RenderPage;
  services: AdminServices;
  csrf: Csrf;
  requireAdmin: Middleware;
  issuer: string;
}

export interface ConsoleKit {
  get(path: string, handler: Handler): void;
  post(path: string, handler: Handler): void;
  /** A POST of a form with file inputs (multipart), up to maxBytes; its files are in `ctx.state.files`. */
  postFiles(path: string, maxBytes: number, handler: Handler): void;
  page: RenderPage;
  services: AdminServices;
  issuer: string;
}

/** The admin signed in to the console, as audit events name them. */
export const actorOf = (ctx: Context): Actor => userActor((ctx.state as AdminContextState).admin.id);

export function consoleKit({ router, page, services, csrf, requireAdmin, issuer }: PageDeps): ConsoleKit {
  const checkCsrf: Middleware = async (ctx, next) => {
    csrf.verify(consoleCsrfKey((ctx.state as AdminContextState).adminSid), field(ctx, 'csrf'));
    await next();
  };
  return {
    get: (path, handler) => {
      router.get(path, requireAdmin, async (ctx) => {
        await handler(ctx);
      });
    },
    post: (path, handler) => {
      router.post(path, requireAdmin, formBody, checkCsrf, async (ctx) => {
        await handler(ctx);
      });
    },
    postFiles: (path, maxBytes, handler) => {
      router.post(path, requireAdmin, multipartBody(maxBytes), checkCsrf, async (ctx) => {
        await handler(ctx);
      });
    },
    page,
    services,
    issuer,
  };
}

/** The language switch: remembers the choice in a cookie and goes back to the page it was made on. */
export function languageSwitch({ post }: Pick<ConsoleKit, 'post'>): void {
  post('/language', async (ctx) => {
    const lang = field(ctx, 'lang') ?? '';
    if (!screenLanguages.includes(lang)) throw new AppError('bad_form', 400, { message: `lang: must be one of ${screenLanguages.join(', ')}` });
    ctx.cookies.set(LANGUAGE_COOKIE, lang, { httpOnly: true, sameSite: 'lax', path: '/admin', maxAge: 365 * 86_400_000, signed: false, overwrite: true });
    const back = field(ctx, 'back') ?? '';
    seeOther(ctx, /^\/admin(\/[A-Za-z0-9/_.-]*)?$/.test(back) ? back : '/admin');
  });
}

/** An error an admin can fix (a 4xx AppError the service raised): shown inline. Anything else goes to the error middleware. */
export function inlineError(err: unknown): AppError {
  if (err instanceof AppError && err.status < 500 && err.expose) return err;
  throw err;
}

/** What a form shows for an inline error: the code's sentence on top and every issue beside its field. */
export function errorLocals(err: AppError) {
  return { ...formErrorLocals(err, translator('en')), [ERROR_SOURCE]: err };
}

/** Redirects after a successful POST (303, so a reload does not post again). */
export function seeOther(ctx: Context, url: string): void {
  ctx.status = 303;
  ctx.redirect(url);
}
