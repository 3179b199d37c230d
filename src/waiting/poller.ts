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
  for (;;) {
    o.signal?.throwIfAborted();
    if (clock.now() >= o.deadline) throw timeout();
    let read: { state: T } | typeof TIMED_OUT | undefined;
    try {
      read = await beforeDeadline(
        o.read(Math.min(o.deadline, dueAt)).then((state) => ({ state })),
        o.deadline,
        clock,
        o.signal,
      );
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
}

const TIMED_OUT: unique symbol = Symbol('timed out');

/** The promise's value, or TIMED_OUT when the deadline comes first; `cancel` rejects with its reason. */
async function beforeDeadline<T>(p: Promise<T>, deadline: number, clock: Clock, cancel?: AbortSignal): Promise<T | typeof TIMED_OUT> {
  const stop = new AbortController();
  const timer = clock.sleep(Math.max(0, deadline - clock.now()), cancel ? AbortSignal.any([stop.signal, cancel]) : stop.signal).then(
    (): typeof TIMED_OUT => TIMED_OUT,
    (): typeof TIMED_OUT => {
      if (cancel?.aborted && !stop.signal.aborted) throw cancel.reason;
      return TIMED_OUT;
    },
  );
  try {
    return await Promise.race([p, timer]);
  } finally {
    stop.abort();
  }
}
