// Hosted screens: EJS templates compiled once in production (no file-system call per render), with the translator,
// language and layout data every screen needs.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ejs from 'ejs';
import type { Context } from 'koa';
import type { ResolvedBranding } from './branding/service.ts';
import type { Config } from './config/index.ts';
import { keepTogether } from './i18n/html.ts';
import { errorMessageKey } from './i18n/errors.ts';
import { negotiateScreenLanguage, translator } from './i18n/index.ts';
import { projectPath } from './paths.ts';

const viewsDir = projectPath('views/');

type Ctx = Context & { oidc?: { params?: Record<string, unknown>; client?: { clientId?: string } } };

/** Where a screen learns its app for branding: interaction routes set it once they loaded the interaction. */
export const BRANDING_CLIENT = 'brandingClientId';

/** The app a screen is for: the interaction's, or the one oidc-provider resolved for its own screens. */
const screenClient = (ctx: Context): string | null => {
  const own = (ctx.state as Record<string, unknown> | undefined)?.[BRANDING_CLIENT];
  if (typeof own === 'string') return own;
  const client = (ctx as Ctx).oidc?.client?.clientId;
  return typeof client === 'string' ? client : null;
};

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
  wayBack?: (ctx: Context) => Promise<{ href: string; client: string; clientId?: string } | undefined>;
  /** The branding of an app (null: no app); without it, screens look as built in. */
  branding?: (clientId: string | null) => Promise<ResolvedBranding>;
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
    // The console keeps its own look; every hosted screen shows its app's branding (or the installation's).
    // Branding that cannot be read (the database unreachable) leaves the built-in look: the screen, often an error, still shows.
    const clientId = typeof locals.brandingClientId === 'string' ? locals.brandingClientId : screenClient(ctx);
    const b = opts.branding && !view.startsWith('admin/') ? await opts.branding(clientId).catch(() => undefined) : undefined;
    const brand = { name: b?.name ?? t('app.name'), logo: b?.logo ?? null, favicon: b?.favicon ?? null, stylesheet: b?.stylesheet ?? null };
    const supportContact = b?.supportContact ?? config.supportContact;
    // As koa-views did: the request's state first, then the screen's own locals.
    ctx.body = template(view)({ ...ctx.state, supportContact, brand, keepTogether, ...locals, lang, t });
    ctx.type = 'html';
  };

  return {
    language,
    render,
    async renderError(ctx, code, description, status) {
      const lang = language(ctx);
      const t = translator(lang);
      const back = await opts.wayBack?.(ctx).catch(() => undefined);
      const locals = {
        lang,
        code,
        message: t(errorMessageKey(code, description)),
        description: config.env === 'production' ? undefined : description,
        back: back ?? null,
        // Branded as the app of this request, else as the app the way back leads to.
        brandingClientId: screenClient(ctx) ?? back?.clientId ?? null,
      };
      await render(ctx, 'error', locals, status ?? Math.max(ctx.status, 400));
    },
  };
}
