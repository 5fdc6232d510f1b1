// Screens and SMS texts speak the same languages; every screen language has every string English has (the English-only admin console excepted); negotiation works.
import { expect } from 'chai';
import { catalog, negotiateScreenLanguage, screenLanguages } from '../../src/i18n/index.ts';
import { languageRegion } from '../../src/i18n/regions.ts';
import { BUILTIN_LANGUAGES } from '../../src/sms/templates/defaults.ts';

describe('screen strings', () => {
  it('ships English, Spanish, Portuguese (Brazil), French, German, Simplified Chinese and Japanese', () => {
    expect(screenLanguages).to.have.members(['en', 'es', 'pt-BR', 'fr', 'de', 'zh-CN', 'ja']);
  });

  it('has the same languages for screens as for the built-in SMS texts', () => {
    expect([...screenLanguages].sort()).to.deep.equal([...BUILTIN_LANGUAGES].sort());
  });

  const names = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
  for (const lang of screenLanguages.filter((l) => l !== 'en')) {
    it(`${lang} translates every key, with the same placeholders`, () => {
      const en = Object.keys(catalog('en')!).filter((k) => !k.startsWith('admin.'));
      const own = catalog(lang)!;
      expect(en.filter((k) => !(k in own)), `${lang} lacks`).to.deep.equal([]);
      expect(Object.keys(own).filter((k) => !(k in catalog('en')!)), `${lang} has keys English lacks`).to.deep.equal([]);
      for (const k of en) expect(names(own[k]!), `${lang} ${k}`).to.deep.equal(names(catalog('en')![k]!));
      expect(own['lang.name']).not.to.equal(catalog('en')!['lang.name']);
    });
  }

  it('prefers ui_locales, then accept-language by q-value, then the default, then English', () => {
    expect(negotiateScreenLanguage('fr', 'de', 'en')).to.equal('fr');
    expect(negotiateScreenLanguage('xx pt', 'de', 'en')).to.equal('pt-BR');
    expect(negotiateScreenLanguage(undefined, 'ko;q=0.9, de;q=0.8, es;q=0.95', 'en')).to.equal('es');
    expect(negotiateScreenLanguage(undefined, 'zh-Hans-CN', 'en')).to.equal('zh-CN');
    expect(negotiateScreenLanguage(undefined, 'ja-JP', 'de')).to.equal('ja');
    expect(negotiateScreenLanguage(undefined, 'ko', 'de')).to.equal('de');
    expect(negotiateScreenLanguage(undefined, undefined, 'xx')).to.equal('en');
  });

  it("suggests the screen language's region for examples when no default country is set", () => {
    const regions = Object.fromEntries(screenLanguages.map((l) => [l, languageRegion(l)]));
    expect(regions).to.deep.equal({ en: 'US', es: 'ES', 'pt-BR': 'BR', fr: 'FR', de: 'DE', 'zh-CN': 'CN', ja: 'JP' });
    expect(languageRegion('en-GB')).to.equal('GB');
    expect(languageRegion('not a tag')).to.equal('US');
  });
});
