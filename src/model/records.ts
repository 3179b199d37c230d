/** Small pure helpers over records of our fields. */

/** Unset values (undefined, null) never reach the API or the engine: they drop keys on the wire anyway. */
export function withoutUnset<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** Entries as one record in key order (tags are stored and compared sorted); Object.fromEntries defines own properties, so a `__proto__` key stays a key. */
export function sortedByKey<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
