/**
 * The account's request budget, shared by everything in the provider process
 * that talks to one endpoint with one set of credentials.
 *
 * A token bucket whose rate adapts to throttling the way the AWS SDK's
 * adaptive retry mode does (`@smithy/util-retry` DefaultRateLimiter): the
 * rate is cut multiplicatively on a `Throttling*` answer and grows back along
 * a CUBIC curve, never above twice what is really being sent. Before the
 * first throttle it grows like TCP's slow start, so it finds an account limit
 * above the starting rate within a second or two. One cut per congestion
 * event: answers to requests sent before the last cut only pause, they do not
 * cut again (a burst of throttled answers is one signal, not twenty).
 *
 * Two lanes: status polls are served before writes, so waiting resources are
 * never starved behind a queue of creates (the status loop keeps its own share
 * small, see statusloop.ts).
 */
import { systemClock, type Clock } from './clock';
import { numberOption, type NumberRule } from '../model/options';

const RATE: NumberRule = { sign: 'positive', unit: 'requests per second' };

export type Lane = 'poll' | 'write';

export interface BudgetOptions {
  /**
   * The rate to start at, in requests per second (a realistic account limit).
   * @default 20
   */
  initialRate?: number;
  /** Never send faster than this (`cenFlowlog:requestsPerSecond`). @default 100 */
  maxRate?: number;
  /** Never slower than this. @default 0.5 */
  minRate?: number;
}

/** CUBIC constants, as in @smithy/util-retry. */
const BETA = 0.7;
const SCALE = 0.4;
const SMOOTH = 0.8;
/** Before the first throttle, each answer raises the rate by this much (req/s). */
const SLOW_START_STEP = 2;
/** The deepest single cut. */
const MIN_CUT = 0.25;
/** The measured send rate is trusted for a cut once answers have been measured this long. */
const MEASURE_SETTLE_MS = 1000;

interface Waiter {
  resolve: (sentAt: number) => void;
}

export class AdaptiveBudget {
  readonly initialRate: number;
  readonly maxRate: number;
  readonly minRate: number;
  private fillRate: number;
  private capacity: number;
  private tokens: number;
  private lastRefill: number;
  private pausedUntil = 0;
  private slowStart = true;
  private lastMaxRate: number;
  private lastThrottle: number;
  private timeWindow = 0;
  private lastCut = Number.NEGATIVE_INFINITY;
  private measured = 0;
  private measureBucket: number;
  private measureCount = 0;
  /** When the first answer was measured: the measured rate means little before a second of answers. */
  private measureStart = Number.NaN;
  /** Answers of the last second: when, and whether throttled (to size a cut to the overload). */
  private recent: { at: number; throttled: boolean }[] = [];
  private readonly lanes: Record<Lane, Waiter[]> = { poll: [], write: [] };
  private pumping = false;

  constructor(
    options: BudgetOptions = {},
    private readonly clock: Clock = systemClock,
  ) {
    this.maxRate = numberOption('maxRate', options.maxRate, 100, RATE);
    this.minRate = numberOption('minRate', options.minRate, 0.5, RATE);
    this.initialRate = Math.min(this.maxRate, Math.max(this.minRate, numberOption('initialRate', options.initialRate, 20, RATE)));
    this.fillRate = this.initialRate;
    this.capacity = Math.max(1, this.fillRate);
    this.tokens = this.capacity;
    this.lastMaxRate = this.fillRate;
    this.lastRefill = clock.now();
    this.lastThrottle = this.lastRefill;
    this.measureBucket = Math.floor(this.lastRefill / 500);
  }

  /** The current sending rate, in requests per second. */
  get rate(): number {
    return this.fillRate;
  }

  /** Requests waiting in the write lane. */
  get writesWaiting(): number {
    return this.lanes.write.length;
  }

