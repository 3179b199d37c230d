import { startEmulator, EMULATOR_IDS as I, type Emulator } from '../../src/emulator';
import { RateLimiter, rateLimitHeaders } from '../../src/emulator/throttle';
import { raw, signedV2Query, sleep, type RawResponse } from './helpers';

const R = { RegionId: I.region };

describe('the token bucket (virtual time)', () => {
  it.each([
    // rate/s, burst, calls at these ms → [ok, remain, timeLeftMs] for each
    [
      10,
      1,
      [0, 0, 99, 100],
      [
        [true, 0, 100],
        [false, 0, 100],
        [false, 0, 1],
        [true, 0, 100],
      ],
    ],
    [
      2,
      3,
      [0, 0, 0, 0, 250],
      [
        [true, 2, 0],
        [true, 1, 0],
        [true, 0, 500],
        [false, 0, 500],
        [false, 0, 250],
      ],
    ],
    [
      1000,
      5,
      [0, 1],
      [
        [true, 4, 0],
        [true, 4, 0],
      ],
    ],
    [
      3,
      1,
      [0, 334],
      [
        [true, 0, 334],
        [true, 0, 334],
      ],
    ],
  ])('at %i/s with burst %i, calls at %j answer %j', (rate, burst, times, expected) => {
    const limiter = new RateLimiter(rate, burst);
    const t0 = Date.UTC(2025, 0, 1);
    const got = times.map((t) => {
      const d = limiter.take('ak', t0 + t)!;
      return [d.ok, d.remain, d.timeLeftMs];
    });
    expect(got).toEqual(expected);
  });

  it('lets a caller through exactly TimeLeft ms after a refusal, whatever the rate', () => {
    for (const rate of [1, 3, 7, 13, 29, 97]) {
      const limiter = new RateLimiter(rate, 1);
      let t = 1_700_000_000_000;
      limiter.take('ak', t);
      for (let i = 0; i < 20; i++) {
        const refused = limiter.take('ak', t)!;
        expect(refused.ok).toBe(false);
        t += refused.timeLeftMs;
        expect([rate, limiter.take('ak', t)!.ok]).toEqual([rate, true]);
      }
    }
  });

  it('keeps one bucket per AccessKey and none at rate 0', () => {
    const limiter = new RateLimiter(1, 1);
    expect(limiter.take('a', 0)!.ok).toBe(true);
    expect(limiter.take('a', 0)!.ok).toBe(false);
    expect(limiter.take('b', 0)!.ok).toBe(true);
    expect(new RateLimiter(0, 1).take('a', 0)).toBeUndefined();
  });

  it('formats a refusal as comma-separated Key:Value pairs, Reset in epoch seconds, and x-acs-retry-after in ms', () => {
    expect(rateLimitHeaders({ ok: false, limit: 20, remain: 0, timeLeftMs: 450, resetAt: 1_735_689_600_450 })).toEqual({
      'x-ratelimit-user-api': 'Limit:20,Remain:0,TimeLeft:450,Reset:1735689601',
      'x-ratelimit-user': 'Limit:20,Remain:0,TimeLeft:450,Reset:1735689601',
      'x-acs-retry-after': '450',
    });
  });

  it('sends no x-acs-retry-after on a request let through (current SDKs would raise ThrottlingException on it)', () => {
    expect(rateLimitHeaders({ ok: true, limit: 20, remain: 3, timeLeftMs: 0, resetAt: 1_735_689_600_450 })).not.toHaveProperty(
      'x-acs-retry-after',
    );
  });
});

/** What darabonba's Utils.getThrottlingTimeLeft reads: the smaller TimeLeft of the two headers. */
function timeLeft(res: RawResponse): number {
  const read = (name: string): number => {
    const pairs = String(res.headers[name] ?? '')
      .split(',')
      .map((p) => p.split(':'));
    return Number(pairs.find(([k]) => k === 'TimeLeft')?.[1]);
  };
  return Math.min(read('x-ratelimit-user-api'), read('x-ratelimit-user'));
}

describe('Throttling.User over the wire', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ ratePerSecond: 4, burst: 2 });
  });
  afterAll(() => emu.close());
  const describeOnce = (): Promise<RawResponse> => raw(emu, { path: `/?${signedV2Query(emu, 'DescribeFlowlogs', R)}` });

  it('carries the rate-limit headers, and a request sent after TimeLeft ms succeeds', async () => {
    const first = await describeOnce();
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-user-api']).toMatch(/^Limit:2,Remain:1,TimeLeft:0,Reset:\d{10}$/);
    await describeOnce();
    const refused = await describeOnce();
    expect([refused.status, refused.json.Code]).toEqual([400, 'Throttling.User']);
    expect(refused.headers['x-ratelimit-user']).toMatch(/^Limit:2,Remain:0,TimeLeft:\d+,Reset:\d{10}$/);
    expect(first.headers['x-acs-retry-after']).toBeUndefined();
    const wait = timeLeft(refused);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(250);
    expect(refused.headers['x-acs-retry-after']).toBe(String(wait));
    await sleep(wait);
    expect((await describeOnce()).status).toBe(200);
  });

  it('sends no rate-limit headers when throttling is off', async () => {
    const open = await startEmulator({ ratePerSecond: 0 });
    try {
      const res = await raw(open, { path: `/?${signedV2Query(open, 'DescribeFlowlogs', R)}` });
      expect([res.status, res.headers['x-ratelimit-user-api']]).toEqual([200, undefined]);
    } finally {
      await open.close();
    }
  });
});
