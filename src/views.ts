// Hosted screens: EJS templates compiled once in production (no file-system call per render), with the translator,
// language and layout data every screen needs.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ejs from 'ejs';
import type { Context } from 'koa';
import type { Config } from './config/index.ts';
import { keepTogether } from './i18n/html.ts';
import { errorMessageKey } from './i18n/errors.ts';
import { negotiateScreenLanguage, translator } from './i18n/index.ts';
import { projectPath } from './paths.ts';

const viewsDir = projectPath('views/');

type Ctx = Context & { oidc?: { params?: Record<string, unknown> } };

export interface ScreenRenderer {
  language(ctx: Context, uiLocales?: unknown): string;
  render(ctx: Context, view: string, locals?: Record<string, unknown>, status?: number): Promise<void>;
  renderError(ctx: Context, code: string, description?: string, status?: number): Promise<void>;
}

/**
 * Template functions by view name ("login", "admin/apps"). Includes are written relative to the including file
 * ("partials/head"): they are turned into absolute paths once, when the file is read (EJS checks a relative one with
 * existsSync on every include), and their sources come from memory. With `cache` (production) each file is read and compiled once; otherwise every
 * render reads the files again, so edited templates show at once.
 */
function templates(cache: boolean): (view: string) => ejs.TemplateFunction {
  const sources = new Map<string, string>();
  const source = (filename: string): string => {
    let text = cache ? sources.get(filename) : undefined;
    if (text === undefined) {
      const dir = dirname(filename);
      text = readFileSync(filename, 'utf8').replace(/\binclude\((['"])([^'"/][^'"]*)\1/g, (_, _q, name: string) => `include(${JSON.stringify(resolve(dir, name))}`);
      if (cache) sources.set(filename, text);
    }
    return text;
  };
  const options = { cache, includer: (_path: string, filename: string) => ({ template: source(filename) }) };
  const compiled = new Map<string, ejs.TemplateFunction>();
  return (view) => {
    let fn = compiled.get(view);
    if (!fn) {
      const filename = `${viewsDir}${view}.ejs`;
      fn = ejs.compile(source(filename), { ...options, filename }) as ejs.TemplateFunction;
      if (cache) compiled.set(view, fn);
    }
    return fn;
  };
}

export interface ScreenOptions {
  /** Where an error screen links back to (the app of the request or of the session); without it, the start page. */
  wayBack?: (ctx: Context) => Promise<{ href: string; client: string } | undefined>;
}

export function createScreens(config: Pick<Config, 'env' | 'defaultLocale' | 'supportContact'>, opts: ScreenOptions = {}): ScreenRenderer {
  const template = templates(config.env === 'production');

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
    // As koa-views did: the request's state first, then the screen's own locals.
    ctx.body = template(view)({ ...ctx.state, supportContact: config.supportContact, keepTogether, ...locals, lang, t });
    ctx.type = 'html';
  };

  return {
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
