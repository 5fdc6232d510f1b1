// Interactions as this instance last stored or read them, so the screens of one sign-in do not each read theirs back.
//
// Every response that stores or reads an interaction tells the browser which content it saw (a hash, in a cookie
// scoped to that interaction's screens). An instance answers from memory only when it holds exactly that content;
// otherwise (another instance stored it since, the cookie is missing or old, memory was full) it reads storage. One
// browser's requests of one interaction come one after the other, so the content it saw last is what storage holds.
// What a browser could still get by sending an older cookie to an instance that kept an older content is a state its
// own interaction was in before: the proofs it collected then, which the sign-in decision checks again against the
// account, the code store and the counters, never the interaction alone.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LRUCache } from 'lru-cache';

export const INTERACTION_COOKIE = '_cw_ix';

/** Interactions held at most (about 1–2 KB each). */
const MAX_ENTRIES = 5000;
/** An interaction not stored or read for this long is read from storage again. */
const MAX_AGE_MS = 10 * 60 * 1000;

interface Entry {
  json: string;
  version: string;
  expiresAt: number;
  seenAt: number;
}

interface Scope {
  req: IncomingMessage;
  res: ServerResponse;
  /** What this response told the browser so far, per interaction (null: the cookie removed). */
  told: Map<string, string | null>;
}

export interface InteractionMemory {
  /** Runs a request where the adapter sees its cookies and can answer the browser (every request, the provider's too). */
  within<T>(req: IncomingMessage, res: ServerResponse, fn: () => T): T;
  /** The stored JSON of this interaction, when this instance holds exactly the content the browser saw last. */
  recall(uid: string): string | undefined;
  /** Storage holds this content now (just stored or read): kept, and the browser is told which content it saw. */
  remember(uid: string, json: string, expiresAt: number): void;
  /** The interaction was deleted: forgotten here, and the browser's cookie removed. */
  forget(uid: string): void;
  /** Rows were deleted in bulk (an account's sessions and grants revoked): nothing kept is trusted any more. */
  forgetAll(): void;
}

export interface InteractionMemoryOptions {
  now?: () => number;
  /** Cookies with the Secure attribute (an https issuer). */
  secure: boolean;
}

const versionOf = (json: string) => createHash('sha256').update(json).digest('base64url').slice(0, 22);

/** The version the browser holds for this interaction, from its cookies (`<uid>.<version>`). */
function seenVersion(cookieHeader: string | undefined, uid: string): string | undefined {
  if (!cookieHeader) return undefined;
  const prefix = `${uid}.`;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== INTERACTION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (value.startsWith(prefix)) return value.slice(prefix.length);
  }
  return undefined;
}

export function createInteractionMemory({ now = Date.now, secure }: InteractionMemoryOptions): InteractionMemory {
  const als = new AsyncLocalStorage<Scope>();
  const entries = new LRUCache<string, Entry>({ max: MAX_ENTRIES });

  /** Tells the browser, on this response, which content of the interaction it saw (none: the cookie is removed). */
  function tell(uid: string, entry: Entry | undefined): void {
    const scope = als.getStore();
    const res = scope?.res;
    if (!scope || !res || res.headersSent || !/^[\w-]+$/.test(uid)) return;
    const version = entry?.version ?? null;
    // Already what the browser holds, or what this response says: nothing to add.
    if ((scope.told.has(uid) ? scope.told.get(uid) : seenVersion(scope.req.headers.cookie, uid)) === version) return;
    scope.told.set(uid, version);
    const maxAge = entry ? Math.max(1, Math.ceil((entry.expiresAt - now()) / 1000)) : 0;
    const value = entry ? `${uid}.${entry.version}` : '';
    res.appendHeader('set-cookie', `${INTERACTION_COOKIE}=${value}; path=/interaction/${uid}; max-age=${maxAge}; httponly; samesite=lax${secure ? '; secure' : ''}`);
  }

  return {
    within: (req, res, fn) => als.run({ req, res, told: new Map() }, fn),

    recall(uid) {
      const entry = entries.get(uid);
      if (!entry) return undefined;
      const t = now();
      if (entry.expiresAt <= t || t - entry.seenAt > MAX_AGE_MS) {
        entries.delete(uid);
        return undefined;
      }
      // Only the interaction's screens (where a browser sends the cookie); the resume under /auth reads storage.
      const req = als.getStore()?.req;
      const base = `/interaction/${uid}`;
      const url = req?.url ?? '';
      if (!(url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`))) return undefined;
      return seenVersion(req?.headers.cookie, uid) === entry.version ? entry.json : undefined;
    },

    remember(uid, json, expiresAt) {
      const entry = { json, version: versionOf(json), expiresAt, seenAt: now() };
      entries.set(uid, entry);
      tell(uid, entry);
    },

    forget(uid) {
      entries.delete(uid);
      // Deleted at the resume (under /auth), where the screens' cookie is not sent: removed whatever it was.
      als.getStore()?.told.delete(uid);
      tell(uid, undefined);
    },

    forgetAll() {
      entries.clear();
    },
  };
}
