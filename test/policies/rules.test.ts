// The policy's pure rules and bounds, in isolation: reset by SMS needs the SMS factor (both ways), every setting's limits.
import { expect } from 'chai';
import { policyPatchInput } from '../../src/admin/services/schemas/policies.ts';
import {
  checkPolicy,
  checkPolicyRules,
  checkSmsResetNeedsSmsFactor,
  defaultPolicyContent,
  mergePolicyPatch,
  type PolicyContent,
  policyDefaults,
} from '../../src/policies/index.ts';
import { policyInputSchema } from '../../src/policies/schema.ts';

const content = (input: unknown): PolicyContent => policyInputSchema.parse(input);
/** The rules broken by a submitted policy (parsed as the edge parses it). */
const broken = (input: unknown, previous?: PolicyContent) => checkPolicyRules(content(input), previous);
const withSms = (): PolicyContent => checkPolicy(content({ name: 'SMS', mfa: { factors: ['sms'] }, passwordUpdate: { methods: ['sms'] } }));

describe('policies: rules', () => {
  describe('reset by SMS needs the SMS factor', () => {
    it('accepts SMS reset with the SMS factor, and the SMS factor without SMS reset', () => {
      expect(checkPolicyRules(withSms())).to.deep.equal([]);
      expect(broken({ name: 'a', mfa: { factors: ['sms'] } })).to.deep.equal([]);
      expect(broken({ name: 'b' })).to.deep.equal([]);
    });

    it('refuses enabling SMS reset on a policy without the SMS factor, with a clear message', () => {
      const errors = broken({ name: 'x', passwordUpdate: { methods: ['sms'] } });
      expect(errors).to.have.length(1);
      expect(errors[0]).to.include({ code: 'policy_sms_reset_needs_sms_factor', field: 'passwordUpdate.methods' });
      expect(errors[0]!.message).to.match(/needs the SMS factor/);
    });

    it('refuses removing the SMS factor from a policy whose reset still uses it', () => {
      const stored = withSms();
      const next = mergePolicyPatch(stored, { mfa: { factors: [] } });
      const errors = checkPolicyRules(next, stored);
      expect(errors[0]).to.include({ code: 'policy_sms_factor_used_by_reset', field: 'mfa.factors' });
      expect(errors[0]!.message).to.match(/cannot be removed/);
    });

    it('allows removing the factor and the reset method together, or the reset method alone', () => {
      const stored = withSms();
      expect(checkPolicyRules(mergePolicyPatch(stored, { mfa: { factors: [] }, passwordUpdate: { methods: [] } }), stored)).to.deep.equal([]);
      expect(checkPolicyRules(mergePolicyPatch(stored, { passwordUpdate: { methods: [] } }), stored)).to.deep.equal([]);
    });

    it('reports a plain "needs the factor" when the stored policy never had both', () => {
      const stored = defaultPolicyContent('d');
      const v = checkSmsResetNeedsSmsFactor({ mfa: { factors: [], required: 'never' }, passwordUpdate: { methods: ['sms'] } }, stored);
      expect(v?.code).to.equal('policy_sms_reset_needs_sms_factor');
    });

    it('throws a 422 AppError naming the rule from checkPolicy', () => {
      try {
        checkPolicy(content({ name: 'x', passwordUpdate: { methods: ['sms'] } }));
        expect.fail('should throw');
      } catch (err) {
        expect(err).to.include({ code: 'policy_sms_reset_needs_sms_factor', status: 422, expose: true });
        expect((err as { params: Record<string, unknown> }).params).to.deep.equal({ field: 'passwordUpdate.methods' });
      }
    });
  });

  it('refuses requiring MFA with no factor enabled', () => {
    expect(broken({ name: 'x', mfa: { required: 'always' } })[0]?.code).to.equal('policy_mfa_required_without_factor');
    expect(broken({ name: 'x', mfa: { required: 'always', factors: ['sms'] } })).to.deep.equal([]);
  });

  describe('defaults', () => {
    it('fills every section from the documented defaults', () => {
      const p = defaultPolicyContent('Default');
      expect(p).to.deep.equal({
        name: 'Default',
        mfa: { factors: [], required: 'never', afterSms: 'password', enrolPhone: false },
        password: { minLength: 8, maxLength: 128, blocklist: true, maxAgeDays: null, reminderDays: 7 },
        passwordUpdate: { methods: [], resetCodeLifetimeSeconds: 600, smsForAdmins: false },
      });
      expect(p.password.minLength).to.equal(policyDefaults.passwordLength.minDefault);
      expect(p.passwordUpdate.resetCodeLifetimeSeconds).to.equal(policyDefaults.resetCode.lifetimeSecondsDefault);
    });
  });

  describe('bounds of every setting', () => {
    const cases: [string, Record<string, unknown>, boolean][] = [
      ['name empty', { name: '  ' }, false],
      ['name 100 characters', { name: 'n'.repeat(100) }, true],
      ['name 101 characters', { name: 'n'.repeat(101) }, false],
      ['name trimmed', { name: '  Staff  ' }, true],
      ['unknown top-level key', { extra: 1 }, false],
      ['mfa.factors unknown', { mfa: { factors: ['email'] } }, false],
      ['mfa.factors repeated', { mfa: { factors: ['sms', 'sms'] } }, false],
      ['mfa.required sometimes', { mfa: { required: 'sometimes' } }, false],
      ['mfa unknown key', { mfa: { factors: [], otp: true } }, false],
      ['password.minLength 7', { password: { minLength: 7 } }, false],
      ['password.minLength 8', { password: { minLength: 8 } }, true],
      ['password.minLength 128', { password: { minLength: 128 } }, true],
      ['password.minLength 129', { password: { minLength: 129 } }, false],
      ['password.minLength 8.5', { password: { minLength: 8.5 } }, false],
      ['password.minLength "12"', { password: { minLength: '12' } }, false],
      ['password.maxLength 127', { password: { maxLength: 127 } }, false],
      ['password.maxLength 128', { password: { maxLength: 128 } }, true],
      ['password.maxLength 1024', { password: { maxLength: 1024 } }, true],
      ['password.maxLength 1025', { password: { maxLength: 1025 } }, false],
      ['password.blocklist false', { password: { blocklist: false } }, true],
      ['password.blocklist "yes"', { password: { blocklist: 'yes' } }, false],
      ['password.maxAgeDays 0', { password: { maxAgeDays: 0 } }, false],
      ['password.maxAgeDays 8 (reminder 7)', { password: { maxAgeDays: 8 } }, true],
      ['password.maxAgeDays 7 (reminder 7)', { password: { maxAgeDays: 7 } }, false],
      ['password.maxAgeDays 1 without reminder', { password: { maxAgeDays: 1, reminderDays: null } }, true],
      ['password.maxAgeDays 3650', { password: { maxAgeDays: 3650 } }, true],
      ['password.maxAgeDays 3651', { password: { maxAgeDays: 3651 } }, false],
      ['password.maxAgeDays null', { password: { maxAgeDays: null } }, true],
      ['password.reminderDays 0', { password: { reminderDays: 0 } }, false],
      ['password.reminderDays 1', { password: { maxAgeDays: 90, reminderDays: 1 } }, true],
      ['password.reminderDays 90', { password: { maxAgeDays: 365, reminderDays: 90 } }, true],
      ['password.reminderDays 91', { password: { maxAgeDays: 365, reminderDays: 91 } }, false],
      ['password.reminderDays equal to maxAgeDays', { password: { maxAgeDays: 30, reminderDays: 30 } }, false],
      ['password composition rule key', { password: { requireDigit: true } }, false],
      ['passwordUpdate.methods unknown', { passwordUpdate: { methods: ['email'] } }, false],
      ['passwordUpdate.resetCodeLifetimeSeconds 59', { passwordUpdate: { resetCodeLifetimeSeconds: 59 } }, false],
      ['passwordUpdate.resetCodeLifetimeSeconds 60', { passwordUpdate: { resetCodeLifetimeSeconds: 60 } }, true],
      ['passwordUpdate.resetCodeLifetimeSeconds 86400', { passwordUpdate: { resetCodeLifetimeSeconds: 86_400 } }, true],
      ['passwordUpdate.resetCodeLifetimeSeconds 86401', { passwordUpdate: { resetCodeLifetimeSeconds: 86_401 } }, false],
    ];
    for (const [label, input, ok] of cases) {
      it(`${ok ? 'accepts' : 'refuses'} ${label}`, () => {
        const result = policyInputSchema.safeParse({ name: 'p', ...input });
        expect(result.success, JSON.stringify(result.error?.issues)).to.equal(ok);
      });
    }

    it('names the field in the error', () => {
      const result = policyInputSchema.safeParse({ name: 'p', password: { minLength: 4 } });
      expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).to.deep.equal([['password.minLength', 'must be at least 8']]);
    });
  });
});

describe('policies: patches', () => {
  const stored = defaultPolicyContent('p');

  it('refuses unknown keys and non-object sections at the edge', () => {
    expect(policyPatchInput.safeParse({ colour: 'red' }).success).to.equal(false);
    expect(policyPatchInput.safeParse({ password: 'long' }).success).to.equal(false);
    expect(policyPatchInput.safeParse('nothing').success).to.equal(false);
  });

  it('keeps what the patch leaves out', () => {
    expect(mergePolicyPatch(stored, { password: { minLength: 10 } }).password).to.deep.include({ minLength: 10, maxLength: 128, blocklist: true });
  });

  it('refuses a patch whose fields contradict the stored ones, naming the field', () => {
    const rotating = content({ name: 'r', password: { maxAgeDays: 30, reminderDays: 7 } });
    const errors = checkPolicyRules(mergePolicyPatch(rotating, { password: { reminderDays: 40 } }), rotating);
    expect(errors.map((e) => [e.code, e.field])).to.deep.equal([['policy_invalid', 'password.reminderDays']]);
    expect(checkPolicyRules(mergePolicyPatch(rotating, { password: { reminderDays: 20 } }), rotating)).to.deep.equal([]);
  });
});
