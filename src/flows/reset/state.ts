// Typed state of a password reset, kept in the oidc-provider Interaction (so any instance can serve any step).
import { z } from 'zod';
import { interactionState } from '../interaction/state.ts';

/** Who the reset is for, as far as the server knows; never sent to the browser except `masked`. */
export const resetSubjectSchema = z.object({
  /** The user a code is texted to; null when nobody gets one (unknown user, no phone, SMS reset not allowed). */
  userId: z.string().nullable(),
  /** The number the code goes to (E.164), or a decoy key that stands in for it; codes and send limits bind to it. */
  phone: z.string().min(1).max(32),
  /** Kept for flows started before screens stopped showing digits; screens show no part of the number now. */
  masked: z.string().default(''),
});
export type ResetSubject = z.infer<typeof resetSubjectSchema>;

const verifiedSchema = z.object({
  /** When the code was accepted (epoch ms); with the flow id, the key that makes the change single use. */
  at: z.number(),
  /** The user's password_changed_at at that moment: a change made since then voids this reset. */
  passwordChangedAt: z.number().nullable(),
  /** The new password must be chosen before this (epoch ms). */
  deadline: z.number(),
});

export const resetStateSchema = z.discriminatedUnion('step', [
  /** "Text a code to ••• ••• 1234" is on screen. */
  z.object({ step: z.literal('method'), subject: resetSubjectSchema }),
  /** A code was issued (texted, or a decoy); the code screen is on. */
  z.object({ step: z.literal('code'), subject: resetSubjectSchema }),
  /** The code was right; the new-password screen is on. */
  z.object({ step: z.literal('password'), subject: resetSubjectSchema, verified: verifiedSchema }),
  /** The password was changed; nothing more can be done with this reset. */
  z.object({ step: z.literal('done') }),
]);
export type ResetState = z.infer<typeof resetStateSchema>;
export type ResetStep = ResetState['step'];

export const resetState = interactionState('reset', resetStateSchema);
