// The error vocabulary: one closed list of codes, each with a status, and a sentence in every language the screens speak.
import { expect } from 'chai';
import { ERROR_CODES } from '../../src/errors/codes.ts';
import { AppError, errorCodes, errorKey, isErrorCode } from '../../src/errors.ts';
import { catalog, errorLanguages, screenLanguages, translator } from '../../src/i18n/index.ts';

const REQUIRED = ['en', 'es', 'pt-BR', 'fr', 'de', 'zh-CN', 'ja'];

describe('error vocabulary', () => {
  it('has a sentence for every code in every screen language (and Japanese)', () => {
    const languages = [...new Set([...REQUIRED, ...screenLanguages])];
    expect(errorLanguages).to.include.members(languages);
    const missing = languages.flatMap((lang) =>
      errorCodes.filter((code) => !(catalog(lang)?.[errorKey(code)] ?? '').trim()).map((code) => `${lang}: ${code}`),
    );
    expect(missing).to.deep.equal([]);
  });

  it('has no sentence for a code that is not in the list', () => {
    for (const lang of errorLanguages) {
      const stray = Object.keys(catalog(lang)!)
        .filter((k) => k.startsWith('errors.'))
        .map((k) => k.slice('errors.'.length))
        .filter((code) => !isErrorCode(code));
      expect(stray, lang).to.deep.equal([]);
    }
  });

  it('speaks sentences a person acts on, not codes, and not English in other languages', () => {
    const en = translator('en');
    for (const code of errorCodes) {
      const text = en(errorKey(code));
      expect(text, code).to.match(/^[A-Z].*[.)]$/);
      expect(text, code).not.to.include(code);
    }
    const userExists = translator('de')(errorKey('user_exists'));
    expect(userExists).to.not.equal(en(errorKey('user_exists')));
    expect(translator('ja')(errorKey('csrf'))).to.match(/フォーム/);
  });

  it('takes its status and visibility from the list', () => {
    expect(new AppError('user_not_found')).to.include({ status: 404, expose: true });
    expect(new AppError('client_not_found', 422).status).to.equal(422);
    expect(new AppError('code_request_invalid')).to.include({ status: 500, expose: false });
    expect(new AppError('server_error').expose).to.equal(false);
    // Every status a code may answer with is a 4xx or 5xx.
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      for (const s of [spec.status, ...('also' in spec ? spec.also : [])]) expect(s, code).to.be.within(400, 599);
    }
  });

  it('refuses, at type-check time, a code that is not listed or a status the code does not have', () => {
    // @ts-expect-error: a free-string code is not an error code
    const free = () => new AppError('something_went_wrong');
    // @ts-expect-error: user_not_found answers 404, never 500
    const wrongStatus = () => new AppError('user_not_found', 500);
    expect(free).to.be.a('function');
    expect(wrongStatus).to.be.a('function');
  });
});
