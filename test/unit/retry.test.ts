import { CenApiError } from '../../src/errors';
import { AdaptiveBudget } from '../../src/pacing/budget';
import { isRetryable, isThrottling, mayHaveCommitted, metered, resilient, RETRYABLE_CODES, withRetry } from '../../src/pacing/retry';
import { FakeClock } from '../fixtures/fake-clock';
import { apiError, FakeCenApi, networkError } from '../fixtures/fake-api';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

describe('isRetryable', () => {
  it.each([
    ['Throttling', 400],
    ['Throttling.User', 400],
    ['Throttling.Api', 400],
    ['Throttling.Something', 400],
    ['ServiceUnavailable', 503],
    ['InternalError', 500],
    ['Operation.Blocking', 400],
    ['LOCK_ERROR', 400],
    ['IncorrectStatus.flowlog', 400],
    ['IncorrectStatus.TrFlowlog', 400],
    ['SomethingNew', 502],
  ])('retries %s (HTTP %d)', (code, status) => {
    expect(isRetryable(apiError(code, status))).toBe(true);
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'RequestTimeout', 'EPIPE'])('retries the network error %s', (code) => {
    expect(isRetryable(networkError(code))).toBe(true);
  });

  it.each([
    ['SignatureDoesNotMatch', 400],
    ['InvalidAccessKeyId.NotFound', 404],
    ['InvalidTimeStamp.Expired', 400],
    ['Unauthorized', 400],
    ['NoPermission.AliyunServiceRoleForTRFlowLog', 403],
    ['Forbidden.RAM', 403],
    ['InvalidParameter', 400],
    ['InvalidParameter.CenId', 400],
    ['MissingParameter', 400],
    ['Flowlog.AlreayExist', 400],
    ['InvalidFlowlogId.NotFound', 400],
    ['QuotaExceeded.FlowlogCount', 400],
    ['IdempotentParameterMismatch', 400],
    ['CredentialsNotFound', undefined],
  ])('never retries %s', (code, status) => {
    expect(isRetryable(apiError(code, status as number))).toBe(false);
  });

  it('never retries errors that are not CenApiError', () => {
    expect(isRetryable(new Error('boom'))).toBe(false);
    expect(isRetryable({ code: 'Throttling' })).toBe(false);
    expect(isRetryable(undefined)).toBe(false);
  });
});

