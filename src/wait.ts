/**
 * Waiting for a flow log to settle, as the AWS SDK v3 waiters do: a pure
 * "what does this status mean for what I want?" function, a polling loop on
 * an injected clock, and a poller that coalesces the Describe calls of
 * concurrent waiters on the same CEN instance.
 */
import type { ApiFlowLog, CenApi } from './client';
import { systemClock, type Clock } from './clock';
import { FlowlogStatusError, FlowlogWaitTimeoutError, formatDuration } from './errors';
import { isRetryable } from './retry';

export type WantedState = 'Active' | 'Inactive' | 'Gone';
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
  if (status === want) return 'done';
  if (status === 'Creating' || status === 'Modifying') return 'pending';
  return 'failed';
}

interface Ask { id: string; resolve: (f: ApiFlowLog | undefined) => void; reject: (e: unknown) => void }

export interface PollerOptions {
  /**
   * How long a batch stays open after its first `get`, so waiters whose
   * timers fire close together share a Describe. 0 = the same event-loop turn.
   * @default 100
   */
  batchWindowMs?: number;
  /** DescribeFlowlogs page size when several ids are asked. @default 20 */
  pageSize?: number;
}

/**
 * Coalesces concurrent reads: every `get` for the same (region, CEN) made
 * within one batch window shares one DescribeFlowlogs (by FlowLogId when one
 * id is asked, else by CenId, paging until all are found). A batch's Describe
 * starts after every one of its `get`s, so no caller sees a read older than
 * its own request. It does not retry: give it the plain client and let the
 * waiter poll again on a transient error. The provider owns one per client
 * and credentials (session.ts).
 */
export class StatusPoller {
  private readonly batches = new Map<string, Ask[]>();
  private readonly batchWindowMs: number;
  private readonly pageSize: number;
  /** How many DescribeFlowlogs calls this poller made (for tests and benchmarks). */
  describeCalls = 0;

  constructor(private readonly api: CenApi, private readonly clock: Clock = systemClock, options: PollerOptions = {}) {
    this.batchWindowMs = options.batchWindowMs ?? 100;
    this.pageSize = options.pageSize ?? 20;
    if (!(this.batchWindowMs >= 0) || !Number.isFinite(this.batchWindowMs)) {
      throw new TypeError(`Expected \`batchWindowMs\` to be >= 0, got ${String(options.batchWindowMs)}`);
    }
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) {
      throw new TypeError(`Expected \`pageSize\` to be a positive integer, got ${String(options.pageSize)}`);
    }
  }

  get(regionId: string, cenId: string | undefined, flowLogId: string): Promise<ApiFlowLog | undefined> {
    const key = JSON.stringify([regionId, cenId ?? null]);
    return new Promise((resolve, reject) => {
      let batch = this.batches.get(key);
      if (!batch) {
        batch = [];
        this.batches.set(key, batch);
        const asks = batch;
        const flush = () => {
          this.batches.delete(key);
          void this.flush(regionId, cenId, asks);
        };
        if (this.batchWindowMs === 0) setImmediate(flush);
        else void this.clock.sleep(this.batchWindowMs).then(flush);
      }
      batch.push({ id: flowLogId, resolve, reject });
    });
  }

  private async flush(regionId: string, cenId: string | undefined, asks: Ask[]): Promise<void> {
    try {
      const found = await this.fetch(regionId, cenId, new Set(asks.map((a) => a.id)));
      for (const a of asks) a.resolve(found.get(a.id));
    } catch (err) {
      for (const a of asks) a.reject(err);
    }
  }

  private async fetch(regionId: string, cenId: string | undefined, ids: Set<string>): Promise<Map<string, ApiFlowLog>> {
    const found = new Map<string, ApiFlowLog>();
    const keep = (list: ApiFlowLog[]) => list.filter((f) => ids.has(f.FlowLogId)).forEach((f) => found.set(f.FlowLogId, f));
    if (ids.size === 1) {
      const [only] = ids;
      this.describeCalls++;
      keep((await this.api.describeFlowlogs({ RegionId: regionId, CenId: cenId, FlowLogId: only })).flowLogs);
      return found;
    }
    for (let page = 1; found.size < ids.size; page++) {
      this.describeCalls++;
      const res = await this.api.describeFlowlogs({ RegionId: regionId, CenId: cenId, PageNumber: page, PageSize: this.pageSize });
      keep(res.flowLogs);
      if (res.flowLogs.length === 0 || page * res.pageSize >= res.totalCount) break;
    }
    return found;
  }
}


export interface WaitOptions {
  regionId: string;
  cenId?: string;
  flowLogId: string;
  want: WantedState;
  /** Epoch ms (from `clock.now()`); no sleep ends past it. */
  deadline: number;
  /** @default systemClock */
  clock?: Clock;
  poller: StatusPoller;
  /**
   * For this long after the wait starts, a wrong-but-stable status (or "not
   * found") counts as pending: the read side may lag the write just made.
   * @default 3000
   */
  settleMs?: number;
  /** Progress lines like `flowlog-abc: Creating (6s)`, at most one per ~5 s. */
  onProgress?: (line: string) => void;
  /** @default 250 */
  firstDelayMs?: number;
  /** @default 5000 */
  maxDelayMs?: number;
}

const PROGRESS_EVERY_MS = 5000;

/** Poll until the flow log reaches `want`. Resolves with it (undefined for Gone). */
export async function waitForStatus(opts: WaitOptions): Promise<ApiFlowLog | undefined> {
  const clock = opts.clock ?? systemClock;
  const { flowLogId, want, deadline } = opts;
  const settleMs = opts.settleMs ?? 3000;
  const maxDelay = opts.maxDelayMs ?? 5000;
  const start = clock.now();
  let delay = opts.firstDelayMs ?? 250;
  let lastStatus: string | undefined;
  let lastError: unknown;
  let lastProgress = start;

  for (;;) {
    const jittered = Math.min(maxDelay, delay * (0.8 + 0.4 * clock.random()));
    const sleepMs = Math.min(jittered, deadline - clock.now());
    if (sleepMs <= 0) throw new FlowlogWaitTimeoutError(flowLogId, lastStatus, clock.now() - start, want, lastError);
    await clock.sleep(sleepMs);
    delay = Math.min(maxDelay, delay * 1.5);

    let flowLog: ApiFlowLog | undefined;
    try {
      flowLog = await opts.poller.get(opts.regionId, opts.cenId, flowLogId);
      lastError = undefined;
    } catch (err) {
      if (!isRetryable(err)) throw err;
      lastError = err;
      continue;
    }
    lastStatus = flowLog?.Status;
    const now = clock.now();
    const outcome = statusOutcome(lastStatus, want);
    if (outcome === 'done') return flowLog;
    if (outcome === 'failed' && now - start >= settleMs) {
      throw new FlowlogStatusError(flowLogId, lastStatus, want, now - start);
    }
    if (opts.onProgress && now - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now;
      opts.onProgress(`${flowLogId}: ${lastStatus ?? 'not found'} (${formatDuration(now - start)})`);
    }
  }
}
