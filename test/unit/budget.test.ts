/**
 * The account's adaptive request budget on the fake clock: what a caller
 * notices is when each request may go out (the schedule) and the rate it
 * settles at after throttling — never wall time.
 */
import { AdaptiveBudget, type BudgetOptions, type Lane } from '../../src/pacing/budget';
import { FakeClock } from '../fixtures/fake-clock';

function setup(options: BudgetOptions = {}) {
  const clock = new FakeClock();
  const budget = new AdaptiveBudget(options, clock);
  /** Takes `n` tokens at once; resolves with the virtual time each was granted (ms since start). */
  const takeAll = (n: number, lane: Lane = 'write') =>
    Promise.all(Array.from({ length: n }, () => budget.take(lane).then(() => clock.elapsed())));
  return { clock, budget, takeAll };
}

/**
 * A client that keeps `workers` requests outstanding for `forMs`: each takes a
 * token, is answered `latencyMs` later (successfully unless `throttleAt`
 * says so), and goes again. Samples the rate every 100 ms.
 */
async function drive(
  clock: FakeClock,
  budget: AdaptiveBudget,
  opts: { forMs: number; workers?: number; latencyMs?: number; throttleAt?: (elapsed: number) => boolean },
): Promise<{ at: number; rate: number }[]> {
  const end = clock.elapsed() + opts.forMs;
  const samples: { at: number; rate: number }[] = [];
  const sampler = (async () => {
    while (clock.elapsed() < end) {
      samples.push({ at: clock.elapsed(), rate: budget.rate });
      await clock.sleep(100);
    }
  })();
  const worker = async () => {
    while (clock.elapsed() < end) {
      const sentAt = await budget.take('write');
      if (clock.elapsed() >= end) return;
      await clock.sleep(opts.latencyMs ?? 50);
      if (opts.throttleAt?.(clock.elapsed())) budget.onThrottle(sentAt);
      else budget.onSuccess();
    }
  };
  await Promise.all([sampler, ...Array.from({ length: opts.workers ?? 200 }, worker)]);
  return samples;
}

/** Answers at a steady `perSecond` for `forMs` (the answers only; nothing is taken). */
async function answer(clock: FakeClock, budget: AdaptiveBudget, perSecond: number, forMs: number): Promise<void> {
  const step = 1000 / perSecond;
  for (let t = 0; t < forMs; t += step) {
    await clock.sleep(step);
    budget.onSuccess();
  }
}

