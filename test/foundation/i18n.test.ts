// Every screen language has every string English has (the demo page and the English-only admin console excepted), and negotiation works.
import { expect } from 'chai';
import { catalog, negotiateScreenLanguage, screenLanguages } from '../../src/i18n/index.ts';

describe('screen strings', () => {
  it('ships English, Spanish, Portuguese (Brazil), French, German and Simplified Chinese', () => {
    expect(screenLanguages).to.include.members(['en', 'es', 'pt-BR', 'fr', 'de', 'zh-CN']);
  });

  for (const lang of ['es', 'pt-BR', 'fr', 'de', 'zh-CN']) {
    it(`${lang} translates every key`, () => {
      const en = Object.keys(catalog('en')!).filter((k) => !k.startsWith('demo.') && !k.startsWith('admin.'));
      const own = catalog(lang)!;
      expect(en.filter((k) => !(k in own))).to.deep.equal([]);
      // Placeholders survive translation.
      for (const k of en) {
        const names = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
        expect(names(own[k]!), `${lang} ${k}`).to.deep.equal(names(catalog('en')![k]!));
      }
    });
  }

  it('prefers ui_locales, then accept-language by q-value, then the default, then English', () => {
    expect(negotiateScreenLanguage('fr', 'de', 'en')).to.equal('fr');
    expect(negotiateScreenLanguage('xx pt', 'de', 'en')).to.equal('pt-BR');
    expect(negotiateScreenLanguage(undefined, 'ja;q=0.9, de;q=0.8, es;q=0.95', 'en')).to.equal('es');
    expect(negotiateScreenLanguage(undefined, 'zh-Hans-CN', 'en')).to.equal('zh-CN');
    expect(negotiateScreenLanguage(undefined, 'ja', 'de')).to.equal('de');
    expect(negotiateScreenLanguage(undefined, undefined, 'xx')).to.equal('en');
  });
});
