/**
 * The budget following the account's rate-limit headers, on the fake clock: budgets (one per provider
 * process) draw on one simulated account bucket — the emulator's — that reports its level on every answer.
 */
import { AdaptiveBudget } from '../../src/pacing/budget';
import { RateLimiter, rateLimitHeaders } from '../../src/emulator/throttle';
import { rateLimitState } from '../../src/transport/client';
import { FakeClock } from '../fixtures/fake-clock';

/** A seeded generator, so the jitter is the same on every run. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

interface Outcome {
  /** Virtual ms from the start until each process had all its requests accepted. */
  doneAt: number[];
  accepted: number[];
  throttled: number;
  sent: number;
  /**
   * Sent, and throttled of those sent, after the first round trip: at a cold start all at once, what the first
   * answers report is already one round trip old for every process.
   */
  sentInformed: number;
  throttledInformed: number;
}

/**
 * `processes` budgets, each with `perProcess` requests to get accepted (a throttled one is sent again after the
 * wait named), all at once, on one account of `rate` req/s and burst `burst`. The server counts a request
 * `latencyMs / 2` after it is sent and the answer arrives `latencyMs / 2` later. `headers: false` = an account
 * that names only the wait of a refusal (today's transport behaviour).
 */
async function run(opts: {
  processes: number;
  perProcess: number;
  rate: number;
  burst?: number;
  latencyMs?: number;
  /** Each half of a round trip takes up to this much longer, at random (seeded): answers overtake each other. */
  jitterMs?: number;
  headers?: boolean;
  /** Rewrites the rate-limit headers of the `n`th answer (0-based) before the client reads them. */
  mangle?: (headers: Record<string, string>, n: number) => Record<string, string>;
  /** Requests of process `p`, when not `perProcess` each. */
  perProcessOf?: (p: number) => number;
  /** Requests in flight at most per process (the engine's --parallel); all at once by default. */
  concurrency?: number;
  accepted?: (process: number, at: number) => void;
}): Promise<Outcome> {
  const clock = new FakeClock(Date.UTC(2025, 0, 1), seeded(7));
  const account = new RateLimiter(opts.rate, opts.burst ?? opts.rate);
  const base = (opts.latencyMs ?? 10) / 2;
  const jitter = seeded(11);
  const half = () => base + Math.floor(jitter() * (opts.jitterMs ?? 0));
  const out: Outcome = { doneAt: [], accepted: [], throttled: 0, sent: 0, sentInformed: 0, throttledInformed: 0 };
  const informedFrom = 2 * (base + (opts.jitterMs ?? 0));
  let answers = 0;
  await Promise.all(
    Array.from({ length: opts.processes }, async (_, p) => {
      const budget = new AdaptiveBudget({}, clock);
      out.accepted[p] = 0;
      let left = opts.perProcessOf?.(p) ?? opts.perProcess;
      await Promise.all(
        Array.from({ length: Math.min(left, opts.concurrency ?? Infinity) }, async () => {
          while (left > 0) {
            left--;
            await one();
          }
        }),
      );
      out.doneAt[p] = clock.elapsed();

      async function one(): Promise<void> {
        for (;;) {
          const sentAt = await budget.take('write');
          out.sent++;
          const informed = clock.elapsed() > informedFrom;
          if (informed) out.sentInformed++;
          await clock.sleep(half());
          const d = account.take('key', clock.now())!;
          const headers = rateLimitHeaders(d);
          await clock.sleep(half());
          const n = answers++;
          const shown = opts.headers === false ? {} : (opts.mangle?.(headers, n) ?? headers);
          const state = rateLimitState(shown);
          budget.observe(state, { throttled: !d.ok }); // as the client does: on every answer
          if (d.ok) {
            budget.onSuccess();
            out.accepted[p]!++;
            opts.accepted?.(p, clock.elapsed());
            return;
          }
          out.throttled++;
          if (informed) out.throttledInformed++;
          const wait = Number(headers['x-acs-retry-after']);
          budget.onThrottle(sentAt, wait);
          await clock.sleep(wait);
        }
      }
    }),
  );
  return out;
}

