/**
 * Retrying: the one list of retryable codes, and exponential backoff with full
 * jitter bounded by a deadline, on the injected clock. Every attempt takes a token from the
 * account's adaptive budget (budget.ts) and tells it how the answer went; no
 * attempt outlives the deadline (its HTTP timeout is what is left of it).
 */
import { randomUUID } from 'node:crypto';
import type { AdaptiveBudget, Lane } from './budget';
import type { CallOptions, CenApi } from '../transport/types';
import { systemClock, type Clock } from './clock';
import { numberOption, type NumberRule } from '../model/options';
import { CenApiError } from '../errors';

const NON_NEGATIVE: NumberRule = { sign: 'non-negative' };

export interface RetryOptions {
  /** Epoch ms (from `clock.now()`) after which no new attempt starts and no attempt or backoff runs past. */
  deadline: number;
  /** @default systemClock */
  clock?: Clock;
  /** Taken once before every attempt, retries included, and told of every answer. */
  budget?: AdaptiveBudget;
  /** The budget lane: status reads go before writes. @default 'write' */
  lane?: Lane;
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
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
  'ServiceUnavailable',
  'InternalError',
  'Operation.Blocking',
  'LOCK_ERROR',
  'IncorrectStatus.flowlog',
  'IncorrectStatus.TrFlowlog',
  'RequestTimeout',
]);

/** True for errors a retry can fix: the list above, any Throttling*, any 5xx, any network failure. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof CenApiError)) return false;
  if (err.network) return true;
  if (RETRYABLE_CODES.has(err.code) || isThrottling(err)) return true;
  return err.statusCode !== undefined && err.statusCode >= 500;
}

export function isThrottling(err: unknown): boolean {
  return err instanceof CenApiError && err.code.startsWith('Throttling');
}

/**
 * True when a failed write may still have happened: no answer (network,
 * timeout) or a 5xx. The caller must look before it concludes nothing exists.
 */
export function mayHaveCommitted(err: unknown): boolean {
  if (!(err instanceof CenApiError)) return false;
  return err.outcomeUnknown === true || unanswered(err);
}

function unanswered(err: CenApiError): boolean {
  return err.network || err.code === 'RequestTimeout' || (err.statusCode !== undefined && err.statusCode >= 500);
}

/** The one error for "the operation's deadline came": before a send, or while the budget held the request back. */
export const deadlineExceeded = (action: string): CenApiError => new CenApiError({ action, code: 'DeadlineExceeded' });

/**
 * One request through the budget: wait for a token (until `until.deadline` at the
 * latest: then it rejects with DeadlineExceeded, nothing sent), send, report the answer.
 */
export async function metered<T>(
  budget: AdaptiveBudget | undefined,
  lane: Lane,
  fn: () => Promise<T>,
  until?: { deadline: number; action: string },
): Promise<T> {
  let sentAt = 0;
  if (budget) {
    const granted = until ? await budget.take(lane, until.deadline) : await budget.take(lane);
    if (granted === undefined) throw deadlineExceeded(until?.action ?? '');
    sentAt = granted;
  }
  try {
    const result = await fn();
    budget?.onSuccess();
    return result;
  } catch (err) {
    if (isThrottling(err)) budget?.onThrottle(sentAt, (err as CenApiError).retryAfterMs);
    else if (err instanceof CenApiError && err.statusCode !== undefined)
      budget?.onSuccess(); // answered: not a rate signal
    else budget?.onUnanswered();
    throw err;
  }
}

/**
 * Run `fn` until it succeeds, a non-retryable error occurs, or the deadline
 * comes; then throw the last error, with the number of attempts and the time
 * spent. `fn` must send the same request (same ClientToken) every time, with
 * the per-attempt timeout it is given.
 *
 * The loop is ours rather than a library's: every backoff sleeps on the
 * injected clock (the budget and the waits share it, and tests run minutes of
 * retries in virtual time), a throttled attempt waits what the service named,
 * and no sleep runs past the deadline. p-retry's timers are real ones and its
 * backoff knows neither the budget nor the deadline, so it only ever counted.
 */
