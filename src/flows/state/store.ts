// The small interface every kind of flow keeps its typed state behind: Interaction-backed for screens, server-side for APIs.
import type { z } from 'zod';

/**
 * The typed state of one flow under one key. Services take this, never an oidc-provider Interaction, so the same
 * rules serve a browser flow and a flow without a browser.
 */
export interface FlowState<T> {
  /**
   * The id one-time codes of this flow are bound to: an Interaction uid for the hosted screens, or a server-side
   * flow's id such as `api:<client_id>:<opaque id>`. A code issued under one flow id never verifies under another.
   */
  readonly flowId: string;
  /** The state, or undefined when absent, expired or not of the expected shape. */
  read(): Promise<T | undefined>;
  /** Saves the state (undefined forgets it). */
  write(state: T | undefined): Promise<void>;
  /**
   * Forgets the state at the flow's next save instead of saving now, where the step that follows always saves the
   * flow (a finished sign-in replaces an interaction's whole result). Flows without it are written at once.
   */
  forgetOnNextSave?(): void;
}

/** A kind of flow storage: opens the typed state under `key` of the flow a handle names. */
export interface FlowStateStore<Handle> {
  open<T>(handle: Handle, key: string, schema: z.ZodType<T>): FlowState<T>;
}
