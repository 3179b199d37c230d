import { CenApiError } from '../../src/errors';
import { isRetryable, resilient, RETRYABLE_CODES, TokenBucket, withRetry } from '../../src/retry';
import { FakeClock } from '../fixtures/fake-clock';
import { apiError, FakeCenApi, networkError } from '../fixtures/fake-api';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

describe('isRetryable', () => {
  it.each([
    ['Throttling', 400], ['Throttling.User', 400], ['Throttling.Api', 400], ['Throttling.Something', 400],
    ['ServiceUnavailable', 503], ['InternalError', 500], ['Operation.Blocking', 400], ['LOCK_ERROR', 400],
    ['IncorrectStatus.flowlog', 400], ['IncorrectStatus.TrFlowlog', 400], ['SomethingNew', 502],
  ])('retries %s (HTTP %d)', (code, status) => {
    expect(isRetryable(apiError(code, status))).toBe(true);
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'RequestTimeout', 'EPIPE'])('retries the network error %s', (code) => {
    expect(isRetryable(networkError(code))).toBe(true);
  });

  it.each([
    ['SignatureDoesNotMatch', 400], ['InvalidAccessKeyId.NotFound', 404], ['InvalidTimeStamp.Expired', 400],
    ['Unauthorized', 400], ['NoPermission.AliyunServiceRoleForTRFlowLog', 403], ['Forbidden.RAM', 403],
    ['InvalidParameter', 400], ['InvalidParameter.CenId', 400], ['MissingParameter', 400],
    ['Flowlog.AlreayExist', 400], ['InvalidFlowlogId.NotFound', 400], ['QuotaExceeded.FlowlogCount', 400],
    ['IdempotentParameterMismatch', 400], ['CredentialsNotFound', undefined],
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
    const result = await withRetry('Op', async () => {
      if (++n < 3) throw apiError(code);
      return 'ok';
    }, { deadline: deadlineIn(clock, 60_000), clock });
    expect(result).toBe('ok');
    expect(n).toBe(3);
  });

  it('throws a non-retryable error at once, without sleeping', async () => {
    const clock = new FakeClock();
    let n = 0;
    await expect(withRetry('Op', async () => {
      n++;
      throw apiError('InvalidParameter.CenId');
    }, { deadline: deadlineIn(clock, 60_000), clock })).rejects.toMatchObject({ code: 'InvalidParameter.CenId' });
    expect(n).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('backs off exponentially with full jitter, capped', async () => {
    const clock = new FakeClock(undefined, () => 0.999);
    let n = 0;
    await withRetry('Op', async () => {
      if (++n <= 7) throw apiError('Throttling.User');
      return n;
    }, { deadline: deadlineIn(clock, 600_000), clock, minDelayMs: 200, maxDelayMs: 5000 });
    expect(clock.sleeps).toEqual([200, 400, 799, 1598, 3197, 4995, 4995]);
  });

  it('gives up before sleeping past the deadline, naming attempts and time', async () => {
    const clock = new FakeClock();
    const deadline = deadlineIn(clock, 10_000);
    let n = 0;
    const err = await withRetry('DeleteFlowlog', async () => {
      n++;
      throw apiError('ServiceUnavailable', 503, 'DeleteFlowlog', 'REQ-LAST');
    }, { deadline, clock }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CenApiError);
    const e = err as CenApiError;
    expect(clock.now()).toBeLessThanOrEqual(deadline);
    expect(e.attempts).toBe(n);
    expect(n).toBeGreaterThan(3);
    expect(e.message).toContain(`Gave up after ${n} attempts`);
    expect(e.message).toContain('REQ-LAST');
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
    await withRetry('Op', async () => {
      if (++n < 3) throw apiError('LOCK_ERROR');
    }, { deadline: deadlineIn(clock, 60_000), clock, onRetry: (i) => seen.push(`${i.action}#${i.attempt}:${i.error.code}`) });
    expect(seen).toEqual(['Op#1:LOCK_ERROR', 'Op#2:LOCK_ERROR']);
  });

  it('rejects bad options up front', async () => {
    await expect(withRetry('Op', async () => 1, { deadline: NaN })).rejects.toThrow('Expected `deadline`');
    await expect(withRetry('Op', async () => 1, { deadline: 0, minDelayMs: -1 })).rejects.toThrow('Expected `minDelayMs`');
  });
});

describe('TokenBucket', () => {
  it('lets a burst through, then paces at the rate', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(10, 5, clock);
    const times: number[] = [];
    await Promise.all(Array.from({ length: 15 }, () => bucket.take().then(() => times.push(clock.elapsed()))));
    expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    // 10 more at 10/s: the last one about 1 s after the burst.
    expect(times[14]).toBeGreaterThanOrEqual(1000);
    expect(times[14]).toBeLessThanOrEqual(1100);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('refills over time up to the burst', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(1, 2, clock);
    await bucket.take();
    await bucket.take();
    await clock.sleep(10_000);
    const before = clock.elapsed();
    await bucket.take();
    await bucket.take();
    expect(clock.elapsed()).toBe(before);
    await bucket.take();
    expect(clock.elapsed()).toBe(before + 1000);
  });

  it('rejects a bad rate or burst', () => {
    expect(() => new TokenBucket(0, 1)).toThrow('Expected `ratePerSecond`');
    expect(() => new TokenBucket(1, 0)).toThrow('Expected `burst`');
  });

  it('is taken before every attempt of a retried call', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(1, 1, clock);
    let n = 0;
    await withRetry('Op', async () => {
      if (++n < 3) throw apiError('Throttling');
    }, { deadline: clock.now() + 60_000, clock, limiter: bucket, minDelayMs: 0 });
    // Three attempts with a budget of one per second: at least 2 s of virtual time.
    expect(clock.elapsed()).toBeGreaterThanOrEqual(2000);
  });
});
