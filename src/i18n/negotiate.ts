// Chooses a language from what the request asks (ui_locales, accept-language with q-values) and what we have.
import Negotiator from 'negotiator';

/** Languages in the order the Accept-Language header prefers them (q-values honoured, `*` dropped). */
export function acceptLanguages(header: string | undefined | null): string[] {
  if (!header) return [];
  return new Negotiator({ headers: { 'accept-language': header } }).languages().filter((l) => l !== '*');
}

/**
 * Matches requested BCP 47 tags against available ones: exact tag first (case-insensitive), then the
 * requested base language against an available tag of that language (pt-BR → pt, pt → pt-BR).
 */
export function matchLanguage(requested: readonly string[], available: readonly string[]): string | undefined {
  const lower = new Map(available.map((a) => [a.toLowerCase(), a]));
  for (const tag of requested) {
    const t = tag.trim().toLowerCase();
    if (!t) continue;
    const exact = lower.get(t);
    if (exact) return exact;
    const base = t.split('-')[0]!;
    const byBase = lower.get(base) ?? available.find((a) => a.toLowerCase().split('-')[0] === base);
    if (byBase) return byBase;
  }
  return undefined;
}
