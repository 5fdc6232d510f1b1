// The region a screen language suggests (es → ES, pt-BR → BR), for examples such as the phone number hint.

/** Where a language without a region subtag is mostly written; anything else falls back to the US. */
const LIKELY_REGION: Record<string, string> = { en: 'US', es: 'ES', pt: 'BR', fr: 'FR', de: 'DE', zh: 'CN', ja: 'JP' };

/** The region of a BCP 47 tag: its own region subtag (pt-BR → BR, zh-CN → CN), else the language's likely region. */
export function languageRegion(lang: string): string {
  try {
    const region = new Intl.Locale(lang).region;
    if (region && /^[A-Z]{2}$/.test(region)) return region;
    return LIKELY_REGION[new Intl.Locale(lang).language] ?? 'US';
  } catch {
    return 'US';
  }
}
