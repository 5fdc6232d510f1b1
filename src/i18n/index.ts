// Per-language string files and locale negotiation for hosted screens (ui_locales → accept-language → default).
import { readdirSync, readFileSync } from 'node:fs';
import { formatWait } from './durations.ts';
import { acceptLanguages, matchLanguage } from './negotiate.ts';
import { projectPath } from '../paths.ts';

export { formatWait } from './durations.ts';

export type Translate = (key: string, params?: Record<string, string | number>) => string;

const readDir = (rel: string): Map<string, Record<string, string>> => {
  const dir = projectPath(rel);
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f.slice(0, -5), JSON.parse(readFileSync(`${dir}${f}`, 'utf8')) as Record<string, string>]),
  );
};

/** Screen texts per language (locales/), and apart from them the error sentences per language (errors/, keyed by error code). */
const screenCatalogs = readDir('src/i18n/locales/');
const errorCatalogs = readDir('src/i18n/errors/');

export const screenLanguages: readonly string[] = [...screenCatalogs.keys()].sort();

/** Every language some text exists in; an error sentence is found as `errors.<code>` in the same catalog as the screen texts. */
const catalogs = new Map<string, Record<string, string>>(
  [...new Set([...screenCatalogs.keys(), ...errorCatalogs.keys()])].map((lang) => [
    lang,
    {
      ...screenCatalogs.get(lang),
      ...Object.fromEntries(Object.entries(errorCatalogs.get(lang) ?? {}).map(([code, text]) => [`errors.${code}`, text])),
    },
  ]),
);

/** Languages that have error sentences (src/i18n/errors/<lang>.json). */
export const errorLanguages: readonly string[] = [...errorCatalogs.keys()].sort();

function interpolate(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => String(params[name] ?? ''));
}

/**
 * A translator for one language; missing keys fall back to English, then to the key itself.
 * A numeric `seconds` parameter is also given to the text as `{{when}}`, the wait in words ("in 55 minutes").
 */
export function translator(lang: string): Translate {
  const own = catalogs.get(lang) ?? {};
  const en = catalogs.get('en') ?? {};
  return (key, params) => {
    const withWhen = params && typeof params.seconds === 'number' && params.when === undefined ? { ...params, when: formatWait(lang, params.seconds) } : params;
    return interpolate(own[key] ?? en[key] ?? key, withWhen);
  };
}

export function hasKey(key: string): boolean {
  return key in (catalogs.get('en') ?? {});
}

/** Picks the screen language: ui_locales (space-separated), then Accept-Language, then the default. */
export function negotiateScreenLanguage(uiLocales: string | undefined, acceptLanguage: string | undefined, fallback: string): string {
  const requested = [...(uiLocales ?? '').split(/\s+/).filter(Boolean), ...acceptLanguages(acceptLanguage)];
  return matchLanguage(requested, screenLanguages) ?? matchLanguage([fallback], screenLanguages) ?? 'en';
}

export function catalog(lang: string): Record<string, string> | undefined {
  return catalogs.get(lang);
}
