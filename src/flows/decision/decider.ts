// Gathers the facts of a sign-in (user with its last SMS reset and phone enrolment, policy, SMS factor, the app's demands) and asks the one decision.
import { ADMIN_ROLE } from '../../admin/constants.ts';
import type { PoliciesRepo, SmsFactorRepo } from '../../db/policies.ts';
import type { User, UsersRepo } from '../../db/users.ts';
import { type SessionCheck, requestedAcr, requestedMaxAge } from '../../oidc/acr.ts';
import { readUserPhone } from '../../policies/phone-field.ts';
import { decideSignIn, type Proof, proofsFromAmr, SMS_RESET_QUARANTINE_MS, type SignInDecision, type SignInFacts } from '../../policies/signin.ts';
import type { SecretBox } from '../../security/secrets.ts';

/** The audit action a password reset writes; its details carry `method` and `phoneHash`. */
export const AUDIT_PASSWORD_RESET = 'password.reset';
/** The HMAC purpose of the reset phone recorded in that event. */
export const RESET_PHONE_HMAC = 'reset-phone';
/** The audit action of a phone added at sign-in (its time lets that sign-in end with the password acr). */
export const AUDIT_PHONE_ENROLLED = 'user.phone_enrolled';

export interface AppRequirements {
  /** The client's registered default_acr_values. */
  defaultAcrValues: readonly string[];
  /** The admin console: admins use MFA whenever they can, never an SMS code alone. */
  adminConsole: boolean;
}

export interface DeciderDeps {
  users: Pick<UsersRepo, 'findById'>;
  policies: Pick<PoliciesRepo, 'ofUser'>;
  smsFactor: Pick<SmsFactorRepo, 'get' | 'availability'>;
  box: Pick<SecretBox, 'verifyHmac'>;
  app: (clientId: string) => Promise<AppRequirements>;
  /** Epoch milliseconds; injectable so tests can move time. */
  now?: () => number;
}

/** What the relying party asked for: from the authorization request's params (or a native-app API's body). */
export interface SignInRequest {
  clientId: string;
  acrValues: readonly string[];
  maxAge?: number;
}

export const signInRequest = (clientId: string, params: Record<string, unknown>): SignInRequest => ({
  clientId,
  acrValues: requestedAcr(params),
  maxAge: requestedMaxAge(params),
});

export interface DecisionResult {
  decision: SignInDecision;
  /** The account, when it exists and is enabled. */
  user?: User;
  /** The number a second-factor code goes to, when there is a usable one. */
  phone: string | null;
}

export function createSignInDecider(deps: DeciderDeps) {
  const now = deps.now ?? Date.now;

  /** The user's last SMS reset, if within the quarantine (recorded on the user's row with the phone's keyed hash). */
  function lastSmsReset(user: User, phone: string | null, at: number): SignInFacts['smsReset'] {
    if (user.smsResetAt === null || user.smsResetAt < at - SMS_RESET_QUARANTINE_MS) return null;
    const hash = user.smsResetPhoneHash;
    // A reset without the phone's hash (recorded before it was kept) counts as the same phone.
    const samePhone = hash === null || (phone !== null && deps.box.verifyHmac(RESET_PHONE_HMAC, phone, hash));
    return { at: user.smsResetAt, samePhone };
  }

  /**
   * The decision for these proofs of this account, for this request. `known`: the account as this request already
   * read it (e.g. the method that proved it), saving a second read.
   */
  async function decide(accountId: string, proofs: readonly Proof[], request: SignInRequest, known?: User): Promise<DecisionResult> {
    const at = now();
    const found = known?.id === accountId ? known : await deps.users.findById(accountId);
    const user = found && !found.disabled ? found : undefined;
    if (!user) return { decision: { outcome: 'step', step: 'login' }, phone: null };
    const [policy, factor, availability, app] = await Promise.all([deps.policies.ofUser(user), deps.smsFactor.get(), deps.smsFactor.availability(), deps.app(request.clientId)]);
    const enrolledAt = user.phoneEnrolledAt;
    const phone = availability.available ? readUserPhone(user, factor.phoneField, factor.defaultCountry) : null;
    const admin = user.roles.includes(ADMIN_ROLE);
    // Only accounts that never had a verified phone: otherwise whoever holds the password could swap the phone.
    const mayEnrolPhone = policy.mfa.enrolPhone && !admin && availability.available && phone === null && !user.phoneNumberVerified && enrolledAt === null;
    const decision = decideSignIn({
      now: at,
      proofs,
      policy,
      user: {
        admin,
        mayEnrolPhone,
        phoneEnrolledAt: enrolledAt,
        hasPassword: Boolean(user.passwordHash),
        passwordChangedAt: user.passwordChangedAt,
        // A usable phone can always prove itself when a sign-in needs it (the policy's factor list governs what is offered).
        smsSecondFactor: phone !== null,
      },
      app,
      request,
      smsReset: lastSmsReset(user, phone, at),
    });
    return { decision, user, phone };
  }

  /** The login check: does the (reused or just finished) session satisfy the decision for this client? */
  const sessionComplete: SessionCheck = async (s) => {
    const proofs = proofsFromAmr(s.amr, (s.loginTs ?? 0) * 1000);
    const { decision } = await decide(s.accountId, proofs, signInRequest(s.clientId, s.params));
    return decision.outcome === 'complete';
  };

  return { decide, sessionComplete, now };
}

export type SignInDecider = ReturnType<typeof createSignInDecider>;
