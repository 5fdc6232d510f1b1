// Keeps settings read on every request (SMS connection, SMS factor, clients) for a moment in this process.
// A change made here is seen at once; one made by another instance within SETTINGS_TTL_MS.

export const SETTINGS_TTL_MS = 2000;

export interface Recent<K, V> {
  get(key: K, load: () => Promise<V>): Promise<V>;
  forget(key?: K): void;
}

/** A small read-through cache on the wall clock (not the injectable one: this is about load, not rules). */
export function recent<K, V>(ttlMs = SETTINGS_TTL_MS, maxEntries = 1000): Recent<K, V> {
  const entries = new Map<K, { at: number; value: Promise<V> }>();
  return {
    get(key, load) {
      const hit = entries.get(key);
      if (hit && Date.now() - hit.at < ttlMs) return hit.value;
      if (entries.size >= maxEntries) entries.clear();
      const value = load();
      entries.set(key, { at: Date.now(), value });
      value.catch(() => entries.delete(key));
      return value;
    },
    forget(key) {
      if (key === undefined) entries.clear();
      else entries.delete(key);
    },
  };
}
