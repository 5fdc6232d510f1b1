// Which language an SMS is written in: request header, accept-language q-values, user locale, then the fallbacks.
import { expect } from 'chai';
import { chooseLanguage, type LanguageHints } from '../../src/sms/templates/language.ts';
import { AU_MOBILE, createHarness, type Harness } from './harness.ts';

const BUILTIN = ['en', 'es', 'pt-BR', 'fr', 'de', 'zh-CN', 'ja'];

describe('SMS language selection', () => {
  const table: { hints: LanguageHints; available?: string[]; def?: string; expected: string; source: string; why: string }[] = [
    { hints: { requestLanguage: 'fr', acceptLanguage: 'de', userLocale: 'es' }, expected: 'fr', source: 'request', why: 'x-request-language wins over everything' },
    { hints: { acceptLanguage: 'de', userLocale: 'es' }, expected: 'de', source: 'accept', why: 'accept-language comes before the user locale' },
    { hints: { acceptLanguage: 'fr;q=0.4, ja;q=0.9, de;q=0.1' }, expected: 'ja', source: 'accept', why: 'q-values order the list, not header position' },
    { hints: { acceptLanguage: 'ko, es;q=0.5' }, expected: 'es', source: 'accept', why: 'unavailable languages are skipped in preference order' },
    { hints: { acceptLanguage: '*, de;q=0.1' }, expected: 'de', source: 'accept', why: 'the wildcard does not pick anything by itself' },
    { hints: { userLocale: 'es' }, expected: 'es', source: 'user', why: 'the stored locale when the request says nothing' },
    { hints: { requestLanguage: 'ko', acceptLanguage: 'ja' }, expected: 'ja', source: 'accept', why: 'an unmatched request language falls through to accept-language' },
    { hints: { requestLanguage: 'pt-PT' }, expected: 'pt-BR', source: 'request', why: 'base language: pt-PT → pt → our pt-BR' },
    { hints: { requestLanguage: 'pt-BR' }, available: ['en', 'pt'], expected: 'pt', source: 'request', why: 'exact tag missing: pt-BR → pt' },
    { hints: { requestLanguage: 'pt-BR' }, available: ['en', 'pt', 'pt-BR'], expected: 'pt-BR', source: 'request', why: 'exact tag before base language' },
    { hints: { requestLanguage: 'zh-cn' }, expected: 'zh-CN', source: 'request', why: 'tags compare case-insensitively' },
    { hints: { acceptLanguage: 'en-GB' }, expected: 'en', source: 'accept', why: 'regional English → en' },
    { hints: {}, def: 'de', expected: 'de', source: 'default', why: 'nothing requested: the configured default' },
    { hints: { acceptLanguage: 'ko' }, def: 'fr', expected: 'fr', source: 'default', why: 'nothing matches: the configured default' },
    { hints: { acceptLanguage: 'ko' }, def: 'ko', expected: 'en', source: 'fallback', why: 'default not available either: built-in English' },
    { hints: { requestLanguage: 'not a tag!', userLocale: 'ja' }, expected: 'ja', source: 'user', why: 'malformed tags are ignored' },
  ];

  for (const row of table) {
    it(`${JSON.stringify(row.hints)} → ${row.expected} (${row.why})`, () => {
      const choice = chooseLanguage(row.hints, row.available ?? BUILTIN, row.def ?? 'en');
      expect(choice).to.deep.equal({ language: row.expected, source: row.source });
    });
  }

  describe('with stored templates', () => {
    let h: Harness;
    before(async () => {
      h = await createHarness({ config: { defaultLocale: 'de' } });
    });
    after(async () => h.close());

    it('records the chosen language on the message and writes in it', async () => {
      const sent = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '482913', hints: { acceptLanguage: 'ja;q=0.8, fr;q=0.9' } });
      expect(sent.language).to.equal('fr');
      expect((await h.sms.sender.status(sent.id)).language).to.equal('fr');
      await h.sms.worker.runOnce();
      const [inbox] = await h.sms.devInbox!.list({ to: AU_MOBILE });
      expect(inbox!.text).to.match(/^482913 est votre code de connexion Codeword\./);
    });

    it("uses the user's stored locale, then the configured default", async () => {
      const byUser = await h.sms.sender.enqueue({ purpose: 'mfa', to: AU_MOBILE, code: '112233', user: { locale: 'es' } });
      expect(byUser.language).to.equal('es');
      const byDefault = await h.sms.sender.enqueue({ purpose: 'mfa', to: AU_MOBILE, code: '112233' });
      expect(byDefault).to.include({ language: 'de', languageSource: 'default' });
    });

    it('an admin override in a new language (pt) serves pt-PT requests; others fall back to the built-ins', async () => {
      await h.sms.templates.save({ purpose: 'login', language: 'pt', body: 'Código {{ application.name }}: {{ code }}' });
      const pt = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '445566', hints: { requestLanguage: 'pt-PT' } });
      expect(pt.language).to.equal('pt');
      // pt-BR asked exactly: the built-in pt-BR text exists, so it is preferred to the base-language override.
      const br = await h.sms.sender.enqueue({ purpose: 'login', to: AU_MOBILE, code: '445566', hints: { requestLanguage: 'pt-BR' } });
      expect(br.language).to.equal('pt-BR');
      // The override exists for login only: a reset code in pt-PT uses the built-in pt-BR text (base language pt).
      const reset = await h.sms.sender.enqueue({ purpose: 'reset_password', to: AU_MOBILE, code: '445566', hints: { requestLanguage: 'pt-PT' } });
      expect(reset.language).to.equal('pt-BR');
      await h.sms.worker.runOnce();
      const texts = (await h.sms.devInbox!.list({ to: AU_MOBILE })).map((m) => m.text);
      expect(texts).to.include('Código Codeword: 445566\n@id.example.com #445566');
    });
  });
});