  /**
   * Resolves with the send time when one request may be sent; polls go first.
   * With a `deadline` (epoch ms), resolves undefined when it comes first: the request is not to be sent.
   */
  take(lane?: Lane): Promise<number>;
  take(lane: Lane, deadline: number): Promise<number | undefined>;
  take(lane: Lane = 'write', deadline?: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const stop = new AbortController();
      const waiter: Waiter = {
        resolve: (at) => {
          stop.abort();
          resolve(at);
        },
      };
      this.lanes[lane].push(waiter);
      if (deadline !== undefined) {
        this.clock.sleep(Math.max(0, deadline - this.clock.now()), stop.signal).then(
          () => {
            const queue = this.lanes[lane];
            const i = queue.indexOf(waiter);
            if (i >= 0) queue.splice(i, 1);
            resolve(undefined);
          },
          () => undefined,
        );
      }
      void this.pump();
    });
  }

  /** A request was answered without throttling. */
  onSuccess(): void {
    const now = this.clock.now();
    this.measure(now);
    this.remember(now, false);
    const next = this.slowStart
      ? this.fillRate + SLOW_START_STEP // per answer: the rate triples each second at full use
      : this.cubic(now);
    this.setRate(Math.min(next, this.ceiling()));
  }

  /**
   * A request got no answer (reset, timeout): no sign of capacity, so slow start does not grow on it, but
   * after a cut the recovery curve moves on as it does for an answer (as @smithy/util-retry updates the rate
   * on every outcome). Otherwise a burst of throttles followed by resets would leave the rate at its floor
   * for as long as nothing is answered.
   */
  onUnanswered(): void {
    if (this.slowStart) return;
    const now = this.clock.now();
    this.measure(now);
    this.setRate(Math.min(this.cubic(now), this.ceiling()));
  }

  /** The recovery curve since the last cut, at `now`. */
  private cubic(now: number): number {
    const t = (now - this.lastThrottle) / 1000 - this.timeWindow;
    return SCALE * t ** 3 + this.lastMaxRate;
  }

  /** Never more than twice what is really sent, but an idle process keeps the starting rate. */
  private ceiling(): number {
    return Math.max(2 * this.measured, this.initialRate);
  }

  /**
   * A request sent at `sentAt` was throttled. `timeLeftMs` is the wait the
   * service named (rate-limit headers), if any: nothing is sent before it ends.
   */
  onThrottle(sentAt: number, timeLeftMs?: number): void {
    const now = this.clock.now();
    this.measure(now);
    const throttledShare = this.remember(now, true);
    if (timeLeftMs !== undefined && timeLeftMs > 0) this.pausedUntil = Math.max(this.pausedUntil, now + timeLeftMs);
    if (sentAt < this.lastCut) return;
    // Cut from what is really sent, once that is known: a first throttle just after a half-second boundary would
    // otherwise see the handful of answers of a partial first bucket as the rate, and cut to almost nothing.
    const measuredLongEnough = now - this.measureStart >= MEASURE_SETTLE_MS;
    const base = measuredLongEnough && this.measured > 0 ? Math.min(this.measured, this.fillRate) : this.fillRate;
    this.slowStart = false;
    this.lastMaxRate = base;
    this.timeWindow = Math.cbrt((base * (1 - BETA)) / SCALE);
    this.lastThrottle = now;
    this.lastCut = now;
    // A heavily shared account throttles most of what is sent: cut to what got through, not just to 70 %.
    this.setRate(base * Math.max(MIN_CUT, Math.min(BETA, 1 - throttledShare)));
    this.tokens = Math.min(this.tokens, 0);
  }

  /** Records an answer; returns the share of the last second's answers that were throttled. */
  private remember(now: number, throttled: boolean): number {
    this.recent.push({ at: now, throttled });
    while (this.recent.length > 0 && this.recent[0]!.at < now - 1000) this.recent.shift();
    return this.recent.filter((r) => r.throttled).length / this.recent.length;
  }

  private setRate(rate: number): void {
    this.refill(this.clock.now());
    this.fillRate = Math.min(this.maxRate, Math.max(this.minRate, rate));
    this.capacity = Math.max(1, this.fillRate);
    this.tokens = Math.min(this.tokens, this.capacity);
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.lastRefill) * this.fillRate) / 1000);
    this.lastRefill = now;
  }

  /** Smoothed requests per second actually sent, in half-second buckets. */
  private measure(now: number): void {
    if (Number.isNaN(this.measureStart)) this.measureStart = now;
    this.measureCount++;
    const bucket = Math.floor(now / 500);
    if (bucket > this.measureBucket) {
      const rate = this.measureCount / ((bucket - this.measureBucket) / 2);
      this.measured = rate * SMOOTH + this.measured * (1 - SMOOTH);
      this.measureCount = 0;
      this.measureBucket = bucket;
    }
  }

  /** One dispatcher hands out tokens in lane order; callers only wait on their promise. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const lane = this.lanes.poll.length > 0 ? this.lanes.poll : this.lanes.write;
        if (lane.length === 0) return;
        const now = this.clock.now();
        if (now < this.pausedUntil) {
          await this.clock.sleep(this.pausedUntil - now);
          continue;
        }
        this.refill(now);
        if (this.tokens >= 1) {
          this.tokens -= 1;
          lane.shift()!.resolve(now);
          continue;
        }
        await this.clock.sleep(Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.fillRate)));
      }
    } finally {
      this.pumping = false;
    }
  }
}