describe('withRetry', () => {
  const deadlineIn = (clock: FakeClock, ms: number) => clock.now() + ms;

  it.each([...RETRYABLE_CODES].map((c) => [c]))('retries %s until it succeeds', async (code) => {
    const clock = new FakeClock();
    let n = 0;
    const result = await withRetry(
      'Op',
      async () => {
        if (++n < 3) throw apiError(code);
        return 'ok';
      },
      { deadline: deadlineIn(clock, 60_000), clock },
    );
    expect(result).toBe('ok');
    expect(n).toBe(3);
  });

  it('throws a non-retryable error at once, without sleeping', async () => {
    const clock = new FakeClock();
    let n = 0;
    await expect(
      withRetry(
        'Op',
        async () => {
          n++;
          throw apiError('InvalidParameter.CenId');
        },
        { deadline: deadlineIn(clock, 60_000), clock },
      ),
    ).rejects.toMatchObject({ code: 'InvalidParameter.CenId' });
    expect(n).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('backs off exponentially with full jitter, capped', async () => {
    const clock = new FakeClock(undefined, () => 0.999);
    let n = 0;
    await withRetry(
      'Op',
      async () => {
        if (++n <= 7) throw apiError('Throttling.User');
        return n;
      },
      { deadline: deadlineIn(clock, 600_000), clock, minDelayMs: 200, maxDelayMs: 5000 },
    );
    expect(clock.sleeps).toEqual([200, 400, 799, 1598, 3197, 4995, 4995]);
  });

  it('gives up before sleeping past the deadline, naming attempts and time', async () => {
    const clock = new FakeClock();
    const deadline = deadlineIn(clock, 10_000);
    let n = 0;
    const err = await withRetry(
      'DeleteFlowlog',
      async () => {
        n++;
        throw apiError('ServiceUnavailable', 503, 'DeleteFlowlog', 'REQ-LAST');
      },
      { deadline, clock },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CenApiError);
    const e = err as CenApiError;
    expect(clock.now()).toBeLessThanOrEqual(deadline);
    expect(e.attempts).toBe(n);
    expect(n).toBeGreaterThan(3);
    expect(e.message).toContain(`Gave up after ${n} attempts`);
    expect(e.message).toContain('REQ-LAST');
  });

  it("leaves every attempt's error as it was built, and gives up with a new one that keeps its cause", async () => {
    const clock = new FakeClock();
    const thrown: CenApiError[] = [];
    const cause = new Error('socket hang up');
    const err = await withRetry(
      'DeleteFlowlog',
      async () => {
        const e = new CenApiError({ action: 'DeleteFlowlog', code: 'ECONNRESET', network: true, originalError: cause });
        thrown.push(e);
        throw e;
      },
      { deadline: deadlineIn(clock, 5_000), clock },
    ).catch((e: unknown) => e as CenApiError);
    expect(thrown.length).toBeGreaterThan(1);
    for (const e of thrown)
      expect({ attempts: e.attempts, outcomeUnknown: e.outcomeUnknown, gaveUp: e.message.includes('Gave up') }).toEqual({
        attempts: undefined,
        outcomeUnknown: undefined,
        gaveUp: false,
      });
    expect(err).toBeInstanceOf(CenApiError);
    expect({ code: err.code, attempts: err.attempts, outcomeUnknown: err.outcomeUnknown, cause: err.cause }).toEqual({
      code: 'ECONNRESET',
      attempts: thrown.length,
      outcomeUnknown: true,
      cause,
    });
    expect(err.message).toContain(`Gave up after ${thrown.length} attempts`);
  });

  it('reports a deadline that came while the budget held the request back as one CenApiError DeadlineExceeded, nothing sent', async () => {
    const clock = new FakeClock();
    const budget = new AdaptiveBudget({ maxRate: 1, minRate: 1, initialRate: 1 }, clock);
    await budget.take('write');
    let sent = 0;
    const err = (await withRetry(
      'CreateFlowlog',
      async () => {
        sent++;
        return 'never';
      },
      { deadline: deadlineIn(clock, 100), clock, budget },
    ).catch((e: unknown) => e)) as CenApiError;
    expect(err).toBeInstanceOf(CenApiError);
    expect({ name: err.name, code: err.code, action: err.action, sent }).toEqual({
      name: 'CenApiError',
      code: 'DeadlineExceeded',
      action: 'CreateFlowlog',
      sent: 0,
    });
  });

  it('sends the same ClientToken on every attempt', async () => {
    const clock = new FakeClock();
    const api = new FakeCenApi().failNext('createFlowlog', networkError('ECONNRESET'), apiError('Throttling.User'));
    const wrapped = resilient(api, { deadline: deadlineIn(clock, 60_000), clock });
    const req = { RegionId: 'cn-hangzhou', CenId: 'cen-1', ClientToken: 'token-1' };
    const { flowLogId } = await wrapped.createFlowlog(req);
    const tokens = api.calls.filter((c) => c.method === 'createFlowlog').map((c) => (c.req as { ClientToken: string }).ClientToken);
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
    expect(api.flowLogs.size).toBe(1);
    expect(api.flowLogs.has(flowLogId)).toBe(true);
  });

  it('gives a write without a ClientToken one token for all its attempts', async () => {
    const clock = new FakeClock();
    const api = new FakeCenApi().failNext('deleteFlowlog', networkError('ETIMEDOUT'), networkError('ECONNRESET'));
    api.add({ FlowLogId: 'flowlog-1' });
    await resilient(api, { deadline: deadlineIn(clock, 60_000), clock }).deleteFlowlog({ RegionId: 'cn-hangzhou', FlowLogId: 'flowlog-1' });
    const tokens = api.calls.map((c) => (c.req as { ClientToken?: string }).ClientToken);
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports each retry through onRetry', async () => {
    const clock = new FakeClock();
    const seen: string[] = [];
    let n = 0;
    await withRetry(
      'Op',
      async () => {
        if (++n < 3) throw apiError('LOCK_ERROR');
      },
      { deadline: deadlineIn(clock, 60_000), clock, onRetry: (i) => seen.push(`${i.action}#${i.attempt}:${i.error.code}`) },
    );
    expect(seen).toEqual(['Op#1:LOCK_ERROR', 'Op#2:LOCK_ERROR']);
  });

  it('rejects bad options up front', async () => {
    await expect(withRetry('Op', async () => 1, { deadline: NaN })).rejects.toThrow('Expected `deadline`');
    await expect(withRetry('Op', async () => 1, { deadline: 0, minDelayMs: -1 })).rejects.toThrow('Expected `minDelayMs`');
  });
});

/** A throttled answer as the client builds it, with the wait the rate-limit headers named. */
function throttled(retryAfterMs?: number, requestId = 'REQ-T'): CenApiError {
  return new CenApiError({
    action: 'Op',
    code: 'Throttling.User',
    statusCode: 400,
    requestId,
    serverMessage: 'user flow control',
    retryAfterMs,
  });
}

describe('isThrottling', () => {
  it.each<[string, unknown, boolean]>([
    ['Throttling', apiError('Throttling'), true],
    ['Throttling.User', apiError('Throttling.User'), true],
    ['Throttling.Api', apiError('Throttling.Api'), true],
    ['ServiceUnavailable', apiError('ServiceUnavailable', 503), false],
    ['a network error', networkError('ECONNRESET'), false],
    ['a plain Error', new Error('Throttling'), false],
    ['an object with a Throttling code', { code: 'Throttling.User' }, false],
  ])('%s is %s', (_name, err, yes) => {
    expect(isThrottling(err)).toBe(yes);
  });
});

describe('mayHaveCommitted', () => {
  it.each<[string, unknown, boolean]>([
    ['a reset connection', networkError('ECONNRESET'), true],
    ['a timed-out connection', networkError('ETIMEDOUT'), true],
    ['an unanswered request (RequestTimeout)', networkError('RequestTimeout'), true],
    ['HTTP 503', apiError('ServiceUnavailable', 503), true],
    ['HTTP 500', apiError('InternalError', 500), true],
    ['HTTP 502 without a code', apiError('Http502', 502), true],
    ['Throttling.User (refused before any work)', apiError('Throttling.User', 400), false],
    ['InvalidParameter', apiError('InvalidParameter', 400), false],
    ['IncorrectStatus.flowlog', apiError('IncorrectStatus.flowlog', 400), false],
    ['an error Code in a 200', apiError('OperationFailed', 200), false],
    ['a plain Error', new Error('boom'), false],
    ['undefined', undefined, false],
  ])('%s: %s', (_name, err, yes) => {
    expect(mayHaveCommitted(err)).toBe(yes);
  });
});

describe('metered', () => {
  it('passes the answer through, with or without a budget', async () => {
    const clock = new FakeClock();
    await expect(metered(undefined, 'write', async () => 42)).resolves.toBe(42);
    await expect(metered(new AdaptiveBudget({}, clock), 'poll', async () => 'x')).resolves.toBe('x');
  });

  it('slows the budget on a throttled answer and pauses it for the TimeLeft named', async () => {
    const clock = new FakeClock();
    const budget = new AdaptiveBudget({}, clock);
    await clock.sleep(100);
    await expect(
      metered(budget, 'write', async () => {
        await clock.sleep(50);
        throw throttled(2000);
      }),
    ).rejects.toMatchObject({ code: 'Throttling.User' });
    expect(budget.rate).toBeLessThan(20);
    const from = clock.elapsed();
    await budget.take('poll');
    expect(clock.elapsed()).toBeGreaterThanOrEqual(from + 2000);
  });

  it.each<[string, CenApiError]>([
    ['a network error', networkError('ECONNRESET')],
    ['a service error', apiError('InvalidParameter', 400)],
    ['a 5xx', apiError('InternalError', 500)],
  ])('does not slow the budget on %s', async (_name, err) => {
    const clock = new FakeClock();
    const budget = new AdaptiveBudget({}, clock);
    await expect(
      metered(budget, 'write', async () => {
        throw err;
      }),
    ).rejects.toBe(err);
    expect(budget.rate).toBe(20);
    const from = clock.elapsed();
    await budget.take('write');
    expect(clock.elapsed()).toBe(from);
  });
});

describe('withRetry with a budget and a deadline', () => {
  it.each<[string, boolean]>([
    ['with a budget', true],
    ['without a budget', false],
  ])('waits at least the TimeLeft a throttled answer names before the next attempt (%s)', async (_name, withBudget) => {
    const clock = new FakeClock(undefined, () => 0);
    const budget = withBudget ? new AdaptiveBudget({}, clock) : undefined;
    const attempts: number[] = [];
    let failedAt = 0;
    await withRetry(
      'Op',
      async () => {
        attempts.push(clock.elapsed());
        if (attempts.length === 1) {
          failedAt = clock.elapsed();
          throw throttled(1500);
        }
        return 'ok';
      },
      { deadline: clock.now() + 60_000, clock, budget },
    );
    expect(attempts).toHaveLength(2);
    expect(attempts[1]! - failedAt).toBeGreaterThanOrEqual(1500);
  });

  it('with a budget, leaves the pacing of throttled attempts to it and reports the wait named', async () => {
    const clock = new FakeClock();
    const budget = new AdaptiveBudget({}, clock);
    const delays: number[] = [];
    let n = 0;
    await withRetry(
      'Op',
      async () => {
        n++;
        if (n === 1) throw throttled();
        if (n === 2) throw throttled(700);
        return n;
      },
      { deadline: clock.now() + 60_000, clock, budget, onRetry: (i) => delays.push(i.delayMs) },
    );
    expect(delays).toEqual([0, 700]);
  });

  it('takes a budget token before every attempt, retries included', async () => {
    const clock = new FakeClock();
    const budget = new AdaptiveBudget({ maxRate: 1 }, clock);
    let n = 0;
    await withRetry(
      'Op',
      async () => {
        if (++n < 3) throw apiError('LOCK_ERROR');
      },
      { deadline: clock.now() + 60_000, clock, budget, minDelayMs: 0 },
    );
    // Three attempts with a budget of one per second: at least 2 s of virtual time.
    expect(clock.elapsed()).toBeGreaterThanOrEqual(2000);
  });

  it('gives each attempt what is left of the deadline as its timeout, and starts none after it', async () => {
    const clock = new FakeClock();
    const deadline = clock.now() + 10_000;
    const attempts: { at: number; timeoutMs: number | undefined }[] = [];
    await withRetry(
      'Op',
      async (call) => {
        attempts.push({ at: clock.now(), timeoutMs: call.timeoutMs });
        await clock.sleep(700); // each attempt takes a while before it fails
        throw networkError('ECONNRESET');
      },
      { deadline, clock, budget: new AdaptiveBudget({}, clock) },
    ).catch(() => undefined);
    expect(attempts.length).toBeGreaterThan(3);
    for (const a of attempts) {
      expect(a.at).toBeLessThan(deadline);
      expect(a.timeoutMs).toBe(deadline - a.at);
    }
  });

  it('gives every call of a resilient API the time left as its timeout', async () => {
    const clock = new FakeClock();
    const deadline = clock.now() + 30_000;
    const api = new FakeCenApi().failNext('describeFlowlogs', networkError('ECONNRESET'));
    api.onCall = () => clock.sleep(400);
    await resilient(api, { deadline, clock }).describeFlowlogs({ RegionId: 'cn-hangzhou' });
    await resilient(api, { deadline, clock })
      .deleteFlowlog({ RegionId: 'cn-hangzhou', FlowLogId: 'gone' })
      .catch(() => undefined);
    expect(api.calls).toHaveLength(3);
    for (const c of api.calls) {
      expect(c.opts?.timeoutMs).toBeGreaterThan(0);
      expect(c.opts!.timeoutMs!).toBeLessThanOrEqual(30_000);
    }
    expect(api.calls[0]!.opts!.timeoutMs).toBe(30_000);
    expect(api.calls[1]!.opts!.timeoutMs).toBeLessThan(30_000 - 400);
  });

  it('sends reads of a resilient API in the poll lane, ahead of queued writes', async () => {
    const clock = new FakeClock();
    const budget = new AdaptiveBudget({}, clock);
    await Promise.all(Array.from({ length: 20 }, () => budget.take('write')));
    const writes = Promise.all(Array.from({ length: 10 }, () => budget.take('write').then(() => clock.elapsed())));
    await clock.sleep(1);
    const api = new FakeCenApi();
    const read = resilient(api, { deadline: clock.now() + 60_000, clock, budget })
      .describeFlowlogs({ RegionId: 'cn-hangzhou' })
      .then(() => clock.elapsed());
    const [readAt, writeTimes] = await Promise.all([read, writes]);
    expect(readAt).toBeLessThanOrEqual(Math.min(...writeTimes));
  });

  it('throws the last real error, not a synthetic one, when the budget holds the next attempt past the deadline', async () => {
    const clock = new FakeClock();
    const budget = new AdaptiveBudget({}, clock);
    const deadline = clock.now() + 5000;
    let n = 0;
    const err = await withRetry(
      'DeleteFlowlog',
      async () => {
        n++;
        budget.onThrottle(clock.now(), 60_000); // another request of the account is told to wait a minute
        throw apiError('ServiceUnavailable', 503, 'DeleteFlowlog', 'REQ-LAST');
      },
      { deadline, clock, budget },
    ).catch((e: unknown) => e);
    expect(n).toBe(1);
    expect(err).toBeInstanceOf(CenApiError);
    expect(err).toMatchObject({ code: 'ServiceUnavailable', requestId: 'REQ-LAST' });
    expect((err as CenApiError).message).toContain('REQ-LAST');
  });

  it('gives up by the deadline while the budget holds the attempt back', async () => {
    const clock = new FakeClock();
    const budget = new AdaptiveBudget({}, clock);
    budget.onThrottle(clock.now(), 60_000);
    const deadline = clock.now() + 5000;
    let n = 0;
    const err = await withRetry(
      'CreateFlowlog',
      async () => {
        n++;
      },
      { deadline, clock, budget },
    ).catch((e: unknown) => e);
    expect(n).toBe(0);
    expect(err).toBeInstanceOf(CenApiError);
    expect(clock.now()).toBeLessThanOrEqual(deadline);
  });

  it('does not claim a write that was never sent may have committed', async () => {
    const clock = new FakeClock();
    const budget = new AdaptiveBudget({}, clock);
    budget.onThrottle(clock.now(), 60_000);
    const err = await withRetry('CreateFlowlog', async () => 'sent', { deadline: clock.now() + 5000, clock, budget }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CenApiError);
    expect(mayHaveCommitted(err)).toBe(false);
  });

  it('still reports that a write may have committed when a later attempt was only throttled', async () => {
    const clock = new FakeClock();
    const deadline = clock.now() + 5000;
    let n = 0;
    // The first answer is lost (the service may have created it); every retry is throttled until the deadline.
    const err = await withRetry(
      'CreateFlowlog',
      async () => {
        n++;
        throw n === 1 ? networkError('ECONNRESET', 'CreateFlowlog') : throttled(undefined, `REQ-${n}`);
      },
      { deadline, clock },
    ).catch((e: unknown) => e);
    expect(n).toBeGreaterThan(1);
    expect(err).toBeInstanceOf(CenApiError);
    expect(mayHaveCommitted(err)).toBe(true);
  });
});
