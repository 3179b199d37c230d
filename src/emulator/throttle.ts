/** Per-AccessKey token bucket: `rate` requests a second, bursts up to `burst`. */

/** One call's share of the bucket, as the rate-limit headers report it. */
export interface RateDecision {
  ok: boolean;
  /** The bucket's size. */
  limit: number;
  /** Whole requests left after this one. */
  remain: number;
  /** Milliseconds until a request would be let through (0 when one would be now). */
  timeLeftMs: number;
  /** Epoch milliseconds when the bucket is full again. */
  resetAt: number;
}

// Floating-point slack, so a caller who waits exactly `timeLeftMs` is let through.
const EPSILON = 1e-9;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    if (!(rate >= 0)) throw new TypeError(`Expected \`ratePerSecond\` to be >= 0, got ${rate}`);
    if (!(burst >= 1)) throw new TypeError(`Expected \`burst\` to be >= 1, got ${burst}`);
  }

  /** Take one token; undefined when throttling is off (a rate of 0). */
  take(key: string, now: number): RateDecision | undefined {
    if (this.rate === 0) return undefined;
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.rate);
    bucket.at = Math.max(bucket.at, now);
    this.buckets.set(key, bucket);
    const ok = bucket.tokens >= 1 - EPSILON;
    if (ok) bucket.tokens = Math.max(0, bucket.tokens - 1);
    const msFor = (tokens: number): number => Math.max(0, Math.ceil((tokens / this.rate) * 1000));
    return {
      ok,
      limit: this.burst,
      remain: Math.floor(bucket.tokens + EPSILON),
      timeLeftMs: msFor(1 - bucket.tokens - EPSILON),
      resetAt: now + msFor(this.burst - bucket.tokens - EPSILON),
    };
  }
}

/**
 * The headers Alibaba's SDKs read the wait from. Older runtimes (darabonba
 * `Utils.getThrottlingTimeLeft` up to Go darabonba-openapi v2.1.x, Python tea-openapi 0.4.4):
 * comma-separated `Key:Value` pairs, TimeLeft in milliseconds, Reset in epoch seconds; the emulator
 * has one bucket per AccessKey, so the user-level and the API-level header agree. Current
 * runtimes read `x-acs-retry-after: <ms>` and raise their ThrottlingException whenever it is
 * positive, whatever the code: so it goes on refused requests only.
 */
export function rateLimitHeaders(d: RateDecision): Record<string, string> {
  const value = `Limit:${d.limit},Remain:${d.remain},TimeLeft:${d.timeLeftMs},Reset:${Math.ceil(d.resetAt / 1000)}`;
  const family = { 'x-ratelimit-user-api': value, 'x-ratelimit-user': value };
  return d.ok ? family : { ...family, 'x-acs-retry-after': String(Math.max(1, d.timeLeftMs)) };
}
