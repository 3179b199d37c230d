/**
 * A generic poll loop, as the AWS SDK v3 waiters have one
 * (`util-waiter/src/poller.ts`): read, ask the acceptor what the state means,
 * wait the cadence's gap, read again, until done, failed or the deadline.
 * It knows nothing of flow logs; wait.ts gives it the flow-log acceptor.
 */
import { systemClock, type Clock } from '../pacing/clock';

/** What the acceptor says of one state. */
export type Verdict<R> = { state: 'done'; result: R } | { state: 'pending' } | { state: 'failed'; error: Error };

export interface PollOptions<T, R> {
  /** Reads the state; `dueAt` is when the read is due (a shared loop may serve it sooner). */
  read(dueAt: number): Promise<T>;
  /** What the state means after `waitedMs`. */
  accept(state: T, waitedMs: number): Verdict<R>;
  /** A read error worth reading again for (anything else is thrown at once). */
  transient(err: unknown): boolean;
  /** The gap before the next read, given the time waited so far. */
  gap(waitedMs: number): number;
  /** The first read's delay, when it should differ from `gap(0)`; no read of this wait is due before it. */
  firstDelayMs?: number;
  /** Epoch ms (from `clock.now()`); the error of `onTimeout` is thrown there. */
  deadline: number;
  /** The error for a wait that reached its deadline. */
  onTimeout(last: { state?: T; error?: unknown; waitedMs: number }): Error;
  /** Called with each state that is still pending. */
  onPending?(state: T, waitedMs: number): void;
  /** @default systemClock */
  clock?: Clock;
  /** Ends the wait at once with the signal's reason (the engine's Cancel), instead of at the deadline. */
  signal?: AbortSignal;
}

export async function pollUntil<T, R>(o: PollOptions<T, R>): Promise<R> {
  const clock = o.clock ?? systemClock;
  const start = clock.now();
  const last: { state?: T; error?: unknown } = {};
  const timeout = () => o.onTimeout({ ...last, waitedMs: clock.now() - start });
  const firstDueAt = start + (o.firstDelayMs ?? o.gap(0));
  let dueAt = firstDueAt;
  // One deadline timer for the whole wait, not one per read: a thousand waits read every tick, and a timer,
  // an AbortController and an abort error per read outlived the young generation and grew the old one.
  const ends = deadlineOf(o.deadline, clock, o.signal);
  try {
    for (;;) {
      o.signal?.throwIfAborted();
      if (clock.now() >= o.deadline) throw timeout();
      let read: { state: T } | typeof TIMED_OUT | undefined;
      try {
        read = await ends.race(o.read(Math.min(o.deadline, dueAt)));
      } catch (err) {
        if (!o.transient(err)) throw err;
        last.error = err;
      }
      if (read === TIMED_OUT) throw timeout();
      const now = clock.now();
      // A read may be answered before it is due (a shared status loop's scan serves every waiter): that answer is
      // a bonus, and does not bring the next read before the first one this wait planned.
      dueAt = Math.max(firstDueAt, now + o.gap(now - start));
      if (read === undefined) continue;
      last.state = read.state;
      last.error = undefined;
      const verdict = o.accept(read.state, now - start);
      if (verdict.state === 'done') return verdict.result;
      if (verdict.state === 'failed') throw verdict.error;
      o.onPending?.(read.state, now - start);
    }
  } finally {
    ends.stop();
  }
}

const TIMED_OUT: unique symbol = Symbol('timed out');

/** The reason the deadline timer is stopped with: a constant, so stopping allocates no abort error with its stack. */
const STOPPED: unique symbol = Symbol('wait over');

/**
 * The wait's deadline, raced by each read in turn: `race` gives the read's state, or TIMED_OUT once the deadline
 * comes; `cancel` rejects the read in flight with its reason. `stop` ends the timer.
 */
function deadlineOf(deadline: number, clock: Clock, cancel?: AbortSignal) {
  const stop = new AbortController();
  let ended: { timedOut: true } | { error: unknown } | undefined;
  let current: { resolve(v: typeof TIMED_OUT): void; reject(e: unknown): void } | undefined;
  const end = (how: { timedOut: true } | { error: unknown }) => {
    if (ended) return;
    ended = how;
    if ('error' in how) current?.reject(how.error);
    else current?.resolve(TIMED_OUT);
  };
  clock.sleep(Math.max(0, deadline - clock.now()), cancel ? AbortSignal.any([stop.signal, cancel]) : stop.signal).then(
    () => end({ timedOut: true }),
    () => {
      if (!stop.signal.aborted) end(cancel?.aborted ? { error: cancel.reason } : { timedOut: true });
    },
  );
  return {
    race<T>(p: Promise<T>): Promise<{ state: T } | typeof TIMED_OUT> {
      return new Promise((resolve, reject) => {
        const settle = () => {
          if (current?.resolve === resolve) current = undefined;
        };
        p.then(
          (state) => {
            settle();
            resolve({ state });
          },
          (err: unknown) => {
            settle();
            reject(err);
          },
        );
        if (ended) {
          if ('error' in ended) reject(ended.error);
          else resolve(TIMED_OUT);
          return;
        }
        current = { resolve, reject };
      });
    },
    stop: () => stop.abort(STOPPED),
  };
}
