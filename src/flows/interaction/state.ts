// Typed flow state kept under one key of the oidc-provider Interaction's result, so any instance can serve any step.
import type { z } from 'zod';
import type { Interaction } from './context.ts';

export interface InteractionState<T> {
  /** The state, or undefined when absent or not of the expected shape. */
  read(details: Interaction): T | undefined;
  /** Saves the state (undefined forgets it), keeping the interaction's expiry (set by oidc-provider on the wall clock). */
  write(details: Interaction, state: T | undefined): Promise<void>;
}

export function interactionState<T>(key: string, schema: z.ZodType<T>): InteractionState<T> {
  return {
    read(details) {
      const parsed = schema.safeParse((details.result as Record<string, unknown> | undefined)?.[key]);
      return parsed.success ? parsed.data : undefined;
    },
    async write(details, state) {
      const result = { ...(details.result ?? {}) } as Record<string, unknown>;
      if (state) result[key] = schema.parse(state);
      else delete result[key];
      details.result = result;
      await details.save(Math.max(1, (details.exp ?? 0) - Math.floor(Date.now() / 1000)));
    },
  };
}
