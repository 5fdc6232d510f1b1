// Typed state of the SMS second factor, kept in the oidc-provider Interaction between password and code.
import { z } from 'zod';
import { interactionState } from '../interaction/state.ts';

export const mfaStateSchema = z.object({
  /** The user who passed the password step; not signed in until the code is verified. */
  userId: z.string(),
  /** The number texted, E.164; null when the user has no usable phone (the step cannot be finished). */
  phone: z.string().nullable(),
  messageId: z.string().nullable(),
  /** Why this sign-in's code was not texted (a send limit), until a send succeeds: the screen says so, never "we sent". */
  held: z.string().max(32).optional(),
  /** The number was typed at sign-in to be added to the account: the right code saves it, and is no second factor. */
  enrol: z.boolean().optional(),
  /** When the flow may send again, as its last send left the limits (epoch ms): the code screen's resend wait. */
  resendAt: z.number().optional(),
});

export type MfaState = z.infer<typeof mfaStateSchema>;

export const mfaState = interactionState('mfa', mfaStateSchema);
