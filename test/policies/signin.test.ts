// The one sign-in decision as a pure function: every flow's proofs × policy × the app's and the RP's requirements.
import { expect } from 'chai';
import { DAY_MS } from '../../src/policies/expiry.ts';
import { ACR, decideSignIn, type Proof, proofsFromAmr, type SignInFacts } from '../../src/policies/signin.ts';

const NOW = Date.UTC(2026, 0, 15, 12);
const pwd = (at = NOW): Proof => ({ method: 'pwd', at, amr: ['pwd'] });
const smsLogin = (at = NOW): Proof => ({ method: 'sms', at, amr: ['sms', 'otp'] });
const smsSecond = (at = NOW): Proof => ({ method: 'sms', at, amr: ['sms'] });

function facts(over: { proofs: Proof[] } & Partial<Omit<SignInFacts, 'policy' | 'user' | 'app' | 'request'>> & {
  required?: 'never' | 'always';
  afterSms?: 'password' | 'refuse';
  maxAgeDays?: number | null;
  user?: Partial<SignInFacts['user']>;
  app?: Partial<SignInFacts['app']>;
  request?: Partial<SignInFacts['request']>;
}): SignInFacts {
  return {
    now: over.now ?? NOW,
    proofs: over.proofs,
    policy: { mfa: { required: over.required ?? 'never', afterSms: over.afterSms ?? 'password' }, password: { maxAgeDays: over.maxAgeDays ?? null } },
    user: { admin: false, hasPassword: true, passwordChangedAt: NOW - DAY_MS, smsSecondFactor: true, ...over.user },
    app: { defaultAcrValues: [], ...over.app },
    request: { acrValues: [], ...over.request },
    smsReset: over.smsReset ?? null,
  };
}

