/** Small pure helpers over records of our fields. */

/** Unset values (undefined, null) never reach the API or the engine: they drop keys on the wire anyway. */
export function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}
