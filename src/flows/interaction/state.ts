// Typed flow state kept under one key of the oidc-provider Interaction's result, so any instance can serve any step.
import type { z } from 'zod';
import type { FlowState, FlowStateStore } from '../state/store.ts';
import { type Interaction, saveInteraction } from './context.ts';

export interface InteractionState<T> {
  /** The state, or undefined when absent or not of the expected shape. */
  read(details: Interaction): T | undefined;
  /** Saves the state (undefined forgets it), keeping the interaction's expiry (set by oidc-provider on the wall clock). */
  write(details: Interaction, state: T | undefined): Promise<void>;
  /** The same state as a flow store a service can take; its flow id is the interaction's uid. */
  bind(details: Interaction): FlowState<T>;
}

export function interactionState<T>(key: string, schema: z.ZodType<T>): InteractionState<T> {
  const read = (details: Interaction) => {
    const parsed = schema.safeParse((details.result as Record<string, unknown> | undefined)?.[key]);
    return parsed.success ? parsed.data : undefined;
  };
  const write = async (details: Interaction, state: T | undefined) => {
    const result = { ...(details.result ?? {}) } as Record<string, unknown>;
    if (state) result[key] = schema.parse(state);
    else delete result[key];
    details.result = result;
    await saveInteraction(details);
  };
  return {
    read,
    write,
    bind: (details) => ({
      flowId: details.uid,
      read: async () => read(details),
      write: (state) => write(details, state),
      forgetOnNextSave() {
        const result = { ...(details.result ?? {}) } as Record<string, unknown>;
        delete result[key];
        details.result = result;
      },
    }),
  };
}

/** The Interaction-backed flow store: the hosted screens' kind of flow. */
export const interactionFlows: FlowStateStore<Interaction> = {
  open: (details, key, schema) => interactionState(key, schema).bind(details),
};
