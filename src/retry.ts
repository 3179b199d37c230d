/**
 * Retrying and rate limiting: the one list of retryable codes, exponential
 * backoff with full jitter (p-retry) bounded by a deadline, and a token
 * bucket shared by every resource in the provider process.
 */
import pRetry from 'p-retry';
import { randomUUID } from 'node:crypto';
import type { CenApi } from './client';
import { systemClock, type Clock } from './clock';
import { CenApiError } from './errors';

export interface RetryOptions {
  /** Epoch ms (from `clock.now()`) after which no new attempt starts and no backoff sleeps past. */
  deadline: number;
  /** @default systemClock */
  clock?: Clock;
  /** Taken once before every attempt, retries included. */
  limiter?: TokenBucket;
  /** Called before each backoff sleep; `attempt` is the attempt that just failed (1-based). */
  onRetry?: (info: { action: string; attempt: number; error: CenApiError; delayMs: number }) => void;
  /** Backoff base: the first retry waits up to this long. @default 200 */
  minDelayMs?: number;
  /** Backoff cap. @default 5000 */
  maxDelayMs?: number;
}

/**
 * Codes that mean "try the same request again later". The IncorrectStatus
 * codes mean the flow log is mid-transition, which ends by itself.
 */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'Throttling', 'Throttling.User', 'Throttling.Api', 'ServiceUnavailable', 'InternalError',
  'Operation.Blocking', 'LOCK_ERROR', 'IncorrectStatus.flowlog', 'IncorrectStatus.TrFlowlog',
  'RequestTimeout',
]);

/** True for errors a retry can fix: the list above, any Throttling*, any 5xx, any network failure. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof CenApiError)) return false;
  if (err.network) return true;
  if (RETRYABLE_CODES.has(err.code) || err.code.startsWith('Throttling')) return true;
  return err.statusCode !== undefined && err.statusCode >= 500;
}

/**
 * Run `fn` until it succeeds, a non-retryable error occurs, or the next
 * backoff would end past the deadline; then throw the last error, annotated
 * with the number of attempts and the time spent. `fn` must send the same
 * request (same ClientToken) every time.
 */
export async function withRetry<T>(action: string, fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const clock = opts.clock ?? systemClock;
  const minDelay = delayOption('minDelayMs', opts.minDelayMs, 200);
  const maxDelay = delayOption('maxDelayMs', opts.maxDelayMs, 5000);
  if (typeof opts.deadline !== 'number' || Number.isNaN(opts.deadline)) {
    throw new TypeError(`Expected \`deadline\` to be an epoch time in ms, got ${String(opts.deadline)}`);
  }
  const start = clock.now();
  return pRetry(
    async () => {
      await opts.limiter?.take();
      return fn();
    },
    {
      // p-retry counts attempts and decides; the waiting is ours, on the injected clock.
      retries: Number.POSITIVE_INFINITY,
      minTimeout: 0,
      maxTimeout: 0,
      factor: 1,
      onFailedAttempt: async ({ error, attemptNumber }) => {
        if (!(error instanceof CenApiError)) throw error;
        const giveUp = (): never => {
          throw error.annotateAttempts(attemptNumber, clock.now() - start);
        };
        if (!isRetryable(error)) giveUp();
        const cap = Math.min(maxDelay, minDelay * 2 ** Math.min(attemptNumber - 1, 30));
        const delayMs = Math.round(clock.random() * cap);
        if (clock.now() + delayMs >= opts.deadline) giveUp();
        opts.onRetry?.({ action, attempt: attemptNumber, error, delayMs });
        await clock.sleep(delayMs);
      },
    },
  );
}

function delayOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`Expected \`${name}\` to be a non-negative number, got ${String(value)}`);
  }
  return value;
}

/** A token bucket: `ratePerSecond` sustained, bursts up to `burst`. Waiters are served in order. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly ratePerSecond: number, readonly burst: number, private readonly clock: Clock = systemClock) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
      throw new TypeError(`Expected \`ratePerSecond\` to be a positive number, got ${String(ratePerSecond)}`);
    }
    if (!(burst >= 1) || !Number.isFinite(burst)) {
      throw new TypeError(`Expected \`burst\` to be a number >= 1, got ${String(burst)}`);
    }
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Resolves when a request may be sent. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.acquire());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async acquire(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond));
    }
  }
}


type WriteRef = { ClientToken?: string };

/**
 * Every method rate-limited and retried until `opts.deadline`. The request
 * object is reused on every attempt, so a caller-set ClientToken is sent
 * unchanged; a write without one gets one token for all its attempts.
 */
export function resilient(api: CenApi, opts: RetryOptions): CenApi {
  const run = <T>(action: string, fn: () => Promise<T>) => withRetry(action, fn, opts);
  const tokened = <R extends WriteRef>(req: R): R => (req.ClientToken ? req : { ...req, ClientToken: randomUUID() });
  return {
    createFlowlog: (req) => { const r = tokened(req); return run('CreateFlowlog', () => api.createFlowlog(r)); },
    describeFlowlogs: (req) => run('DescribeFlowlogs', () => api.describeFlowlogs(req)),
    modifyFlowLogAttribute: (req) => { const r = tokened(req); return run('ModifyFlowLogAttribute', () => api.modifyFlowLogAttribute(r)); },
    activeFlowLog: (req) => { const r = tokened(req); return run('ActiveFlowLog', () => api.activeFlowLog(r)); },
    deactiveFlowLog: (req) => { const r = tokened(req); return run('DeactiveFlowLog', () => api.deactiveFlowLog(r)); },
    deleteFlowlog: (req) => { const r = tokened(req); return run('DeleteFlowlog', () => api.deleteFlowlog(r)); },
    tagResources: (req) => run('TagResources', () => api.tagResources(req)),
    untagResources: (req) => run('UntagResources', () => api.untagResources(req)),
  };
}
