// Flow state kept server-side under an opaque id, for flows without a browser: short-lived, expiring by the injected clock.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { FlowState, FlowStateStore } from './store.ts';

const TABLE = 'flow_states';
const MAX_ID = 255;

export interface ServerFlowsDeps {
  db: Knex;
  /** Epoch milliseconds; injectable so tests can move time. */
  now?: () => number;
  /** Seconds a flow lives after it starts (writes do not extend it). Default 600. */
  lifetimeSeconds?: number;
}

export interface ServerFlows extends FlowStateStore<string> {
  /**
   * Starts a flow and returns its id: `<prefix>:<opaque id>` (e.g. prefix `api:<client_id>`). The opaque part is 144
   * random bits, so the id can be handed to a client (as an `auth_session`) without being guessable.
   */
  start(prefix: string): Promise<string>;
  /**
   * Starts a flow under an id the caller chose (e.g. `api:<client_id>:<E.164>`, for an API whose later calls name the
   * flow by what they carry). When it exists, its state is kept and its lifetime starts again, so a refused retry
   * never wipes a flow in progress.
   */
  begin(flowId: string): Promise<string>;
  /** Whether the flow exists and has not expired. */
  exists(flowId: string): Promise<boolean>;
  /** Ends a flow at once (e.g. after its sign-in finished). */
  end(flowId: string): Promise<void>;
  /** Deletes expired flows; for the periodic maintenance job. */
  purgeExpired(): Promise<number>;
}

const parseData = (raw: unknown): Record<string, unknown> => {
  try {
    const value = typeof raw === 'string' ? JSON.parse(raw) : raw;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

export function createServerFlows({ db, now = Date.now, lifetimeSeconds = 600 }: ServerFlowsDeps): ServerFlows {
  const live = async (flowId: string) => {
    if (typeof flowId !== 'string' || flowId.length > MAX_ID) return undefined;
    const row = await db(TABLE).where({ id: flowId }).where('expires_at', '>', now()).first('data');
    return row ? parseData(row.data) : undefined;
  };

  return {
    async start(prefix) {
      const flowId = `${prefix}:${randomBytes(18).toString('base64url')}`;
      if (flowId.length > MAX_ID) throw new AppError('invalid_request', 400, { message: 'flow id prefix too long' });
      const at = now();
      await db(TABLE).insert({ id: flowId, data: '{}', expires_at: at + lifetimeSeconds * 1000, created_at: at });
      return flowId;
    },

    async begin(flowId) {
      if (flowId.length > MAX_ID) throw new AppError('invalid_request', 400, { message: 'flow id too long' });
      const at = now();
      await db(TABLE)
        .insert({ id: flowId, data: '{}', expires_at: at + lifetimeSeconds * 1000, created_at: at })
        .onConflict('id')
        .merge(['expires_at']);
      return flowId;
    },

    async exists(flowId) {
      return (await live(flowId)) !== undefined;
    },

    open<T>(flowId: string, key: string, schema: z.ZodType<T>): FlowState<T> {
      return {
        flowId,
        async read() {
          const parsed = schema.safeParse((await live(flowId))?.[key]);
          return parsed.success ? parsed.data : undefined;
        },
        async write(state) {
          const data = await live(flowId);
          // An expired or unknown flow cannot be written to: the client must start again.
          if (!data) throw new AppError('session_not_found', 400);
          if (state === undefined) delete data[key];
          else data[key] = schema.parse(state);
          await db(TABLE).where({ id: flowId }).where('expires_at', '>', now()).update({ data: JSON.stringify(data) });
        },
      };
    },

    async end(flowId) {
      await db(TABLE).where({ id: flowId }).delete();
    },

    purgeExpired() {
      return db(TABLE).where('expires_at', '<=', now()).delete();
    },
  };
}

/** The flow id prefix of an API flow started by a client: codes issued in it never verify for another client. */
export const apiFlowPrefix = (clientId: string) => `api:${clientId}`;