export async function withRetry<T>(action: string, fn: (call: CallOptions) => Promise<T>, opts: RetryOptions): Promise<T> {
  const clock = opts.clock ?? systemClock;
  const minDelay = numberOption('minDelayMs', opts.minDelayMs, 200, NON_NEGATIVE);
  const maxDelay = numberOption('maxDelayMs', opts.maxDelayMs, 5000, NON_NEGATIVE);
  if (typeof opts.deadline !== 'number' || Number.isNaN(opts.deadline)) {
    throw new TypeError(`Expected \`deadline\` to be an epoch time in ms, got ${String(opts.deadline)}`);
  }
  const { deadline } = opts;
  const start = clock.now();
  let lastSent: CenApiError | undefined;
  let uncertain = false;
  let sent = 0;
  for (let attempt = 1; ; attempt++) {
    let error: unknown;
    try {
      return await metered(
        opts.budget,
        opts.lane ?? 'write',
        () => {
          const left = deadline - clock.now();
          if (left <= 0) throw deadlineExceeded(action); // never send what cannot finish in time
          return fn({ timeoutMs: left });
        },
        { deadline, action },
      );
    } catch (err) {
      error = err;
    }
    if (!(error instanceof CenApiError)) throw error;
    const expired = error.code === 'DeadlineExceeded';
    if (!expired) {
      lastSent = error;
      sent++;
      uncertain ||= unanswered(error);
    }
    const delayMs = expired || !isRetryable(error) ? undefined : backoff(error, attempt);
    if (delayMs === undefined || clock.now() + delayMs >= deadline) {
      // Deadline before sending: the last answer the service gave is the useful error, when there is one.
      const last = expired && lastSent ? lastSent : error;
      throw last.gaveUp({ attempts: sent, elapsedMs: clock.now() - start, outcomeUnknown: uncertain });
    }
    opts.onRetry?.({ action, attempt, error, delayMs });
    await clock.sleep(delayMs);
  }

  /** A throttled attempt waits what the service named (the budget has already slowed down); others back off with full jitter. */
  function backoff(error: CenApiError, attempt: number): number {
    if (isThrottling(error) && opts.budget) return Math.round(error.retryAfterMs ?? 0);
    const cap = Math.min(maxDelay, minDelay * 2 ** Math.min(attempt - 1, 30));
    return Math.max(Math.round(clock.random() * cap), error.retryAfterMs ?? 0);
  }
}

type WriteRef = { ClientToken?: string };

/**
 * Every method budgeted and retried until `opts.deadline`. The request
 * object is reused on every attempt, so a caller-set ClientToken is sent
 * unchanged; a write without one gets one token for all its attempts.
 * Reads go in the budget's poll lane.
 */
export function resilient(api: CenApi, opts: RetryOptions): CenApi {
  const run = <T>(action: string, fn: (call: CallOptions) => Promise<T>) => withRetry(action, fn, opts);
  const read = <T>(action: string, fn: (call: CallOptions) => Promise<T>) => withRetry(action, fn, { ...opts, lane: 'poll' });
  const write = <R extends WriteRef, T>(action: string, req: R, fn: (req: R, call: CallOptions) => Promise<T>) => {
    const r: R = req.ClientToken ? req : { ...req, ClientToken: randomUUID() };
    return run(action, (c) => fn(r, c));
  };
  return {
    createFlowlog: (req) => write('CreateFlowlog', req, (r, c) => api.createFlowlog(r, c)),
    describeFlowlogs: (req) => read('DescribeFlowlogs', (c) => api.describeFlowlogs(req, c)),
    modifyFlowLogAttribute: (req) => write('ModifyFlowLogAttribute', req, (r, c) => api.modifyFlowLogAttribute(r, c)),
    activeFlowLog: (req) => write('ActiveFlowLog', req, (r, c) => api.activeFlowLog(r, c)),
    deactiveFlowLog: (req) => write('DeactiveFlowLog', req, (r, c) => api.deactiveFlowLog(r, c)),
    deleteFlowlog: (req) => write('DeleteFlowlog', req, (r, c) => api.deleteFlowlog(r, c)),
    tagResources: (req) => run('TagResources', (c) => api.tagResources(req, c)),
    untagResources: (req) => run('UntagResources', (c) => api.untagResources(req, c)),
  };
}