describe('AdaptiveBudget', () => {
  it('starts at 20 requests a second with a burst of 20, then paces evenly', async () => {
    const { budget, takeAll } = setup();
    expect(budget.rate).toBe(20);
    const times = await takeAll(60);
    expect(times.filter((t) => t === 0)).toHaveLength(20);
    // 40 more at 20/s: one every 50 ms, the last about 2 s in.
    const later = times.slice(20).sort((a, b) => a - b);
    expect(later[0]).toBeGreaterThanOrEqual(50);
    expect(later[39]).toBeGreaterThanOrEqual(1950);
    expect(later[39]).toBeLessThanOrEqual(2050);
    for (let i = 1; i < later.length; i++) expect(later[i]! - later[i - 1]!).toBeLessThanOrEqual(60);
  });

  it('starts at maxRate, burst included, when the ceiling is below 20', async () => {
    const { budget, takeAll } = setup({ maxRate: 5 });
    expect(budget.rate).toBe(5);
    const times = await takeAll(10);
    expect(times.filter((t) => t === 0)).toHaveLength(5);
    expect(Math.max(...times)).toBeGreaterThanOrEqual(1000);
  });

  it('refills while idle, but never beyond one burst', async () => {
    const { clock, takeAll } = setup();
    await takeAll(20);
    await clock.sleep(60_000);
    const start = clock.elapsed();
    const times = await takeAll(21);
    expect(times.filter((t) => t === start)).toHaveLength(20);
    expect(Math.max(...times)).toBeGreaterThanOrEqual(start + 50);
  });

  it('serves a status poll before the writes already queued', async () => {
    const { clock, budget, takeAll } = setup();
    await takeAll(20); // the burst is spent
    const writes = takeAll(10, 'write');
    await clock.sleep(1); // the writes are queued first
    const poll = budget.take('poll').then(() => clock.elapsed());
    expect(budget.writesWaiting).toBeGreaterThan(0);
    const [pollAt, writeTimes] = await Promise.all([poll, writes]);
    expect(pollAt).toBeLessThanOrEqual(Math.min(...writeTimes));
    expect(pollAt).toBeLessThanOrEqual(60); // the very next token, not after the 10 writes
    expect(budget.writesWaiting).toBe(0);
  });

  it('cuts the rate to about 0.7x on a throttle, and a burst of answers to requests sent before the cut cuts only once', async () => {
    const { clock, budget } = setup();
    await answer(clock, budget, 20, 2000); // 20/s answered: the rate has room to 40
    const before = budget.rate;
    expect(before).toBeGreaterThanOrEqual(20);
    const sentAt = clock.now() - 50;
    budget.onThrottle(sentAt);
    const cut = budget.rate;
    // Cut from what was really sent (20/s), not from the ceiling it had room for.
    expect(cut).toBeCloseTo(0.7 * 20, 0);
    await clock.sleep(10);
    for (let i = 0; i < 15; i++) budget.onThrottle(sentAt); // the same congestion event
    expect(budget.rate).toBe(cut);
    // A throttle of a request sent after the cut is a new signal: it cuts again.
    await clock.sleep(100);
    budget.onThrottle(clock.now() - 10);
    expect(budget.rate).toBeLessThan(cut * 0.71);
  });

  it('cuts deeper when most answers are throttled (a shared key), but to no less than a quarter', async () => {
    const { clock, budget, takeAll } = setup();
    const sent = await takeAll(20);
    expect(sent).toHaveLength(20);
    await clock.sleep(100);
    budget.onThrottle(clock.start); // the first answer is throttled: all of the last second's answers were
    expect(budget.rate).toBeCloseTo(0.25 * 20, 5);
  });

  it('never goes below minRate however often it is throttled', async () => {
    const { clock, budget } = setup({ minRate: 2 });
    for (let i = 0; i < 30; i++) {
      await clock.sleep(100);
      budget.onThrottle(clock.now() - 1);
    }
    expect(budget.rate).toBe(2);
  });

  it('cuts from the rate it sends at when the first throttle comes just after a half-second boundary', async () => {
    const { clock, budget, takeAll } = setup();
    await clock.sleep(500 - (clock.now() % 500) - 30); // 30 ms before a boundary of the measuring buckets
    await takeAll(20); // the starting burst
    await clock.sleep(20);
    budget.onSuccess(); // two answers land before the boundary...
    budget.onSuccess();
    await clock.sleep(20);
    budget.onThrottle(clock.now() - 15); // ...and the first throttle just after it
    // A partial first bucket (three answers) is not the send rate: the cut starts from the rate of the burst.
    expect(budget.rate).toBeGreaterThan(10);
  });

  it('recovers from a burst of throttles while its requests get no answer (resets), instead of staying at the floor', async () => {
    const { clock, budget } = setup();
    for (let i = 0; i < 6; i++) {
      // six throttles in a row, each of a request sent after the last cut
      await clock.sleep(100);
      budget.onThrottle(clock.now() - 1);
    }
    expect(budget.rate).toBe(0.5);
    const start = clock.elapsed();
    for (let i = 0; i < 10; i++) {
      await budget.take('write');
      await clock.sleep(50);
      budget.onUnanswered();
    }
    // At the floor, ten requests take 18 s; the recovery curve has them out within a few seconds.
    expect(clock.elapsed() - start).toBeLessThan(6000);
    expect(budget.rate).toBeGreaterThan(2);
  });

  it('does not grow on requests that get no answer before the first throttle (no sign of capacity)', async () => {
    const { budget } = setup();
    for (let i = 0; i < 5; i++) budget.onUnanswered();
    expect(budget.rate).toBe(20);
  });

  it('sends nothing, polls included, until the TimeLeft a throttled answer names has passed', async () => {
    const { clock, budget, takeAll } = setup();
    await clock.sleep(100);
    budget.onThrottle(clock.now() - 50, 2000);
    const pausedUntil = clock.elapsed() + 2000;
    const [polls, writes] = await Promise.all([takeAll(3, 'poll'), takeAll(3, 'write')]);
    for (const t of [...polls, ...writes]) expect(t).toBeGreaterThanOrEqual(pausedUntil);
    expect(Math.min(...polls)).toBeLessThanOrEqual(pausedUntil + 100);
  });

  it('pauses for a TimeLeft even when the answer belongs to a congestion event already cut for', async () => {
    const { clock, budget, takeAll } = setup();
    await clock.sleep(100);
    const sentAt = clock.now() - 50;
    budget.onThrottle(sentAt);
    const cut = budget.rate;
    await takeAll(1); // the pause of the first throttle, if any, is over
    budget.onThrottle(sentAt, 3000);
    expect(budget.rate).toBe(cut);
    const from = clock.elapsed();
    const [t] = await takeAll(1);
    expect(t).toBeGreaterThanOrEqual(from + 3000);
  });

  it('grows back after a throttle along a CUBIC curve: fast, then flat near the old rate, then probing above it', async () => {
    const { clock, budget } = setup();
    await answer(clock, budget, 20, 2000);
    budget.onThrottle(clock.now() - 50);
    const cut = budget.rate;
    expect(cut).toBeCloseTo(14, 0);
    const rates: number[] = [];
    for (let s = 0; s < 6; s++) {
      await answer(clock, budget, 20, 1000);
      rates.push(budget.rate);
    }
    for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeGreaterThanOrEqual(rates[i - 1]!);
    // W = cbrt(20 * 0.3 / 0.4) ≈ 2.47 s to regain the 20/s it was cut from.
    expect(rates[0]).toBeGreaterThan(cut);
    expect(rates[0]).toBeLessThan(20);
    expect(rates[1]).toBeLessThan(20);
    expect(rates[2]).toBeGreaterThanOrEqual(19.5);
    expect(rates[3]).toBeLessThan(22); // flat near the old rate
    expect(rates[5]).toBeGreaterThan(25); // then probing above it
    expect(rates[5]).toBeLessThanOrEqual(40); // never more than twice what is really sent
  });

  it('in slow start, finds an account limit above 20/s within a few seconds', async () => {
    const { clock, budget } = setup();
    const samples = await drive(clock, budget, { forMs: 3000 });
    const at = (ms: number) => samples.filter((s) => s.at <= ms).at(-1)!.rate;
    expect(at(1000)).toBeGreaterThan(20);
    expect(at(2000)).toBeGreaterThan(40);
    expect(at(3000)).toBe(100); // the default ceiling
  });

  it('never grows above maxRate', async () => {
    const { clock, budget } = setup({ maxRate: 30 });
    const samples = await drive(clock, budget, { forMs: 5000 });
    expect(Math.max(...samples.map((s) => s.rate))).toBe(30);
    expect(samples.at(-1)!.rate).toBe(30);
  });

  it('does not grow on a trickle of answers: an idle process keeps its starting rate', async () => {
    const { clock, budget } = setup();
    await answer(clock, budget, 1, 20_000);
    expect(budget.rate).toBe(20);
  });

  it('settles near an account limit it shares: throttled at 30/s, it sends about that and no storm', async () => {
    const { clock, budget } = setup();
    // The account lets 30 answers a second through; the rest are throttled.
    const window: number[] = [];
    let throttled = 0;
    let total = 0;
    await drive(clock, budget, {
      forMs: 20_000,
      throttleAt: (now) => {
        while (window.length > 0 && window[0]! <= now - 1000) window.shift();
        total++;
        if (window.length >= 30) {
          throttled++;
          return true;
        }
        window.push(now);
        return false;
      },
    });
    expect(throttled / total).toBeLessThan(0.1);
    expect(total / 20).toBeGreaterThan(20); // it found more than its starting rate
  });

  it.each<[keyof BudgetOptions, unknown, string]>([
    ['maxRate', 0, 'Expected `maxRate` to be a positive number of requests per second, got 0'],
    ['maxRate', -5, 'Expected `maxRate` to be a positive number of requests per second, got -5'],
    ['maxRate', Number.NaN, 'Expected `maxRate` to be a positive number of requests per second, got NaN'],
    ['maxRate', Number.POSITIVE_INFINITY, 'Expected `maxRate` to be a positive number of requests per second, got Infinity'],
    ['maxRate', '20', 'Expected `maxRate` to be a positive number of requests per second, got 20'],
    ['minRate', 0, 'Expected `minRate` to be a positive number of requests per second, got 0'],
    ['initialRate', -1, 'Expected `initialRate` to be a positive number of requests per second, got -1'],
  ])('rejects %s = %p with a message naming it', (name, value, message) => {
    expect(() => new AdaptiveBudget({ [name]: value } as BudgetOptions)).toThrow(message);
  });
});
