// Admins cannot set codes that are too easy to guess: attempts ÷ 10^length must stay at or below 1 in 10 000.
import { expect } from 'chai';
import { guessingProblem, maxAttemptsFor } from '../../src/codes/index.ts';
import { createSmsFactorRepo } from '../../src/db/policies.ts';
import { createSmsConnectionStore } from '../../src/settings/sms-connection.ts';
import { type CodesFixture, codesFixture } from './fixture.ts';

describe('one-time codes: guessing-resistance floor', () => {
  let fx: CodesFixture;

  before(async () => {
    fx = await codesFixture();
  });
  after(() => fx.close());

  it('allows at most 1, 10, 100 attempts for 4, 5, 6 digits', () => {
    expect([4, 5, 6, 8].map(maxAttemptsFor)).to.deep.equal([1, 10, 100, 10_000]);
    expect(guessingProblem(6, 100)).to.equal(undefined);
    expect(guessingProblem(4, 1)).to.equal(undefined);
    expect(guessingProblem(6, 101)).to.be.a('string');
  });

  it('refuses 4-digit codes with 100 attempts on the SMS connection, saying why and what is allowed', async () => {
    const connection = createSmsConnectionStore(fx.db);
    const err = await connection.update({ codeLength: 4, maxAttempts: 20 }).catch((e: unknown) => e);
    expect(err).to.include({ code: 'validation_failed', status: 422 });
    expect((err as Error).message).to.equal(
      'maxAttempts: 20 attempts on a 4-digit code give a 1 in 500 chance of guessing it; at most 1 in 10000 is allowed: allow at most 1 attempts for 4 digits, or use longer codes',
    );
    expect(await connection.update({ codeLength: 4, maxAttempts: 1 })).to.include({ codeLength: 4, maxAttempts: 1 });
  });

  it('refuses the same on the SMS factor, for MFA and for reset codes', async () => {
    const factor = createSmsFactorRepo(fx.db, { isAccountVerified: async () => true });
    for (const patch of [{ mfaCode: { length: 4, maxAttempts: 100 } }, { resetCode: { length: 5, maxAttempts: 11 } }]) {
      const err = await factor.save(patch).catch((e: unknown) => e);
      expect(err, JSON.stringify(patch)).to.include({ code: 'sms_factor_invalid', status: 422 });
      expect((err as Error).message).to.match(/^(mfaCode|resetCode)\.maxAttempts: \d+ attempts on a \d-digit code .* at most 1 in 10000 is allowed/);
    }
    expect((await factor.save({ mfaCode: { length: 4, maxAttempts: 1 } })).mfaCode).to.include({ length: 4, maxAttempts: 1 });
  });
});
