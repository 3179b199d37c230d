/** Per-AccessKey token bucket: `rate` requests a second, bursts up to `burst`. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly rate: number, private readonly burst: number) {
    if (!(rate >= 0)) throw new TypeError(`Expected \`ratePerSecond\` to be >= 0, got ${rate}`);
    if (!(burst >= 1)) throw new TypeError(`Expected \`burst\` to be >= 1, got ${burst}`);
  }

  /** Take one token; false means throttled. A rate of 0 never throttles. */
  take(key: string, now: number): boolean {
    if (this.rate === 0) return true;
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
