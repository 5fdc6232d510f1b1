// Picks a message's language: x-request-language, then accept-language (q-values), then the user's locale, then defaults.
import type { Context } from 'koa';
import { acceptLanguages, matchLanguage } from '../../i18n/negotiate.ts';

export interface LanguageHints {
  /** The `x-request-language` header of the request that triggered the message. */
  requestLanguage?: string | null;
  /** The `accept-language` header of that request. */
  acceptLanguage?: string | null;
  /** The user's stored locale. */
  userLocale?: string | null;
}

export type LanguageSource = 'request' | 'accept' | 'user' | 'default' | 'fallback';

export interface LanguageChoice {
  language: string;
  source: LanguageSource;
}

/** Canonical BCP 47 form (pt-br → pt-BR), or undefined when the tag is not well-formed. */
export function canonicalTag(tag: string | null | undefined): string | undefined {
  if (!tag) return undefined;
  try {
    return Intl.getCanonicalLocales(tag.trim())[0];
  } catch {
    return undefined;
  }
}

function tags(list: string | null | undefined): string[] {
  return (list ?? '')
    .split(/[\s,]+/)
    .map((t) => canonicalTag(t))
    .filter((t): t is string => Boolean(t));
}

/** Reads the hints from the request that triggers a message. */
export function hintsFromRequest(ctx: Pick<Context, 'get'>, userLocale?: string | null): LanguageHints {
  return { requestLanguage: ctx.get('x-request-language') || null, acceptLanguage: ctx.get('accept-language') || null, userLocale: userLocale ?? null };
}

/**
 * Each source in order, each tag within it by preference, matched exact tag first then base language (pt-BR → pt);
 * then the configured default language; then built-in English.
 */
export function chooseLanguage(hints: LanguageHints, available: readonly string[], defaultLanguage: string): LanguageChoice {
  const sources: [LanguageSource, string[]][] = [
    ['request', tags(hints.requestLanguage)],
    ['accept', acceptLanguages(hints.acceptLanguage).map((t) => canonicalTag(t)).filter((t): t is string => Boolean(t))],
    ['user', tags(hints.userLocale)],
  ];
  for (const [source, requested] of sources) {
    for (const tag of requested) {
      const match = matchLanguage([tag], available);
      if (match) return { language: match, source };
    }
  }
  const byDefault = matchLanguage([defaultLanguage], available);
  if (byDefault) return { language: byDefault, source: 'default' };
  return { language: 'en', source: 'fallback' };
}
