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
 * When the service reports the account's bucket on its successful answers (`x-ratelimit-user[-api]`:
 * Limit, Remain, TimeLeft; see observe()), the budget follows that level instead of guessing: the level is
 * a signal every process on the key sees, so it gives the burst and the refill rate at once when alone, and
 * the early, common warning that lets several processes share the bucket without throttling storms.
 *
 * Two lanes: status polls are served before writes, so waiting resources are
 * never starved behind a queue of creates (the status loop keeps its own share
 * small, see statusloop.ts).
 */
import { systemClock, type Clock } from './clock';
import { numberOption, type NumberRule } from '../model/options';
import type { RateLimitState } from '../transport/types';

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
/** The account's level is trusted this long after the last answer that reported it on a success. */
const INFORMED_TTL_MS = 5000;
/** The refill rate is estimated from the waits named at `Remain:0` within this window (the last RATE_SAMPLES of them). */
const RATE_SAMPLE_MS = 60_000;
const RATE_SAMPLES = 50;
/** Our share of the account is measured over windows at least this long. */
const SHARE_WINDOW_MS = 500;
/** Measured above this share, we are alone on the account: its whole refill rate is ours. */
const ALONE = 0.75;
const MIN_SHARE = 0.02;
/**
 * Shared, the share asked for grows by this much a second and is cut by SOFT_CUT when the account's level falls
 * to its reserve (a tenth of the burst): every process sees the same level, so all cut together and the shares
 * even out (AIMD), before the bucket runs dry.
 */
