// Typed state of the SMS second factor, kept in the oidc-provider Interaction between password and code.
import { z } from 'zod';
import type { Interaction } from '../interaction/context.ts';

export const mfaStateSchema = z.object({
  /** The user who passed the password step; not signed in until the code is verified. */
  userId: z.string(),
  /** The number texted, E.164; null when the user has no usable phone (the step cannot be finished). */
  phone: z.string().nullable(),
  messageId: z.string().nullable(),
});

export type MfaState = z.infer<typeof mfaStateSchema>;

const KEY = 'mfa';

export function readMfaState(details: Interaction): MfaState | undefined {
  const parsed = mfaStateSchema.safeParse((details.result as Record<string, unknown> | undefined)?.[KEY]);
  return parsed.success ? parsed.data : undefined;
}

export async function writeMfaState(details: Interaction, state: MfaState | undefined): Promise<void> {
  const result = { ...(details.result ?? {}) } as Record<string, unknown>;
  if (state) result[KEY] = state;
  else delete result[KEY];
  details.result = result;
  await details.save(Math.max(1, (details.exp ?? 0) - Math.floor(Date.now() / 1000)));
}
