/**
 * Waiting for a flow log to settle, as the AWS SDK v3 waiters do: a pure
 * "what does this status mean for what I want?" function, and a wait on an
 * injected clock whose reads go through the CEN's shared status loop
 * (statusloop.ts). The wait's own cadence grows with the time waited (about
 * a tenth of it), so it ends within ~10 % of the activation time whatever
 * that is, while the loop keeps the calls flat in the number of waiters.
 */
import type { ApiFlowLog } from './client';
import { systemClock, type Clock } from './clock';
import { FlowlogStatusError, FlowlogWaitTimeoutError, formatDuration } from '../errors';
import { isRetryable } from './retry';
import type { StatusLoop } from './statusloop';

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
  /** Lets the loop filter its scans by transit router. */
  transitRouterId?: string;
  want: WantedState;
  /** Epoch ms (from `clock.now()`); the wait ends with a timeout error there. */
  deadline: number;
  /** @default systemClock */
  clock?: Clock;
  /** The status loop of the flow log's (region, CEN). */
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
   * loop has seen a few, the first read waits for most of the shortest of them.
   */
  kind?: string;
}

const PROGRESS_EVERY_MS = 5000;
/** Gap as a share of the time waited: the read after activation comes within this share of it. */
const GAP_SHARE = 0.09;
/** The first read of a wait of a kind seen before comes at this share of its shortest recent time. */
const LEARNED_SHARE = 0.8;

/** The gap before the next read of a wait that has lasted `waitedMs`. */
export function nextGapMs(waitedMs: number, minGapMs = 250, maxGapMs = 5000): number {
  return Math.min(maxGapMs, Math.max(minGapMs, GAP_SHARE * waitedMs));
}

/** Poll until the flow log reaches `want`. Resolves with it (undefined for Gone). */
export async function waitForStatus(opts: WaitOptions): Promise<ApiFlowLog | undefined> {
  const clock = opts.clock ?? systemClock;
  const { flowLogId, want, deadline } = opts;
  const settleMs = opts.settleMs ?? 3000;
  const start = clock.now();
  const learned = opts.kind === undefined ? undefined : opts.loop.typicalMinimum(opts.kind);
  let lastRead = start;
  let first = true;
  let lastStatus: string | undefined;
  let lastError: unknown;
  let lastProgress = start;
  const timeout = () => new FlowlogWaitTimeoutError(flowLogId, lastStatus, clock.now() - start, want, lastError);

  for (;;) {
    const gap = nextGapMs(lastRead - start, opts.minGapMs, opts.maxGapMs);
    const dueAt = Math.min(deadline, first && learned !== undefined ? start + Math.max(gap, LEARNED_SHARE * learned) : lastRead + gap);
    first = false;
    if (clock.now() >= deadline) throw timeout();
    let flowLog: ApiFlowLog | undefined;
    try {
      const seen = await beforeDeadline(opts.loop.observe(flowLogId, dueAt, opts.transitRouterId), deadline, clock);
      if (seen === TIMED_OUT) throw timeout();
      flowLog = seen;
      lastError = undefined;
    } catch (err) {
      if (err instanceof FlowlogWaitTimeoutError || !isRetryable(err)) throw err;
      lastError = err;
      lastRead = clock.now();
      continue;
    }
    const now = clock.now();
    lastRead = now;
    lastStatus = flowLog?.Status;
    const outcome = statusOutcome(lastStatus, want);
    if (outcome === 'done') {
      if (opts.kind !== undefined) opts.loop.recordDuration(opts.kind, now - start);
      return flowLog;
    }
    if (outcome === 'failed' && now - start >= settleMs) {
      throw new FlowlogStatusError(flowLogId, lastStatus, want, now - start);
    }
    if (opts.onProgress && now - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now;
      opts.onProgress(`${flowLogId}: ${lastStatus ?? 'not found'} (${formatDuration(now - start)})`);
    }
  }
}

const TIMED_OUT: unique symbol = Symbol('timed out');

/** The promise's value, or TIMED_OUT when the deadline comes first. */
async function beforeDeadline<T>(p: Promise<T>, deadline: number, clock: Clock): Promise<T | typeof TIMED_OUT> {
  const stop = new AbortController();
  const timer = clock.sleep(Math.max(0, deadline - clock.now()), stop.signal)
    .then((): typeof TIMED_OUT => TIMED_OUT, (): typeof TIMED_OUT => TIMED_OUT);
  try {
    return await Promise.race([p, timer]);
  } finally {
    stop.abort();
  }
}
