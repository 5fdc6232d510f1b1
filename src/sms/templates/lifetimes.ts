// The real lifetime of the codes each purpose sends, so that a template preview says what the message will say.
import type { Purpose } from '../types.ts';

export interface LifetimeSources {
  /** The SMS connection (passwordless sign-in and sign-up codes). */
  connection: { get(): Promise<{ codeLifetimeSeconds: number }> };
  /** The SMS factor (second-factor codes). */
  smsFactor: { get(): Promise<{ mfaCode: { lifetimeSeconds: number } }> };
  /** The default policy (reset codes take their lifetime from the user's policy). */
  policies: { getDefault(): Promise<{ passwordUpdate: { resetCodeLifetimeSeconds: number } }> };
}

export function codeLifetimeMinutes(src: LifetimeSources): (purpose: Purpose) => Promise<number | undefined> {
  const minutes = (seconds: number) => Math.ceil(seconds / 60);
  return async (purpose) => {
    if (purpose === 'login' || purpose === 'signup') return minutes((await src.connection.get()).codeLifetimeSeconds);
    if (purpose === 'mfa') return minutes((await src.smsFactor.get()).mfaCode.lifetimeSeconds);
    if (purpose === 'reset_password') return minutes((await src.policies.getDefault()).passwordUpdate.resetCodeLifetimeSeconds);
    return undefined;
  };
}
