// Read-mostly settings (clients, SMS accounts and their grants, connection, factor, policies, templates, branding,
// spend, routes) cached per process. Every change bumps one version stamp in the counter store (the database, or
// Redis with REDIS_URL); each process reads the stamp at most once every SETTINGS_CHECK_MS and, when it moved, drops
// everything it cached. A change is seen at once by the instance that made it, and by every other within
// SETTINGS_CHECK_MS (plus the time one stamp read takes).
import type { CounterStore, Window } from '../counters/types.ts';

/** How often a process reads the settings stamp: the most another instance's change stays unseen. */
export const SETTINGS_CHECK_MS = 250;
/** A cached value is read again after this long even when the stamp did not move (a safety net, not the bound). */
export const SETTINGS_MAX_AGE_MS = 30_000;

/** The counter the version stamp lives in (exported for tests that count statements). */
export const STAMP_KEY = 'settings_version';
/** One window that outlasts any installation: the stamp only ever grows. */
const STAMP_WINDOW: Readonly<Window> = Object.freeze({ seconds: 100 * 365 * 86_400 });

/**
 * A deep copy of plain data (objects, arrays, strings, numbers, booleans, null: what a cached setting holds), so a
 * caller may change what it got without touching the cache; a few times cheaper than structuredClone for it.
 */
export function copyJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyJson) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyJson((value as Record<string, unknown>)[key]);
  return out as T;
}

export interface Recent<K, V> {
  get(key: K, load: () => Promise<V>): Promise<V>;
}

export interface SettingsCache {
  /** A read-through cache for one kind of setting; emptied whenever any setting changes. */
  recent<K, V>(maxEntries?: number): Recent<K, V>;
  /** Call after a change is committed: empties this process's caches at once and tells the other instances. */
  changed(): Promise<void>;
}

export interface SettingsCacheOptions {
  checkMs?: number;
  maxAgeMs?: number;
  /** The wall clock (not the injectable one of the rules: this is about load). */
  clock?: () => number;
}

/**
 * A settings cache shared by every repository of one process. With `stamps` (the counter store) changes made by other
 * instances are seen within `checkMs`; without it (a lone repository, as in tools) only this process's own changes are.
 */
export function createSettingsCache(stamps?: Pick<CounterStore, 'add' | 'peek'>, opts: SettingsCacheOptions = {}): SettingsCache {
  const checkMs = opts.checkMs ?? SETTINGS_CHECK_MS;
  const maxAgeMs = opts.maxAgeMs ?? SETTINGS_MAX_AGE_MS;
  const clock = opts.clock ?? Date.now;
  const caches = new Set<Map<unknown, { at: number; value: Promise<unknown> }>>();
  let stamp: number | undefined;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<void> | undefined;

  const clearAll = () => {
    for (const c of caches) c.clear();
  };

  /** Reads the stamp when the last read is older than checkMs; a moved (or unreadable) stamp empties every cache. */
  function fresh(): Promise<void> | undefined {
    if (!stamps || clock() - checkedAt < checkMs) return undefined;
    checking ??= stamps
      .peek([{ key: STAMP_KEY, window: STAMP_WINDOW }])
      .then(([n]) => {
        if (n !== stamp) clearAll();
        stamp = n;
        checkedAt = clock();
      })
      .catch(() => {
        // Unknown whether anything changed: read from the database until the stamp can be read again.
        clearAll();
        stamp = undefined;
        checkedAt = clock();
      })
      .finally(() => {
        checking = undefined;
      });
    return checking;
  }

  return {
    recent<K, V>(maxEntries = 1000): Recent<K, V> {
      const entries = new Map<K, { at: number; value: Promise<V> }>();
      caches.add(entries as Map<unknown, { at: number; value: Promise<unknown> }>);
      const read = (key: K, load: () => Promise<V>): Promise<V> => {
        // Nothing is kept while the stamp is unknown (it could not be read).
        const trusted = !stamps || stamp !== undefined;
        const hit = entries.get(key);
        if (hit && trusted && clock() - hit.at < maxAgeMs) return hit.value;
        if (entries.size >= maxEntries) entries.clear();
        const value = load();
        if (trusted) entries.set(key, { at: clock(), value });
        value.catch(() => {
          if (entries.get(key)?.value === value) entries.delete(key);
        });
        return value;
      };
      return {
        get(key, load) {
          const pending = fresh();
          return pending ? pending.then(() => read(key, load)) : read(key, load);
        },
      };
    },

    async changed() {
      clearAll();
      if (!stamps) return;
      try {
        // Emptied again after the bump: whatever is read from now on was read after the change (and any change the
        // bump also covers), so the new stamp needs no second emptying when it is next read.
        stamp = await stamps.add(STAMP_KEY, STAMP_WINDOW);
        checkedAt = clock();
      } catch {
        // The change is committed; other instances see it when the stamp store answers again (or after max age).
        stamp = undefined;
        checkedAt = Number.NEGATIVE_INFINITY;
      }
      clearAll();
    },
  };
}

/** A cache for a repository used on its own (tools, tests): only its own changes, and the max age, refresh it. */
export const localSettingsCache = (): SettingsCache => createSettingsCache();
