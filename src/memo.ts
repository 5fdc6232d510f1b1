// Results of pure, costly work kept per key, for the few distinct inputs a server sees again and again (parsed phone
// numbers, SMS templates, statement texts made from settings).

/**
 * A keeper of `make()`'s results per key, at most `max` of them: when full, everything kept is forgotten at once, so
 * inputs that change over a long run do not pile up. An `undefined` result is kept too; a `make()` that throws keeps
 * nothing.
 */
export function memo<V>(max: number): (key: string, make: () => V) => V {
  const kept = new Map<string, V>();
  return (key, make) => {
    if (kept.has(key)) return kept.get(key) as V;
    const value = make();
    if (kept.size >= max) kept.clear();
    kept.set(key, value);
    return value;
  };
}
