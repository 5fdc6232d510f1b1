// The console speaks every screen language: each admin text in each catalog, with the same {{placeholders}} as English.
import { readFileSync, readdirSync } from 'node:fs';
import { expect } from 'chai';

const dir = new URL('../../../src/i18n/locales/', import.meta.url);
const catalog = (lang: string): Record<string, string> => JSON.parse(readFileSync(new URL(`${lang}.json`, dir), 'utf8'));
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*[\w.]+\s*\}\}/g)].map((m) => m[0].replace(/\s/g, '')).sort();

describe('admin console translations', () => {
  const en = catalog('en');
  const keys = Object.keys(en).filter((k) => k.startsWith('admin.'));
  for (const lang of readdirSync(dir).map((f) => f.replace(/\.json$/, '')).filter((l) => l !== 'en')) {
    it(`${lang}: every console text, with the same placeholders`, () => {
      const own = catalog(lang);
      expect(keys.filter((k) => !own[k]), 'missing').to.deep.equal([]);
      expect(keys.filter((k) => placeholders(own[k]!).join() !== placeholders(en[k]!).join()), 'placeholders differ').to.deep.equal([]);
    });
  }
});
