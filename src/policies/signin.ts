// The one decision that finishes a sign-in: given the proofs collected, the user's policy, the app and the RP's request, done or which step.
import { DAY_MS, passwordExpiresAt } from './expiry.ts';
import type { MfaSection, PasswordSection } from './schema.ts';

/** `acr` values Codeword issues, documented in README: how the user proved themselves. */
export const ACR = {
  password: 'urn:codeword:acr:pwd',
  sms: 'urn:codeword:acr:sms',
  passwordAndSms: 'urn:codeword:acr:mfa',
} as const;
export type Acr = (typeof ACR)[keyof typeof ACR];
export const ACR_VALUES: readonly Acr[] = Object.values(ACR);

/** How long after a password reset by SMS the phone that received the reset code cannot be the second factor. */
export const SMS_RESET_QUARANTINE_MS = DAY_MS;

/** One thing the user proved in this sign-in (or in the SSO session being reused). */
export interface Proof {
  /** `pwd`: the account's password; `sms`: a code texted to the account's phone. */
  method: 'pwd' | 'sms';
  /** When it was proven, epoch milliseconds. */
  at: number;
  /** Its `amr` values (RFC 8176): `['pwd']`, `['sms', 'otp']` for an SMS sign-in, `['sms']` for an SMS second factor. */
  amr: readonly string[];
}

export interface SignInFacts {
  /** Epoch milliseconds. */
  now: number;
  proofs: readonly Proof[];
  policy: { mfa: Pick<MfaSection, 'required' | 'afterSms'>; password: Pick<PasswordSection, 'maxAgeDays'> };
  user: {
    admin: boolean;
    /** Whether the account has a password at all (accounts created by SMS sign-up have none). */
    hasPassword: boolean;
    passwordChangedAt: number | null;
    /** Whether a code can be texted as the second factor (SMS usable and a valid mobile number mapped). */
    smsSecondFactor: boolean;
    /** Whether the user may add a phone at this sign-in (policy allows it, SMS usable, not an admin, never had one). */
    mayEnrolPhone?: boolean;
    /** When the user added their phone at a sign-in (epoch ms): the password proven for that sign-in suffices for it. */
    phoneEnrolledAt?: number | null;
  };
  app: {
    /** The client's registered `default_acr_values`. */
    defaultAcrValues: readonly string[];
    /** Admins must use MFA whenever they can, and never sign in with an SMS code alone (the admin console). */
    adminConsole?: boolean;
  };
  request: {
    /** The RP's `acr_values`. */
    acrValues: readonly string[];
    /** The RP's `max_age`, seconds: proofs older than this do not count. */
    maxAge?: number;
  };
  /** The last password reset by SMS, and whether the phone that received its code is the phone texted now. */
  smsReset?: { at: number; samePhone: boolean } | null;
}

export type SignInStep =
  /** The sign-in screen: nothing usable was proven yet. */
  | 'login'
  /** The account's password, after an SMS code. */
  | 'password'
  /** A code texted to the account's phone, after the password. */
  | 'sms'
  /** The password is past its policy's maximum age: a new one must be chosen before the sign-in ends. */
  | 'change_password'
  /** MFA is needed, the user has no phone and may add one: a mobile number, proven with a code. */
  | 'enrol_phone';

export type SignInRefusal =
  /** MFA is needed but the user has no usable second factor. */
  | 'mfa_unavailable'
  /** The only second factor is the phone that just reset the password (one phone is not two factors). */
  | 'sms_after_reset'
  /** MFA is needed after an SMS sign-in and the policy says `afterSms: refuse` (or the account has no password). */
  | 'mfa_after_sms';

export type SignInDecision =
  | { outcome: 'complete'; acr: Acr; amr: string[]; /** Epoch ms of the oldest proof used: the sign-in's auth_time. */ authTime: number }
  | { outcome: 'step'; step: SignInStep }
  | { outcome: 'refused'; reason: SignInRefusal };

const known = (values: readonly string[]): Acr[] => values.filter((v): v is Acr => (ACR_VALUES as readonly string[]).includes(v));

