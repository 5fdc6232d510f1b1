// Hosted screens: koa-views + ejs, with the translator, language and layout data every screen needs.
import type { Context, Middleware } from 'koa';
import views from 'koa-views';
import type { Config } from './config/index.ts';
import { keepTogether } from './i18n/html.ts';
import { errorMessageKey } from './i18n/errors.ts';
import { negotiateScreenLanguage, translator } from './i18n/index.ts';
import { projectPath } from './paths.ts';

const viewsDir = projectPath('views/');

type Ctx = Context & { render?: (view: string, locals?: Record<string, unknown>) => Promise<void>; oidc?: { params?: Record<string, unknown> } };

export interface ScreenRenderer {
  middleware: Middleware;
  language(ctx: Context, uiLocales?: unknown): string;
  render(ctx: Context, view: string, locals?: Record<string, unknown>, status?: number): Promise<void>;
  renderError(ctx: Context, code: string, description?: string, status?: number): Promise<void>;
}

export interface ScreenOptions {
  /** Where an error screen links back to (the app of the request or of the session); without it, the start page. */
  wayBack?: (ctx: Context) => Promise<{ href: string; client: string } | undefined>;
}

export function createScreens(config: Pick<Config, 'env' | 'defaultLocale' | 'supportContact'>, opts: ScreenOptions = {}): ScreenRenderer {
  const middleware = views(viewsDir, { extension: 'ejs', options: { cache: config.env === 'production' } }) as unknown as Middleware;

  const language = (ctx: Context, uiLocales?: unknown): string => {
    const fromParams = (ctx as Ctx).oidc?.params?.ui_locales;
    const ui = typeof uiLocales === 'string' ? uiLocales : typeof fromParams === 'string' ? fromParams : undefined;
    return negotiateScreenLanguage(ui, ctx.get('accept-language'), config.defaultLocale);
  };

  const render: ScreenRenderer['render'] = async (ctx, view, locals = {}, status) => {
    const lang = typeof locals.lang === 'string' ? locals.lang : language(ctx);
    const t = translator(lang);
    if (status !== undefined) ctx.status = status;
    ctx.set('cache-control', 'no-store');
    ctx.set('content-language', lang);
    await (ctx as Ctx).render!(view, { supportContact: config.supportContact, keepTogether, ...locals, lang, t });
    ctx.type = 'html';
  };

  return {
    middleware,
    language,
    render,
    async renderError(ctx, code, description, status) {
      const lang = language(ctx);
      const t = translator(lang);
      const back = await opts.wayBack?.(ctx).catch(() => undefined);
      const locals = { lang, code, message: t(errorMessageKey(code, description)), description: config.env === 'production' ? undefined : description, back: back ?? null };
      await render(ctx, 'error', locals, status ?? Math.max(ctx.status, 400));
    },
  };
}
