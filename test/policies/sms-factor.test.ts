// The SMS factor's settings as data: defaults, bounds, when SMS is available, code settings, and what one user may do.
import { expect } from 'chai';
import {
  defaultSmsFactorSettings,
  mfaCodeSettings,
  resetCodeSettings,
  smsAvailability,
  smsFactorSettingsSchema,
  userSmsOptions,
} from '../../src/policies/index.ts';
import { policyInputSchema } from '../../src/policies/schema.ts';

describe('policies: SMS factor settings', () => {
  it('defaults to inactive, the built-in phone_number field, and the code engine defaults', () => {
    expect(defaultSmsFactorSettings()).to.deep.equal({
      active: false,
      accountId: null,
      phoneField: { source: 'phone_number' },
      defaultCountry: null,
      mfaCode: { length: 6, maxAttempts: 5, lifetimeSeconds: 300 },
      resetCode: { length: 6, maxAttempts: 5 },
    });
  });

  describe('bounds', () => {
    const cases: [string, Record<string, unknown>, boolean][] = [
      ['active without an account', { active: true }, false],
      ['active with an account', { active: true, accountId: 'acc-1' }, true],
      ['blank account id from a form', { accountId: '  ' }, true],
      ['defaultCountry fr', { defaultCountry: 'fr' }, true],
      ['defaultCountry XX', { defaultCountry: 'XX' }, false],
      ['defaultCountry blank', { defaultCountry: '' }, true],
      ['mfaCode.length 3', { mfaCode: { length: 3 } }, false],
      ['mfaCode.length 4 with 1 attempt', { mfaCode: { length: 4, maxAttempts: 1 } }, true],
      ['mfaCode.length 4 with 5 attempts (1 in 2000: below the guessing floor)', { mfaCode: { length: 4 } }, false],
      ['resetCode.length 5 with 11 attempts (below the floor)', { resetCode: { length: 5, maxAttempts: 11 } }, false],
      ['mfaCode.length 10', { mfaCode: { length: 10 } }, true],
      ['mfaCode.length 11', { mfaCode: { length: 11 } }, false],
      ['mfaCode.maxAttempts 0', { mfaCode: { maxAttempts: 0 } }, false],
      ['mfaCode.maxAttempts 1', { mfaCode: { maxAttempts: 1 } }, true],
      ['mfaCode.maxAttempts 100', { mfaCode: { maxAttempts: 100 } }, true],
      ['mfaCode.maxAttempts 101', { mfaCode: { maxAttempts: 101 } }, false],
      ['mfaCode.lifetimeSeconds 59', { mfaCode: { lifetimeSeconds: 59 } }, false],
      ['mfaCode.lifetimeSeconds 60', { mfaCode: { lifetimeSeconds: 60 } }, true],
      ['mfaCode.lifetimeSeconds 3600', { mfaCode: { lifetimeSeconds: 3600 } }, true],
      ['mfaCode.lifetimeSeconds 3601', { mfaCode: { lifetimeSeconds: 3601 } }, false],
      ['resetCode.length 3', { resetCode: { length: 3 } }, false],
      ['resetCode.length 10', { resetCode: { length: 10 } }, true],
      ['resetCode.maxAttempts 101', { resetCode: { maxAttempts: 101 } }, false],
      ['resetCode.lifetimeSeconds (belongs to the policy)', { resetCode: { lifetimeSeconds: 600 } }, false],
      ['unknown key', { voice: true }, false],
    ];
    for (const [label, input, ok] of cases) {
      it(`${ok ? 'accepts' : 'refuses'} ${label}`, () => {
        expect(smsFactorSettingsSchema.safeParse(input).success).to.equal(ok);
      });
    }

    it('normalises form input', () => {
      const s = smsFactorSettingsSchema.parse({ accountId: '', defaultCountry: ' fr ' });
      expect(s.accountId).to.equal(null);
      expect(s.defaultCountry).to.equal('FR');
    });
  });

  it('is available only when active on a verified account, with the reason otherwise', () => {
    const on = { active: true, accountId: 'acc-1' };
    expect(smsAvailability(on, 'verified')).to.deep.equal({ available: true });
    expect(smsAvailability(on, 'unverified')).to.deep.equal({ available: false, reason: 'sms_account_unverified' });
    expect(smsAvailability(on, 'missing')).to.deep.equal({ available: false, reason: 'sms_account_missing' });
    expect(smsAvailability({ active: false, accountId: 'acc-1' }, 'verified')).to.deep.equal({ available: false, reason: 'sms_factor_inactive' });
    expect(smsAvailability({ active: true, accountId: null }, 'verified')).to.deep.equal({ available: false, reason: 'sms_account_missing' });
  });

  it('builds code settings: MFA from the factor, reset lifetime from the policy', () => {
    const s = smsFactorSettingsSchema.parse({ mfaCode: { length: 8, lifetimeSeconds: 120 }, resetCode: { maxAttempts: 3 } });
    expect(mfaCodeSettings(s)).to.deep.equal({ length: 8, maxAttempts: 5, lifetimeSeconds: 120 });
    expect(resetCodeSettings(s, { resetCodeLifetimeSeconds: 900 })).to.deep.equal({ length: 6, maxAttempts: 3, lifetimeSeconds: 900 });
  });

  describe("one user's SMS options", () => {
    const full = policyInputSchema.parse({ name: 'full', mfa: { factors: ['sms'], required: 'always' }, passwordUpdate: { methods: ['sms'] } });
    const factorOnly = policyInputSchema.parse({ name: 'factor', mfa: { factors: ['sms'] } });
    const none = policyInputSchema.parse({ name: 'none' });
    const phone = '+61491570006';

    it('offers reset and MFA by SMS when the policy allows them, SMS is available and the user has a phone', () => {
      expect(userSmsOptions(full, true, phone)).to.deep.equal({ resetBySms: true, mfaBySms: true, mfaRequired: true, mfaBlocked: false });
      expect(userSmsOptions(factorOnly, true, phone)).to.deep.equal({ resetBySms: false, mfaBySms: true, mfaRequired: false, mfaBlocked: false });
      expect(userSmsOptions(none, true, phone)).to.deep.equal({ resetBySms: false, mfaBySms: false, mfaRequired: false, mfaBlocked: false });
    });

    it('hides every SMS option without a valid SMS account or without a phone', () => {
      expect(userSmsOptions(full, false, phone)).to.deep.equal({ resetBySms: false, mfaBySms: false, mfaRequired: true, mfaBlocked: true });
      expect(userSmsOptions(full, true, null)).to.deep.equal({ resetBySms: false, mfaBySms: false, mfaRequired: true, mfaBlocked: true });
    });

    it('never offers SMS reset when the factor is missing, even from data that skipped the rules', () => {
      const broken = { mfa: { factors: [] as 'sms'[], required: 'never' as const }, passwordUpdate: { methods: ['sms' as const], resetCodeLifetimeSeconds: 600 } };
      expect(userSmsOptions(broken, true, phone).resetBySms).to.equal(false);
    });
  });
});
