// Typed state of a passwordless sign-in, kept in the oidc-provider Interaction (shared by all instances).
import { z } from 'zod';
import type { Interaction } from '../interaction/context.ts';

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
});

export type PasswordlessState = z.infer<typeof passwordlessStateSchema>;

const KEY = 'passwordless';

export function readState(details: Interaction): PasswordlessState | undefined {
  const parsed = passwordlessStateSchema.safeParse((details.result as Record<string, unknown> | undefined)?.[KEY]);
  return parsed.success ? parsed.data : undefined;
}

/** Saves the state into the interaction, keeping its expiry (kept by the provider on the wall clock). */
export async function writeState(details: Interaction, state: PasswordlessState | undefined): Promise<void> {
  const result = { ...(details.result ?? {}) } as Record<string, unknown>;
  if (state) result[KEY] = state;
  else delete result[KEY];
  details.result = result;
  const ttl = Math.max(1, (details.exp ?? 0) - Math.floor(Date.now() / 1000));
  await details.save(ttl);
}