describe('the sign-in decision', () => {
  describe('password sign-in', () => {
    it('completes with the password acr when nothing more is needed', () => {
      expect(decideSignIn(facts({ proofs: [pwd()] }))).to.deep.equal({ outcome: 'complete', acr: ACR.password, amr: ['pwd'], authTime: NOW });
    });

    it('asks for the SMS second factor under "MFA always", and when the RP or the app asks for the MFA acr', () => {
      expect(decideSignIn(facts({ proofs: [pwd()], required: 'always' }))).to.deep.equal({ outcome: 'step', step: 'sms' });
      expect(decideSignIn(facts({ proofs: [pwd()], request: { acrValues: [ACR.passwordAndSms] } }))).to.deep.equal({ outcome: 'step', step: 'sms' });
      expect(decideSignIn(facts({ proofs: [pwd()], app: { defaultAcrValues: [ACR.passwordAndSms] } }))).to.deep.equal({ outcome: 'step', step: 'sms' });
    });

    it('completes with the MFA acr and amr once the code is right', () => {
      const d = decideSignIn(facts({ proofs: [pwd(NOW - 60_000), smsSecond()], required: 'always' }));
      expect(d).to.deep.equal({ outcome: 'complete', acr: ACR.passwordAndSms, amr: ['pwd', 'sms', 'mfa'], authTime: NOW - 60_000 });
    });

    it('refuses when MFA is needed and there is no usable phone', () => {
      expect(decideSignIn(facts({ proofs: [pwd()], required: 'always', user: { smsSecondFactor: false } }))).to.deep.equal({ outcome: 'refused', reason: 'mfa_unavailable' });
    });

    it('routes a password past its maximum age to a new password, and completes once it is changed', () => {
      const old = { passwordChangedAt: NOW - 91 * DAY_MS };
      expect(decideSignIn(facts({ proofs: [pwd()], maxAgeDays: 90, user: old }))).to.deep.equal({ outcome: 'step', step: 'change_password' });
      expect(decideSignIn(facts({ proofs: [pwd()], maxAgeDays: 90, user: { passwordChangedAt: NOW } })).outcome).to.equal('complete');
      // An SMS sign-in does not use the password, so its age does not matter.
      expect(decideSignIn(facts({ proofs: [smsLogin()], maxAgeDays: 90, user: old })).outcome).to.equal('complete');
    });
  });

  describe('passwordless sign-in', () => {
    it('completes with the SMS acr when nothing more is needed', () => {
      expect(decideSignIn(facts({ proofs: [smsLogin()] }))).to.deep.equal({ outcome: 'complete', acr: ACR.sms, amr: ['sms', 'otp'], authTime: NOW });
    });

    it('under "MFA always" asks for the password next (afterSms: password) and ends with the MFA acr', () => {
      expect(decideSignIn(facts({ proofs: [smsLogin()], required: 'always' }))).to.deep.equal({ outcome: 'step', step: 'password' });
      const d = decideSignIn(facts({ proofs: [smsLogin(), pwd()], required: 'always' }));
      expect(d).to.deep.include({ outcome: 'complete', acr: ACR.passwordAndSms, amr: ['sms', 'otp', 'pwd', 'mfa'] });
    });

    it('under "MFA always" refuses with afterSms: refuse, or when the account has no password', () => {
      expect(decideSignIn(facts({ proofs: [smsLogin()], required: 'always', afterSms: 'refuse' }))).to.deep.equal({ outcome: 'refused', reason: 'mfa_after_sms' });
      expect(decideSignIn(facts({ proofs: [smsLogin()], required: 'always', user: { hasPassword: false } }))).to.deep.equal({ outcome: 'refused', reason: 'mfa_after_sms' });
    });

    it('never answers acr_values=…:mfa with a single factor', () => {
      expect(decideSignIn(facts({ proofs: [smsLogin()], request: { acrValues: [ACR.passwordAndSms] } }))).to.deep.equal({ outcome: 'step', step: 'password' });
      expect(decideSignIn(facts({ proofs: [smsLogin()], request: { acrValues: [ACR.password] } }))).to.deep.equal({ outcome: 'step', step: 'password' });
    });
  });

  describe('the acr an RP asks for', () => {
    it('is narrowed by the policy, never widened: "MFA always" wins over acr_values=pwd', () => {
      expect(decideSignIn(facts({ proofs: [pwd()], required: 'always', request: { acrValues: [ACR.password] } }))).to.deep.equal({ outcome: 'step', step: 'sms' });
    });

    it('the RP\'s acr_values take precedence over the app\'s default_acr_values', () => {
      const d = decideSignIn(facts({ proofs: [pwd()], app: { defaultAcrValues: [ACR.passwordAndSms] }, request: { acrValues: [ACR.password] } }));
      expect(d).to.deep.include({ outcome: 'complete', acr: ACR.password });
    });

    it('a password session asked for the SMS acr goes back to the sign-in screen', () => {
      expect(decideSignIn(facts({ proofs: [pwd()], request: { acrValues: [ACR.sms] } }))).to.deep.equal({ outcome: 'step', step: 'login' });
    });

    it('max_age: proofs older than it do not count', () => {
      const stale = facts({ proofs: [pwd(NOW - 600_000), smsSecond(NOW - 600_000)], request: { maxAge: 300 } });
      expect(decideSignIn(stale)).to.deep.equal({ outcome: 'step', step: 'login' });
      const half = facts({ proofs: [pwd(NOW - 600_000), smsLogin(NOW)], request: { maxAge: 300 }, required: 'always' });
      expect(decideSignIn(half)).to.deep.equal({ outcome: 'step', step: 'password' });
    });
  });

  describe('the admin console', () => {
    const consoleApp = { adminConsole: true };
    it('needs MFA from an admin who can use it, and never accepts an SMS code alone', () => {
      const admin = { admin: true };
      expect(decideSignIn(facts({ proofs: [pwd()], app: consoleApp, user: admin }))).to.deep.equal({ outcome: 'step', step: 'sms' });
      expect(decideSignIn(facts({ proofs: [smsLogin()], app: consoleApp, user: admin }))).to.deep.equal({ outcome: 'step', step: 'password' });
      expect(decideSignIn(facts({ proofs: [pwd(), smsSecond()], app: consoleApp, user: admin }))).to.deep.include({ outcome: 'complete', acr: ACR.passwordAndSms });
    });

    it('accepts the password of an admin without a usable phone, but still not an SMS code alone', () => {
      const admin = { admin: true, smsSecondFactor: false };
      expect(decideSignIn(facts({ proofs: [pwd()], app: consoleApp, user: admin }))).to.deep.include({ outcome: 'complete', acr: ACR.password });
      expect(decideSignIn(facts({ proofs: [smsLogin()], app: consoleApp, user: admin }))).to.deep.equal({ outcome: 'step', step: 'password' });
    });

    it('demands nothing more of non-admins (the console refuses them itself)', () => {
      expect(decideSignIn(facts({ proofs: [pwd()], app: consoleApp })).outcome).to.equal('complete');
    });
  });

  describe('one phone is not two factors', () => {
    const reset = (hoursAgo: number, samePhone = true) => ({ at: NOW - hoursAgo * 3600_000, samePhone });

    it('within 24 hours of an SMS reset, that phone is no second factor', () => {
      expect(decideSignIn(facts({ proofs: [pwd()], required: 'always', smsReset: reset(2) }))).to.deep.equal({ outcome: 'refused', reason: 'sms_after_reset' });
      expect(decideSignIn(facts({ proofs: [pwd(), smsSecond()], required: 'always', smsReset: reset(2) }))).to.deep.equal({ outcome: 'refused', reason: 'sms_after_reset' });
      expect(decideSignIn(facts({ proofs: [smsLogin()], required: 'always', smsReset: reset(23) }))).to.deep.equal({ outcome: 'refused', reason: 'sms_after_reset' });
    });

    it('after 24 hours, or for another phone, it counts again', () => {
      expect(decideSignIn(facts({ proofs: [pwd(), smsSecond()], required: 'always', smsReset: reset(25) })).outcome).to.equal('complete');
      expect(decideSignIn(facts({ proofs: [pwd(), smsSecond()], required: 'always', smsReset: reset(2, false) })).outcome).to.equal('complete');
    });

    it('does not stop a single-factor sign-in the policy allows', () => {
      expect(decideSignIn(facts({ proofs: [pwd()], smsReset: reset(1) }))).to.deep.include({ outcome: 'complete', acr: ACR.password });
    });
  });

  describe('adding a phone at sign-in', () => {
    it('is the step instead of a refusal when the policy allows it, never for admins', () => {
      const noPhone = { smsSecondFactor: false, mayEnrolPhone: true };
      expect(decideSignIn(facts({ proofs: [pwd()], required: 'always', user: noPhone }))).to.deep.equal({ outcome: 'step', step: 'enrol_phone' });
      expect(decideSignIn(facts({ proofs: [pwd()], required: 'always', user: { ...noPhone, admin: true } }))).to.deep.equal({ outcome: 'refused', reason: 'mfa_unavailable' });
    });

    it('ends the enrolling sign-in with the password acr; a later password needs the code', () => {
      const enrolled = { phoneEnrolledAt: NOW };
      expect(decideSignIn(facts({ proofs: [pwd(NOW - 60_000)], required: 'always', user: enrolled }))).to.deep.include({ outcome: 'complete', acr: ACR.password });
      expect(decideSignIn(facts({ proofs: [pwd(NOW + 60_000)], required: 'always', user: enrolled, now: NOW + 60_000 }))).to.deep.equal({ outcome: 'step', step: 'sms' });
      // An app that asks for the MFA acr itself still gets it.
      expect(decideSignIn(facts({ proofs: [pwd(NOW - 60_000)], required: 'always', user: enrolled, request: { acrValues: [ACR.passwordAndSms] } }))).to.deep.equal({ outcome: 'step', step: 'sms' });
    });
  });

  describe('SSO sessions', () => {
    it('reads a session\'s proofs from its amr', () => {
      expect(proofsFromAmr(['pwd', 'sms', 'mfa'], NOW)).to.deep.equal([pwd(), smsSecond()]);
      expect(proofsFromAmr(['sms', 'otp', 'pwd', 'mfa'], NOW)).to.deep.equal([smsLogin(), pwd()]);
      expect(proofsFromAmr(undefined, NOW)).to.deep.equal([]);
    });

    it('a session from an SMS sign-in does not satisfy a client whose user needs MFA', () => {
      expect(decideSignIn(facts({ proofs: proofsFromAmr(['sms', 'otp'], NOW - 60_000), required: 'always' }))).to.deep.equal({ outcome: 'step', step: 'password' });
    });
  });
});
