/**
 * Waiting for a flow log to settle, as the AWS SDK v3 waiters do: a pure
 * "what does this status mean for what I want?" function, and a wait on an
 * injected clock whose reads go through the CEN's shared status loop
 * (statusloop.ts). The wait's own cadence grows with the time waited (about
 * a tenth of it), so it ends within ~10 % of the activation time whatever
 * that is, while the loop keeps the calls flat in the number of waiters.
 */
import type { ApiFlowLog } from '../transport/types';
import { systemClock, type Clock } from '../pacing/clock';
import { FlowlogStatusError, FlowlogWaitTimeoutError, formatDuration } from '../errors';
import { isRetryable } from '../pacing/retry';
import type { StatusLoop } from './statusloop';
import { pollUntil, type Verdict } from './poller';

/** `Settled`: any stable status (Active or Inactive), e.g. after a change of attributes. */
export type WantedState = 'Active' | 'Inactive' | 'Gone' | 'Settled';
export type Outcome = 'done' | 'pending' | 'failed';

/**
 * What `status` means when waiting for `want`. `undefined` = not found.
 * Anything unknown fails fast rather than polling until the deadline.
 */
export function statusOutcome(status: string | undefined, want: WantedState): Outcome {
  if (want === 'Gone') {
    if (status === undefined) return 'done';
    return status === 'Deleting' ? 'pending' : 'failed';
  }
  if (status === want || (want === 'Settled' && (status === 'Active' || status === 'Inactive'))) return 'done';
  if (status === 'Creating' || status === 'Modifying') return 'pending';
  return 'failed';
}

export interface WaitOptions {
  flowLogId: string;
  /** Lets the loop filter its scans by CEN and transit router. */
  cenId?: string;
  transitRouterId?: string;
  want: WantedState;
  /** Epoch ms (from `clock.now()`); the wait ends with a timeout error there. */
  deadline: number;
  /** @default systemClock */
  clock?: Clock;
  /** The status loop of the flow log's region. */
  loop: StatusLoop;
  /**
   * For this long after the wait starts, a wrong-but-stable status (or "not
   * found") counts as pending: the read side may lag the write just made.
   * @default 3000
   */
  settleMs?: number;
  /** Progress lines like `flowlog-abc: Creating (6s)`, at most one per ~5 s. */
  onProgress?: (line: string) => void;
  /** The shortest gap between two reads for this wait (and the first read's delay). @default 250 */
  minGapMs?: number;
  /** The longest gap. @default 5000 */
  maxGapMs?: number;
  /**
   * What kind of transition this is (e.g. `create`), to learn from: once the
   * loop has seen a few, the first read waits for the shortest of them.
   */
  kind?: string;
  /** Ends the wait at once with the signal's reason (the engine's Cancel). */
  signal?: AbortSignal;
}

const PROGRESS_EVERY_MS = 5000;
/** Gap as a share of the time waited: the read after activation comes within this share of it. */
const GAP_SHARE = 0.09;
/** The gap before the next read of a wait that has lasted `waitedMs`. */
export function nextGapMs(waitedMs: number, minGapMs = 250, maxGapMs = 5000): number {
  return Math.min(maxGapMs, Math.max(minGapMs, GAP_SHARE * waitedMs));
}

/**
 * The flow-log acceptor: what a status means for `want`, with the settle
 * window (right after a write, a wrong-but-stable status may be the read side
 * lagging, so it counts as pending for `settleMs`).
 */
export function flowlogAcceptor(flowLogId: string, want: WantedState, settleMs: number) {
  return (flowLog: ApiFlowLog | undefined, waitedMs: number): Verdict<ApiFlowLog | undefined> => {
    const outcome = statusOutcome(flowLog?.Status, want);
    if (outcome === 'done') return { state: 'done', result: flowLog };
    if (outcome === 'failed' && waitedMs >= settleMs) {
      return { state: 'failed', error: new FlowlogStatusError(flowLogId, flowLog?.Status, want, waitedMs) };
    }
    return { state: 'pending' };
  };
}

/** Poll until the flow log reaches `want`. Resolves with it (undefined for Gone). */
export async function waitForStatus(opts: WaitOptions): Promise<ApiFlowLog | undefined> {
  const clock = opts.clock ?? systemClock;
  const { flowLogId, want, loop, kind } = opts;
  const gap = (waitedMs: number) => nextGapMs(waitedMs, opts.minGapMs, opts.maxGapMs);
  const learned = kind === undefined ? undefined : loop.typicalMinimum(kind);
  const accept = flowlogAcceptor(flowLogId, want, opts.settleMs ?? 3000);
  let lastProgress = 0;
  return pollUntil({
    clock,
    deadline: opts.deadline,
    signal: opts.signal,
    gap,
    // A wait of a kind seen before first reads when the fastest recent one was seen done. That time is its true
    // duration plus at most one gap (≤ 9 %), so a wait as fast as the fastest recent one still ends within the
    // overshoot target, and most waits of a steady service need one read. (Reading from 80 % of it, eight creates
    // started in turn under `pulumi up`'s default parallelism kept the loop reading every 250 ms.)
    firstDelayMs: learned === undefined ? undefined : Math.max(gap(0), learned),
    read: (dueAt) => loop.observe(flowLogId, dueAt, opts.transitRouterId, opts.cenId),
    transient: isRetryable,
    accept: (flowLog, waitedMs) => {
      const verdict = accept(flowLog, waitedMs);
      if (verdict.state === 'done' && kind !== undefined) loop.recordDuration(kind, waitedMs);
      return verdict;
    },
    onPending: (flowLog, waitedMs) => {
      if (!opts.onProgress || waitedMs - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = waitedMs;
      opts.onProgress(`${flowLogId}: ${flowLog?.Status ?? 'not found'} (${formatDuration(waitedMs)})`);
    },
    onTimeout: ({ state, error, waitedMs }) => new FlowlogWaitTimeoutError(flowLogId, state?.Status, waitedMs, want, error),
  });
}