const SHARE_INCREASE_PER_S = 0.05;
const SOFT_CUT = 0.85;
const SOFT_CUT_EVERY_MS = 250;
const RESERVE = 0.1;
/** Alone, the local bucket paces at this share of the refill rate (what the level holds above its reserve goes too). */
const ALONE_PACE = 0.95;

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
  /** Wakes a sleeping pump when an answer reports the account's level. */
  private wake = new AbortController();
  /** Granted and not yet answered. */
  private inflight = 0;
  /** Our answers that were not throttled, ever (to measure our share of the account). */
  private accepted = 0;
  /** When a success last carried the rate-limit headers: the account's level is followed while recent. */
  private informedAt = Number.NEGATIVE_INFINITY;
  /** A success came without the level headers. */
  private withoutLevel = false;
  /** A refusal reported tokens left. */
  private distrusted = false;
  /** The account bucket at the last answer: its level then, what we had sent that it did not count yet, and what we sent since. */
  private account?: { limit: number; level: number; at: number; unseen: number; sent: number };
  /** The account's refill rate, from the waits it names when empty; undefined until it was seen empty. */
  private accountRate?: number;
  private rateSamples: { at: number; rate: number }[] = [];
  /** Our share of what the account lets through (1 = alone), measured from its level. */
  private share = 1;
  private shareMeasured = false;
  /** Requests ever granted. */
  private granted = 0;
  /** The share of the account's refill rate we pace at. */
  private asked = 1;
  private askedAt = Number.NaN;
  private lastSoftCut = Number.NEGATIVE_INFINITY;
  private shareStart?: { at: number; level: number; accepted: number };
  /** The ceiling (`maxRate`) while the account's level paces: a bucket of its own. */
  private ceilingTokens: number;
  private lastCeilingRefill = Number.NaN;

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
    this.ceilingTokens = Math.max(1, this.maxRate);
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

  /**
   * An answer reported the account's bucket (`x-ratelimit-*` headers). Once a success has carried them, the
   * budget follows the account's level instead of guessing: it sends what the account has left (its share of
   * it when others draw on the same key), learns the refill rate from the wait named when the bucket is empty,
   * and paces at its share of that rate. Once a success came without them, headers on refusals alone are not
   * followed (the level they report would go stale): the budget stays adaptive and only pauses for the wait.
   */
  observe(state: RateLimitState | undefined, answer: { throttled: boolean } = { throttled: false }): void {
    const now = this.clock.now();
    if (!state) {
      // A success without them: this service reports its level on refusals only (or not at all), and a level
      // that successes do not update goes stale: back to adaptive pacing.
      if (!answer.throttled) {
        this.withoutLevel = true;
        if (this.following(now)) this.adaptFrom(now, this.accountRate! * this.asked);
        this.informedAt = Number.NEGATIVE_INFINITY;
      }
      return;
    }
    if (this.distrusted || (this.withoutLevel && answer.throttled)) return;
    const { limit, remain, timeLeftMs } = state;
    if (answer.throttled && remain > 0) {
      // Refused with tokens left: these headers do not describe the bucket that refuses; never follow them.
      this.distrusted = true;
      if (this.following(now)) this.adaptFrom(now, this.accountRate! * this.asked);
      this.informedAt = Number.NEGATIVE_INFINITY;
      return;
    }
    this.informedAt = now;
    if (remain === 0 && timeLeftMs > 0) {
      this.rateSamples.push({ at: now, rate: 1000 / timeLeftMs });
      while (this.rateSamples[0]!.at < now - RATE_SAMPLE_MS || this.rateSamples.length > RATE_SAMPLES) this.rateSamples.shift();
      // Every wait bounds the rate from above, so the smallest is the best estimate; but not one wild value: the
      // tenth percentile once there are ten.
      const sorted = this.rateSamples.map((r) => r.rate).sort((x, y) => x - y);
      this.accountRate = Math.max(this.minRate, sorted[Math.floor(sorted.length / 10)]!);
    }
    const rate = this.accountRate;
    // Empty, the bucket holds the fraction the wait implies: 1 - TimeLeft × rate.
    const level = remain > 0 || rate === undefined ? remain : Math.max(0, 1 - (timeLeftMs * rate) / 1000);
    this.measureShare(now, limit, level, answer.throttled ? 0 : 1);
    if (!this.shareMeasured && limit - remain > this.granted + 1) {
      // Before a share is measured: the bucket (full at our start, presumably) lost more than we ever sent.
      this.share = Math.min(this.share, Math.max(MIN_SHARE, this.granted / (limit - remain)));
      this.asked = Math.min(this.asked, this.share);
    }
    // The answered request is still counted in flight (its outcome comes after): the others may not be counted yet.
    this.account = { limit, level, at: now, unseen: Math.max(0, this.inflight - 1), sent: 0 };
    if (rate !== undefined) {
      this.slowStart = false;
      this.steer(now, limit, level);
      this.paceAtShare();
    }
    this.wake.abort();
  }

  /** Adaptive pacing again, from `rate` on the flat of its recovery curve (no slow start, no jump). */
  private adaptFrom(now: number, rate: number): void {
    this.slowStart = false;
    this.lastMaxRate = rate;
    this.timeWindow = 0;
    this.lastThrottle = now;
    this.setRate(rate);
  }

  private informed(now: number): boolean {
    return now - this.informedAt <= INFORMED_TTL_MS;
  }

  /** Pacing on the account's level and refill rate (both known and recent), not on the adaptive guess. */
  private following(now: number): boolean {
    return this.account !== undefined && this.accountRate !== undefined && this.informed(now);
  }

  /**
   * The local bucket paces at our share of the refill rate, one token deep (bursts come from the account's level).
   * Alone, a little below the whole rate: the level then climbs to its reserve, which a newcomer can get
   * through on and so be seen.
   */
  private paceAtShare(): void {
    this.refill(this.clock.now());
    const share = this.share >= ALONE ? ALONE_PACE : this.asked;
    this.fillRate = Math.min(this.maxRate, Math.max(this.minRate, this.accountRate! * share));
    this.capacity = 1;
    this.tokens = Math.min(this.tokens, 1);
  }

  /** Alone: the whole refill rate. Shared: additive increase, and one cut when the level falls to the reserve. */
  private steer(now: number, limit: number, level: number): void {
    const since = Number.isNaN(this.askedAt) ? 0 : now - this.askedAt;
    this.askedAt = now;
    if (this.share >= ALONE) {
      this.asked = 1;
      return;
    }
    if (this.asked >= 1) this.asked = Math.max(MIN_SHARE, this.share); // just found out it is shared
    this.asked = Math.min(1, this.asked + (SHARE_INCREASE_PER_S * since) / 1000);
    if (level <= Math.max(1, RESERVE * limit) && now - this.lastSoftCut >= SOFT_CUT_EVERY_MS) {
      this.lastSoftCut = now;
      this.asked = Math.max(MIN_SHARE, this.asked * SOFT_CUT);
    }
  }

  /**
   * Our share = what we got through / what the account let through over the window, where the account let
   * through its refill plus the drop of its level. A window in which the bucket was full says nothing (the
   * refill overflowed), nor one before the refill rate is known.
   */
  private measureShare(now: number, limit: number, level: number, thisOne: number): void {
    const accepted = this.accepted + thisOne;
    const start = this.shareStart;
    const full = level >= limit - 1;
    if (!start || full || start.level >= limit - 1 || this.accountRate === undefined) {
      this.shareStart = full ? undefined : { at: now, level, accepted };
      return;
    }
    if (now - start.at < SHARE_WINDOW_MS) return;
    const total = (this.accountRate * (now - start.at)) / 1000 + start.level - level;
    const ours = accepted - start.accepted;
    if (total >= 1) {
      this.shareMeasured = true;
      const sample = Math.max(MIN_SHARE, Math.min(1, ours / Math.max(total, ours)));
      this.share = (this.share + sample) / 2;
    }
    this.shareStart = { at: now, level, accepted };
  }

  /**
   * While the account's level is followed: how long until we may send (0 = now). Our share of what the
   * account holds above its reserve goes at once (the burst, split between processes by their shares); below
   * that, we pace at our share of the refill rate (the local bucket), and only when the account has a token.
   */
  private accountWait(now: number): number | undefined {
    const a = this.account;
    if (!a || !this.informed(now)) return undefined;
    const rate = this.accountRate;
    const level = Math.min(a.limit, a.level + ((rate ?? 0) * (now - a.at)) / 1000);
    const taken = a.unseen + a.sent;
    const reserve = Math.max(1, RESERVE * a.limit);
    if (this.asked * (level - reserve) - taken >= 1) return 0;
    const free = level - taken;
    if (rate === undefined) {
      // Never seen empty: what is there may go; with nothing in flight one request goes, to learn more.
      return free >= 1 || this.inflight === 0 ? 0 : Number.POSITIVE_INFINITY;
    }
    const localWait = this.tokens >= 1 ? 0 : ((1 - this.tokens) * 1000) / this.fillRate;
    if (free >= 1) return localWait;
    // Shared, every process sees the same refill: a random spread keeps them from all firing on one token.
    const jitter = this.asked < 1 ? (this.clock.random() * 1000) / rate : 0;
    return Math.max(localWait, ((1 - free) * 1000) / rate + jitter);
  }

  /** A request was answered without throttling. */
  onSuccess(): void {
    this.answered();
    this.accepted++;
    const now = this.clock.now();
    this.measure(now);
    this.remember(now, false);
    if (this.following(now)) return;
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
    this.answered();
    if (this.slowStart) return;
    const now = this.clock.now();
    this.measure(now);
    if (this.following(now)) return;
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
    this.answered();
    const now = this.clock.now();
    this.measure(now);
    const throttledShare = this.remember(now, true);
    if (timeLeftMs !== undefined && timeLeftMs > 0) this.pausedUntil = Math.max(this.pausedUntil, now + timeLeftMs);
    if (sentAt < this.lastCut) return;
    // Following the account, a throttle means we asked for more than our share: ask for less.
    if (this.following(now)) {
      this.lastCut = now;
      this.share = Math.min(this.share, ALONE - 0.05); // someone else draws on the account
      this.asked = Math.max(MIN_SHARE, Math.min(this.asked, this.share) * BETA);
      this.paceAtShare();
      this.tokens = Math.min(this.tokens, 0);
      return;
    }
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

  private answered(): void {
    this.inflight = Math.max(0, this.inflight - 1);
    // Following the account, an answer can free the way (nothing left in flight): the pump looks again.
    if (this.account) this.wake.abort();
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
        const accountWait = this.accountWait(now);
        let wait: number;
        if (accountWait === undefined) {
          // Adaptive: the local bucket alone.
          if (this.tokens >= 1) {
            this.tokens -= 1;
            this.grant(lane, now);
            continue;
          }
          wait = ((1 - this.tokens) * 1000) / this.fillRate;
        } else {
          // Following the account: its level, and the ceiling (maxRate).
          wait = Math.max(accountWait, this.ceilingWait());
          if (wait <= 0) {
            this.ceilingTokens -= 1;
            this.tokens = Math.max(0, this.tokens - 1);
            this.grant(lane, now);
            continue;
          }
        }
        this.wake = new AbortController();
        await this.clock.sleep(Math.max(1, Math.ceil(Math.min(wait, 1000 / this.minRate))), this.wake.signal).catch(() => undefined);
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Ms until the ceiling bucket (maxRate, burst as large) has a token. */
  private ceilingWait(): number {
    const now = this.clock.now();
    if (!Number.isNaN(this.lastCeilingRefill)) {
      this.ceilingTokens = Math.min(Math.max(1, this.maxRate), this.ceilingTokens + ((now - this.lastCeilingRefill) * this.maxRate) / 1000);
    }
    this.lastCeilingRefill = now;
    return this.ceilingTokens >= 1 ? 0 : ((1 - this.ceilingTokens) * 1000) / this.maxRate;
  }

  private grant(lane: Waiter[], now: number): void {
    this.inflight++;
    this.granted++;
    if (this.account && this.informed(now)) this.account.sent++;
    lane.shift()!.resolve(now);
  }
}