describe('AdaptiveBudget following the account rate-limit headers', () => {
  it.each([10, 20, 50])('alone, sends the burst the account reports and then its refill rate (%i req/s)', async (rate) => {
    const { doneAt, throttled } = await run({ processes: 1, perProcess: 100, rate });
    // The physical limit: the burst at once, the rest at the refill rate.
    const ideal = ((100 - rate) / rate) * 1000;
    expect(doneAt[0]).toBeLessThanOrEqual(ideal * 1.05 + 100);
    // Before the first answer it knows nothing: the starting burst of 20 may overrun a smaller account, once.
    expect(throttled).toBeLessThanOrEqual(Math.max(0, 20 - rate) + 2);
  });

  it('shared by five processes at 20 req/s: close to the account rate, few throttles once informed, a fair split', async () => {
    // Each process has 8 requests in flight at most, as the engine's default --parallel on 2 cores.
    const out = await run({ processes: 5, perProcess: 40, rate: 20, concurrency: 8, jitterMs: 20 });
    const last = Math.max(...out.doneAt);
    // 200 requests, 20 of them in the burst: 9 s at the account's rate.
    expect(last).toBeLessThanOrEqual(9000 * 1.1);
    // Before its first answer a process knows nothing: 5 × 8 at once on a burst of 20 overrun it by 20, and what
    // the first answers report is stale by the time they arrive (the others' requests were behind them).
    expect(out.throttled - out.throttledInformed).toBeLessThanOrEqual(40);
    // After that, the level keeps them apart: no storm.
    expect(out.throttledInformed / out.sentInformed).toBeLessThan(0.05);
    expect(out.throttled / out.sent).toBeLessThan(0.2);
    // Nobody finishes long before the others: the account is shared, not grabbed.
    expect(Math.min(...out.doneAt)).toBeGreaterThanOrEqual(last * 0.6);
  });

  it('shared by five processes: each gets about a fifth of the account in the steady state', async () => {
    const counts = [0, 0, 0, 0, 0];
    await run({
      processes: 5,
      perProcess: 60,
      rate: 20,
      jitterMs: 20,
      accepted: (p, at) => {
        if (at >= 3000 && at < 9000) counts[p]!++;
      },
    });
    const total = counts.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(6 * 20 * 0.9);
    for (const c of counts) expect(c / total).toBeGreaterThan(0.12);
    for (const c of counts) expect(c / total).toBeLessThan(0.28);
  });

  it('takes the whole account back when the processes it shared with are done', async () => {
    // Four small stacks and a large one start together; after a second or two the large one is alone.
    const { doneAt } = await run({ processes: 5, perProcess: 0, perProcessOf: (p) => (p === 4 ? 200 : 10), rate: 20, concurrency: 8 });
    // 240 requests, 20 in the burst: 11 s at the account's rate.
    expect(doneAt[4]).toBeLessThanOrEqual(11_000 * 1.1);
  });

  it('is not held up by one wild wait among many, nor by garbage headers', async () => {
    const { doneAt } = await run({
      processes: 1,
      perProcess: 100,
      rate: 20,
      mangle: (h, n) =>
        n === 60
          ? { 'x-ratelimit-user': 'Limit:20,Remain:0,TimeLeft:60000' }
          : n % 7 === 0
            ? { 'x-ratelimit-user': 'Limit:20,Remain:lots,TimeLeft:0', 'x-ratelimit-user-api': 'Limit:0,Remain:0,TimeLeft:-1' }
            : h,
    });
    expect(doneAt[0]).toBeLessThanOrEqual(4000 * 1.1 + 100);
  });

  it('stops following headers that report tokens left on refusals (no storm on a lying level)', async () => {
    const out = await run({
      processes: 1,
      perProcess: 100,
      rate: 20,
      mangle: () => ({ 'x-ratelimit-user': 'Limit:1000,Remain:900,TimeLeft:0' }),
    });
    // Believed until the first refusal, it costs one burst up to the ceiling (100/s, the 20 of the start
    // excepted); then it paces adaptively, not on the lie.
    expect(out.throttled).toBeLessThanOrEqual(80 + 5);
  });

  it('goes back to adaptive pacing when successes stop carrying the headers', async () => {
    const { doneAt } = await run({ processes: 1, perProcess: 100, rate: 20, mangle: (h, n) => (n < 40 ? h : {}) });
    // Not stalled on a level no answer updates any more: the account's 20/s, give or take the adaptive probing.
    expect(doneAt[0]).toBeLessThanOrEqual(4000 * 1.25);
  });

  it('does not wait out its sleep when the request it waited on gets no answer at all', async () => {
    const clock = new FakeClock();
    const budget = new AdaptiveBudget({}, clock);
    await budget.take('write');
    budget.observe({ limit: 20, remain: 1, timeLeftMs: 0 }); // one token left, the refill rate not known yet
    budget.onSuccess();
    await budget.take('write'); // takes it
    const next = budget.take('write').then(() => clock.elapsed()); // nothing left: waits for an answer
    await clock.sleep(100);
    budget.onUnanswered(); // the request in flight timed out: nothing will report the level
    expect(await next).toBeLessThanOrEqual(101);
  });

  it('with the headers on refusals only, paces exactly as without them', async () => {
    const refusalsOnly = await run({
      processes: 1,
      perProcess: 100,
      rate: 20,
      mangle: (h) => (h['x-acs-retry-after'] === undefined ? {} : h),
    });
    const none = await run({ processes: 1, perProcess: 100, rate: 20, headers: false });
    expect(refusalsOnly.doneAt).toEqual(none.doneAt);
    expect(refusalsOnly.sent).toBe(none.sent);
  });

  it('without the level headers (only the wait of a refusal), it keeps its adaptive pace', async () => {
    const { doneAt } = await run({ processes: 1, perProcess: 60, rate: 20, headers: false });
    // The starting burst of 20 and then 20/s, as before.
    expect(doneAt[0]).toBeGreaterThanOrEqual(1900);
    expect(doneAt[0]).toBeLessThanOrEqual(2600);
  });
});