/** The acr values this sign-in may end with: what the policy and app demand, narrowed to what the RP asked for when possible. */
export function acceptableAcr(f: Pick<SignInFacts, 'policy' | 'user' | 'app' | 'request' | 'proofs'>): Acr[] {
  let allowed: Acr[] = [...ACR_VALUES];
  if (f.policy.mfa.required === 'always') allowed = enrolling(f) ? [ACR.passwordAndSms, ACR.password] : [ACR.passwordAndSms];
  else if (f.app.adminConsole && f.user.admin) allowed = f.user.smsSecondFactor ? [ACR.passwordAndSms] : [ACR.passwordAndSms, ACR.password];
  const asked = known(f.request.acrValues).length ? known(f.request.acrValues) : known(f.app.defaultAcrValues);
  const both = allowed.filter((a) => asked.includes(a));
  return both.length ? both : allowed;
}

/** Reads the proofs of an SSO session from its `amr`, all proven at the session's login time. */
export function proofsFromAmr(amr: readonly string[] | undefined, at: number): Proof[] {
  const list = amr ?? [];
  const proofs: Proof[] = [];
  list.forEach((value, i) => {
    if (value === 'pwd') proofs.push({ method: 'pwd', at, amr: ['pwd'] });
    if (value === 'sms') proofs.push({ method: 'sms', at, amr: list[i + 1] === 'otp' ? ['sms', 'otp'] : ['sms'] });
  });
  return proofs;
}

/** Is this sign-in complete, and with which acr/amr; or which step is still needed; or can it not succeed. */
export function decideSignIn(f: SignInFacts): SignInDecision {
  const { now } = f;
  const fresh = f.proofs.filter((p) => f.request.maxAge === undefined || now - p.at <= f.request.maxAge * 1000);
  const pwd = fresh.find((p) => p.method === 'pwd');
  const sms = fresh.find((p) => p.method === 'sms');
  const quarantined = Boolean(f.smsReset?.samePhone && now < f.smsReset.at + SMS_RESET_QUARANTINE_MS);
  const achieved: Acr[] = [];
  if (pwd && sms && !quarantined) achieved.push(ACR.passwordAndSms);
  if (pwd) achieved.push(ACR.password);
  if (sms) achieved.push(ACR.sms);

  const acceptable = acceptableAcr(f);
  const acr = achieved.find((a) => acceptable.includes(a));
  if (acr) {
    const used = acr === ACR.passwordAndSms ? fresh.filter((p) => p === pwd || p === sms) : [acr === ACR.password ? pwd! : sms!];
    if (used.includes(pwd!) && isExpired(f)) return { outcome: 'step', step: 'change_password' };
    const amr = [...new Set(used.flatMap((p) => p.amr))];
    if (acr === ACR.passwordAndSms) amr.push('mfa');
    return { outcome: 'complete', acr, amr, authTime: Math.min(...used.map((p) => p.at)) };
  }

  if (acceptable.includes(ACR.passwordAndSms)) {
    if (pwd) {
      if (!f.user.smsSecondFactor) return f.user.mayEnrolPhone && !f.user.admin ? { outcome: 'step', step: 'enrol_phone' } : { outcome: 'refused', reason: 'mfa_unavailable' };
      if (quarantined) return { outcome: 'refused', reason: 'sms_after_reset' };
      return { outcome: 'step', step: 'sms' };
    }
    if (sms) {
      if (quarantined) return { outcome: 'refused', reason: 'sms_after_reset' };
      if (f.policy.mfa.afterSms === 'refuse' || !f.user.hasPassword) return { outcome: 'refused', reason: 'mfa_after_sms' };
      return { outcome: 'step', step: 'password' };
    }
    return { outcome: 'step', step: 'login' };
  }
  if (acceptable.includes(ACR.password) && sms && f.user.hasPassword) return { outcome: 'step', step: 'password' };
  return { outcome: 'step', step: 'login' };
}

/**
 * The sign-in that enrolled the user's phone ends with the password acr: its password was proven before the phone was
 * added (an SSO session of that sign-in keeps it; every later sign-in needs the code).
 */
function enrolling(f: Pick<SignInFacts, 'user'> & { proofs?: readonly Proof[] }): boolean {
  const at = f.user.phoneEnrolledAt;
  return !f.user.admin && typeof at === 'number' && (f.proofs ?? []).some((p) => p.method === 'pwd' && p.at <= at);
}

function isExpired(f: SignInFacts): boolean {
  const expiresAt = passwordExpiresAt(f.user.passwordChangedAt, { maxAgeDays: f.policy.password.maxAgeDays, reminderDays: null });
  return expiresAt !== null && f.now >= expiresAt;
}
