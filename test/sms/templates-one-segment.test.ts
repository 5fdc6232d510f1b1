// Built-in code texts cost one segment in every language at their largest sizes; "GSM-7 friendly" rendering; previews say the real lifetime.
import { expect } from 'chai';
import { createLogger } from '../../src/logger.ts';
import { BUILTIN_LANGUAGES } from '../../src/sms/templates/defaults.ts';
import { toGsm7Friendly } from '../../src/sms/templates/gsm7.ts';
import { createRenderer } from '../../src/sms/templates/render.ts';
import type { TemplatesRepo } from '../../src/sms/templates/repo.ts';
import { createTemplatesService } from '../../src/sms/templates/service.ts';
import { CODE_PURPOSES, type Purpose } from '../../src/sms/types.ts';
import { createHarness } from './harness.ts';

/** An issuer whose host has 20 ASCII characters, the largest the one-segment promise covers. */
const ISSUER = 'https://login.example-co.com/';
const APP = 'Twenty Chars App Nam';

function service(opts: { gsm7Friendly?: boolean } = {}) {
  const repo = { candidates: async () => [] } as unknown as TemplatesRepo;
  return createTemplatesService({
    repo,
    renderer: createRenderer(),
    logger: createLogger('silent'),
    assertAccount: async () => ({ homeCountry: null }),
    issuer: ISSUER,
    defaultLanguage: 'en',
    applicationName: 'Codeword',
    supportContact: '',
    autofill: true,
    ...opts,
  });
}

const concepts: Record<string, { expiry: RegExp; share: RegExp }> = {
  en: { expiry: /expires in 60 minutes/, share: /Do not share/ },
  es: { expiry: /Caduca en 60 minutos/, share: /No lo compartas/ },
  'pt-BR': { expiry: /Vale por 60 minutos/, share: /Nunca o compartilhe/ },
  fr: { expiry: /expire dans 60 minutes/, share: /Ne le partagez pas/ },
  de: { expiry: /Gültig für 60 Minuten/, share: /nicht weiter/i },
  'zh-CN': { expiry: /60分钟有效/, share: /勿泄露/ },
  ja: { expiry: /60分有効/, share: /共有禁止/ },
};

describe('built-in code texts cost one segment', () => {
  it('the test sizes are the promised ones: a 20-character app name and a 20-character issuer host', () => {
    expect(APP).to.have.length(20);
    expect(new URL(ISSUER).hostname).to.have.length(20);
  });

  const templates = service();
  for (const language of BUILTIN_LANGUAGES) {
    for (const purpose of [...CODE_PURPOSES] as Purpose[]) {
      it(`${language} ${purpose}: one segment with a 6-digit code, 60 minutes and the autofill line, and it says code, app, expiry, do not share`, async () => {
        const m = await templates.compose({
          purpose,
          to: '+61491570156',
          accountId: '',
          hints: { requestLanguage: language },
          values: { code: '987654', applicationName: APP, expiresInMinutes: 60 },
        });
        expect(m.language).to.equal(language);
        expect(m.gsm7Friendly).to.equal(false);
        expect(m.segments, `${m.encoding} ${m.units} units: ${m.text}`).to.equal(1);
        const [body, autofill] = m.text.split('\n');
        expect(autofill).to.equal('@login.example-co.com #987654');
        expect(body).to.include('987654').and.to.include(APP);
        expect(body).to.match(concepts[language]!.expiry);
        expect(body).to.match(concepts[language]!.share);
      });
    }
  }

  it('every shipped language is checked', () => {
    expect(BUILTIN_LANGUAGES).to.have.members(Object.keys(concepts));
  });
});

describe('GSM-7 friendly rendering', () => {
  it('replaces typographic punctuation and accents outside GSM-7, keeps GSM-7 letters and text with no equivalent', () => {
    expect(toGsm7Friendly('“Olá” – código… São Paulo’s façade')).to.equal('"Ola" - codigo... Sao Paulo\'s faÇade');
    expect(toGsm7Friendly('é è à ù ì ò ñ ü ß Ç')).to.equal('é è à ù ì ò ñ ü ß Ç');
    expect(toGsm7Friendly('123456是验证码')).to.equal('123456是验证码');
  });

  it('turns a UCS-2 override into one GSM-7 segment when switched on, and the preview shows both renderings', async () => {
    const body = 'Tu código de acceso a {{ application.name }} es {{ code }}. Válido {{ expires_in_minutes }} minutos — no lo compartas.';
    const off = await service().preview({ purpose: 'login', language: 'es', body });
    expect(off.encoding).to.equal('UCS-2');
    expect(off.segments).to.equal(2);
    expect(off.gsm7Friendly).to.equal(false);
    expect(off.alternative).to.include({ gsm7Friendly: true, encoding: 'GSM-7', segments: 1 });
    expect(off.alternative.text).to.match(/^Tu codigo de acceso a Codeword es 123456\. Valido 10 minutos - no lo compartas\./);

    const on = await service().preview({ purpose: 'login', language: 'es', body, gsm7Friendly: true });
    expect(on).to.include({ gsm7Friendly: true, encoding: 'GSM-7', segments: 1 });

    const sent = await service({ gsm7Friendly: true }).compose({ purpose: 'login', to: '+61491570156', accountId: '', hints: { requestLanguage: 'es' }, values: { code: '111222' } });
    expect(sent.gsm7Friendly).to.equal(true);
    expect(sent.encoding).to.equal('GSM-7');
  });
});

describe('template preview lifetime', () => {
  it("says the purpose's real code lifetime, not a fixed 10 minutes", async () => {
    const h = await createHarness({ options: { codeLifetimeMinutes: async (p) => (p === 'login' ? 5 : p === 'mfa' ? 3 : undefined) } });
    try {
      expect((await h.sms.templates.preview({ purpose: 'login', language: 'en' })).text).to.include('expires in 5 minutes');
      expect((await h.sms.templates.preview({ purpose: 'mfa', language: 'en' })).text).to.include('expires in 3 minutes');
      expect((await h.sms.templates.preview({ purpose: 'signup', language: 'en' })).text).to.include('expires in 10 minutes');
    } finally {
      await h.close();
    }
  });
});
