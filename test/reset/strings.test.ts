// Every string the reset screens use exists in all six languages, with the same placeholders as English.
import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { catalog, screenLanguages } from '../../src/i18n/index.ts';

const en = catalog('en')!;
const ours = Object.keys(en).filter((k) => k.startsWith('reset.') || k.startsWith('password.'));
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

/** Keys passed to t('…') with a literal in the reset views and routes. */
function usedKeys(): string[] {
  const files = [
    ...readdirSync('views').filter((f) => f.startsWith('reset-')).map((f) => `views/${f}`),
    ...readdirSync('src/flows/reset').filter((f) => f.endsWith('.ts')).map((f) => `src/flows/reset/${f}`),
  ];
  return files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\bt\('([a-z_.]+)'/g)].map((m) => m[1]!));
}

describe('password reset strings', () => {
  it('are in all six languages', () => {
    expect(screenLanguages).to.include.members(['en', 'es', 'pt-BR', 'fr', 'de', 'zh-CN']);
    expect(ours.length).to.be.greaterThan(30);
    for (const lang of screenLanguages) {
      const strings = catalog(lang)!;
      for (const key of ours) {
        expect(strings[key], `${lang}: ${key}`).to.be.a('string').and.not.equal('');
        expect(placeholders(strings[key]!), `${lang}: ${key}`).to.deep.equal(placeholders(en[key]!));
      }
    }
  });

  it('exist for every key the screens ask for, and for every password problem', () => {
    const used = usedKeys();
    expect(used).to.include('reset.method_sms_on_file');
    for (const key of used) expect(en[key], key).to.be.a('string');
    for (const code of ['password_too_short', 'password_too_long', 'password_too_common', 'password_like_username', 'password_like_email', 'password_missing', 'password_mismatch']) {
      expect(en[`password.${code.replace(/^password_/, '')}`], code).to.be.a('string');
    }
  });
});
