/**
 * Time, sleeping and randomness behind one seam, so retry, rate-limit and
 * wait logic can be tested against virtual time (see test/fixtures/fake-clock.ts)
 * without real sleeps.
 */
export interface Clock {
  /** Milliseconds since the epoch, as `Date.now()`. */
  now(): number;
  /**
   * Resolve after `ms` milliseconds. Rejects with the signal's reason when
   * `signal` aborts first.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A number in [0, 1), as `Math.random()`; jitter goes through here. */
  random(): number;
}

/** The real clock: `Date.now`, `setTimeout`, `Math.random`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
