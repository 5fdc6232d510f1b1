// The methods a user can prove something with: the one list that policies, the admin API and the console read factor ids from.

/** What a method can be used for, so the policy model knows which ids each section accepts. */
export interface MethodDescriptor {
  /** The id stored in policies (`mfa.factors`, `passwordUpdate.methods`) and shown in the admin API. */
  id: string;
  /** Whether it can be the second step after a password. */
  secondFactor: boolean;
  /** Whether it can prove a user may set a new password without the old one. */
  passwordReset: boolean;
}

export const methodRegistry = [{ id: 'sms', secondFactor: true, passwordReset: true }] as const satisfies readonly [MethodDescriptor, ...MethodDescriptor[]];

export type MethodId = (typeof methodRegistry)[number]['id'];

const idsWhere = (use: (m: MethodDescriptor) => boolean) => methodRegistry.filter(use).map((m) => m.id) as [MethodId, ...MethodId[]];

/** Ids a policy may list as MFA factors. */
export const secondFactorIds = idsWhere((m) => m.secondFactor);
/** Ids a policy may list as self-service password update methods. */
export const passwordResetMethodIds = idsWhere((m) => m.passwordReset);
