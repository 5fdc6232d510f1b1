// Password checks under a policy: length in code points, the shipped blocklist and its variants, the user's own identifiers.
import { expect } from 'chai';
import { blocklistSize, checkPassword, isCommonPassword, type PasswordSection, passwordSectionSchema } from '../../src/policies/index.ts';

const section = (over: Partial<PasswordSection> = {}): PasswordSection => passwordSectionSchema.parse(over);
const codes = (password: string, s = section(), owner = {}) => checkPassword(password, s, owner).map((p) => p.code);
const owner = { username: 'alice.smith', email: 'Alice.Smith+work@example.com' };

describe('policies: password checks', () => {
  it('ships a blocklist of at least 10,000 common passwords', () => {
    expect(blocklistSize()).to.be.at.least(10_000);
  });

  describe('length', () => {
    it('reports too short and too long with the limits as params', () => {
      expect(checkPassword('k3#vQ9z', section())).to.deep.equal([{ code: 'password_too_short', params: { min: 8 } }]);
      expect(codes('k3#vQ9zL')).to.deep.equal([]);
      expect(checkPassword('x'.repeat(129), section())).to.deep.equal([{ code: 'password_too_long', params: { max: 128 } }]);
      expect(codes('x'.repeat(20), section({ minLength: 21 }))).to.deep.equal(['password_too_short']);
    });

    it('counts Unicode code points, not UTF-16 units', () => {
      expect(codes('🔑🔑🔑🔑🔑🔑🔑', section())).to.deep.equal(['password_too_short']); // 7 emoji = 14 UTF-16 units
      expect(codes('kœurvölê', section())).to.deep.equal([]);
    });

    it('has no composition rules: a long lowercase passphrase passes', () => {
      expect(codes('correct horse battery staple')).to.deep.equal([]);
      expect(codes('zqxjvbnwtrgplmhk')).to.deep.equal([]);
    });

    it('reports an empty password as too short', () => {
      expect(codes('')).to.deep.equal(['password_too_short']);
    });
  });

  describe('common passwords', () => {
    for (const password of ['password', '12345678', 'qwertyuiop', 'iloveyou', 'sunshine', 'baseball', 'trustno1', 'Password', 'PASSWORD1', 'Password2024!', 'P@ssw0rd', 'p@55w0rd', 'passw0rd1', '!!Sunshine', '1qaz2wsx', '@dmin123']) {
      it(`refuses ${JSON.stringify(password)}`, () => {
        expect(codes(password)).to.include('password_too_common');
      });
    }

    for (const password of ['correct horse battery staple', 'zqxjvbnwtrgplmhk', '29384756love', 'password83749283749283749', 'Tr0ub4dor&3xyz!']) {
      it(`accepts ${JSON.stringify(password)}`, () => {
        expect(codes(password)).to.deep.equal([]);
      });
    }

    it('can be switched off by the policy', () => {
      expect(codes('password', section({ blocklist: false }))).to.deep.equal([]);
      expect(codes('alice.smith', section({ blocklist: false }), owner)).to.deep.equal([]);
    });

    it('is exposed for other callers', () => {
      expect(isCommonPassword('letmein1')).to.equal(true);
      expect(isCommonPassword('a quiet lighthouse at dusk')).to.equal(false);
    });
  });

  describe("the user's own username and email", () => {
    const cases: [string, string][] = [
      ['alice.smith', 'password_like_username'],
      ['ALICE.SMITH', 'password_like_username'],
      ['alicesmith', 'password_like_username'],
      ['Alice_Smith2024!', 'password_like_username'],
      ['@lice.sm1th', 'password_like_username'],
      ['htims.ecila', 'password_like_username'],
      ['alice.smith+work@example.com', 'password_like_email'],
      ['alice.smith+work', 'password_like_email'],
    ];
    for (const [password, code] of cases) {
      it(`refuses ${JSON.stringify(password)} (${code})`, () => {
        expect(codes(password, section(), owner)).to.include(code);
      });
    }

    it('matches the email local part even when the username differs', () => {
      expect(codes('zorba.quellen!!', section(), { username: 'zq', email: 'zorba.quellen@example.org' })).to.deep.equal(['password_like_email']);
      expect(codes('example.org', section(), { email: 'zorba.quellen@example.org' })).to.deep.equal([]);
    });

    it('accepts passwords that merely contain a name among other words', () => {
      expect(codes('alice likes long walks', section(), owner)).to.deep.equal([]);
    });

    it('ignores missing identifiers and very short ones', () => {
      expect(codes('a quiet lighthouse', section(), { username: null, email: null })).to.deep.equal([]);
      expect(codes('ab12345678', section(), { username: 'ab' })).to.deep.equal([]);
    });

    it('reports every problem at once', () => {
      expect(codes('password', section({ minLength: 10 }), { username: 'password' })).to.deep.equal([
        'password_too_short',
        'password_too_common',
        'password_like_username',
      ]);
    });
  });
});
