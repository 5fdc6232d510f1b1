// Typed state of a passwordless sign-in; the hosted screens keep it in the oidc-provider Interaction (shared by all instances).
import { z } from 'zod';
import { interactionState } from '../interaction/state.ts';

export const passwordlessStateSchema = z.object({
  /** The number the code went to (or would have gone to), E.164. */
  phone: z.string(),
  /** The user the number belongs to, when known; never shown to the browser. */
  userId: z.string().nullable(),
  /** Whether verifying the code creates an account (unknown number, sign-ups on). */
  signup: z.boolean(),
  /** Outbox id of the last SMS, when one was sent. */
  messageId: z.string().nullable(),
  /** The language the SMS was written in (recorded for the sign-up's locale). */
  language: z.string().nullable(),
  /** When the flow may send again, as its last send left the limits (epoch ms): the code screen's resend wait. */
  resendAt: z.number().optional(),
});

export type PasswordlessState = z.infer<typeof passwordlessStateSchema>;

/** The key under which any flow store keeps this state. */
export const PASSWORDLESS_STATE_KEY = 'passwordless';

export const passwordlessState = interactionState(PASSWORDLESS_STATE_KEY, passwordlessStateSchema);
