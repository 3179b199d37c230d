/**
 * The per-CEN status loop on the fake clock, against the fake API: what it
 * costs in DescribeFlowlogs calls, what each ask is told, and when.
 */
import { AdaptiveBudget } from '../../src/pacing/budget';
import type { DescribeFlowlogsRequest } from '../../src/transport/types';
import { Account } from '../../src/core/session';
import { StatusLoop, type Observation } from '../../src/waiting/statusloop';
import { waitForStatus } from '../../src/waiting/wait';
import { apiError, FakeCenApi, networkError } from '../fixtures/fake-api';
import { FakeClock } from '../fixtures/fake-clock';

const REGION = 'cn-hangzhou';
const CEN = 'cen-1';
const TR = 'tr-1';
const id = (i: number) => `flowlog-${String(i).padStart(3, '0')}`;

function setup(opts: { count?: number; status?: string; pageSize?: number } = {}) {
  const clock = new FakeClock();
  const api = new FakeCenApi();
  for (let i = 0; i < (opts.count ?? 0); i++) {
    api.add({ FlowLogId: id(i), CenId: CEN, TransitRouterId: TR, Status: opts.status ?? 'Active' });
  }
  const budget = new AdaptiveBudget({}, clock);
  const loop = new StatusLoop(api, budget, REGION, clock, opts.pageSize === undefined ? {} : { pageSize: opts.pageSize });
  /** An ask for a flow log of the CEN every test flow log is on. */
  const observe = (flowLogId: string, dueAt: number, transitRouterId?: string): Promise<Observation> =>
    loop.observe(flowLogId, dueAt, transitRouterId, CEN);
  const describes = () => api.calls.filter((c) => c.method === 'describeFlowlogs').map((c) => c.req as DescribeFlowlogsRequest);
  return { clock, api, budget, loop, observe, describes };
}

/** Tracks how many DescribeFlowlogs are in flight, each taking `latencyMs` of virtual time. */
function withLatency(api: FakeCenApi, clock: FakeClock, latencyMs: number) {
  const seen = { inFlight: 0, maxInFlight: 0, starts: [] as number[] };
  api.onCall = async (method) => {
    if (method !== 'describeFlowlogs') return;
    seen.inFlight++;
    seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
    seen.starts.push(clock.elapsed());
    await clock.sleep(latencyMs);
    seen.inFlight--;
  };
  return seen;
}

describe('StatusLoop', () => {
  it('reads one due ask by its FlowLogId', async () => {
    const { clock, describes, observe } = setup({ count: 30 });
    await expect(observe(id(7), clock.now(), TR)).resolves.toMatchObject({ FlowLogId: id(7), Status: 'Active' });
    expect(describes()).toEqual([expect.objectContaining({ RegionId: REGION, CenId: CEN, FlowLogId: id(7) })]);
  });

  it('resolves undefined for an id the service does not know', async () => {
    const { clock, observe } = setup({ count: 3 });
    await expect(observe('flowlog-missing', clock.now())).resolves.toBeUndefined();
  });

  it('polls no sooner than the ask is due', async () => {
    const { clock, describes, observe } = setup({ count: 1 });
    const seen = observe(id(0), clock.now() + 700).then(() => clock.elapsed());
    await expect(seen).resolves.toBe(700);
    expect(describes()).toHaveLength(1);
  });

  it('serves many due asks with one scan of the CEN, paged by 50, filtered by their transit router', async () => {
    const { clock, describes, observe } = setup({ count: 120 });
    const asked = Array.from({ length: 60 }, (_, i) => id(i * 2));
    const seen = await Promise.all(asked.map((x) => observe(x, clock.now(), TR)));
    expect(seen.map((f) => f?.FlowLogId)).toEqual(asked);
    const calls = describes();
    expect(calls).toHaveLength(3);
    expect(calls.map((c) => c.PageNumber).sort()).toEqual([1, 2, 3]);
    for (const c of calls) expect(c).toMatchObject({ RegionId: REGION, CenId: CEN, TransitRouterId: TR, PageSize: 50 });
    for (const c of calls) expect(c.FlowLogId).toBeUndefined();
  });

  it('does not filter a scan by transit router when the asks name different ones', async () => {
    const { clock, api, describes, observe } = setup({ count: 3 });
    api.add({ FlowLogId: 'flowlog-other-tr', CenId: CEN, TransitRouterId: 'tr-2' });
    const seen = await Promise.all([observe(id(0), clock.now(), TR), observe('flowlog-other-tr', clock.now(), 'tr-2')]);
    expect(seen.map((f) => f?.FlowLogId)).toEqual([id(0), 'flowlog-other-tr']);
    expect(describes()).toHaveLength(1);
    expect(describes()[0]!.TransitRouterId).toBeUndefined();
  });

  it('gives each ask its own flow log, undefined only for the ones that are not there', async () => {
    const { clock, observe } = setup({ count: 45 });
    const [a, b, c] = await Promise.all([observe(id(1), clock.now()), observe(id(3), clock.now()), observe('nope', clock.now())]);
    expect([a?.FlowLogId, b?.FlowLogId, c]).toEqual([id(1), id(3), undefined]);
  });

  // Once a scan has counted the CEN (120 flow logs = 3 pages of 50), a tick
  // looks due ids up one by one only while that is cheaper than the scan.
  it.each<[number, number, 'by id' | 'scan']>([
    [1, 1, 'by id'],
    [2, 2, 'by id'],
    [3, 3, 'scan'],
    [40, 3, 'scan'],
  ])('with %i due asks on a CEN of 3 pages, makes %i calls (%s)', async (due, calls, mode) => {
    const { clock, describes, observe } = setup({ count: 120 });
    await Promise.all([observe(id(0), clock.now()), observe(id(1), clock.now())]); // counts the CEN
    await clock.sleep(5000);
    const before = describes().length;
    const later = observe(id(100), clock.now() + 60_000); // not due yet
    let laterServed = false;
    void later.then(() => {
      laterServed = true;
    });
    const seen = await Promise.all(Array.from({ length: due }, (_, i) => observe(id(10 + i), clock.now())));
    expect(seen.map((f) => f?.FlowLogId)).toEqual(Array.from({ length: due }, (_, i) => id(10 + i)));
    const made = describes().slice(before);
    expect(made).toHaveLength(calls);
    expect(made.every((c) => (mode === 'by id' ? c.FlowLogId !== undefined : c.PageSize === 50))).toBe(true);
    // A scan serves the ask that was not due yet too; a lookup by id does not.
    await new Promise((resolve) => setImmediate(resolve));
    expect(laterServed).toBe(mode === 'scan');
    if (mode === 'scan') await expect(later).resolves.toMatchObject({ FlowLogId: id(100) });
  });

  it('finds a flow log a delete between two pages shifts, reading from the last page down, and confirms an unknown id by id', async () => {
    const { clock, api, describes, observe } = setup({ count: 60 });
    // Another flow log disappears between the two pages: everything after it moves up one place, so flowlog-050
    // moves from page 2 (read first) to page 1 (read next), which lists it.
    api.onCall = (method, req) => {
      if (method === 'describeFlowlogs' && (req as DescribeFlowlogsRequest).PageNumber === 2) api.flowLogs.delete(id(0));
    };
    const [moved, kept, gone] = await Promise.all([
      observe(id(50), clock.now()),
      observe(id(10), clock.now()),
      observe('flowlog-gone', clock.now()),
    ]);
    expect(moved).toMatchObject({ FlowLogId: id(50), Status: 'Active' });
    expect(kept).toMatchObject({ FlowLogId: id(10) });
    expect(gone).toBeUndefined();
    const byId = describes()
      .filter((c) => c.FlowLogId !== undefined)
      .map((c) => c.FlowLogId);
    expect(byId).toEqual(['flowlog-gone']);
  });

  it('keeps at most one DescribeFlowlogs in flight, whatever the asks', async () => {
    const { clock, api, observe } = setup({ count: 130 });
    const latency = withLatency(api, clock, 300);
    const asks: Promise<Observation>[] = [];
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < (round % 4) * 10 + 1; i++) asks.push(observe(id((round * 7 + i) % 130), clock.now() + (i % 3) * 100));
      asks.push(observe(`flowlog-gone-${round}`, clock.now()));
      await clock.sleep(170);
    }
    const seen = await Promise.all(asks);
    expect(seen.filter((f) => f === undefined)).toHaveLength(20);
    expect(latency.starts.length).toBeGreaterThan(20);
    expect(latency.maxInFlight).toBe(1);
  });

  it('answers an ask made while a read is in flight with a later read, never an older one', async () => {
    const { clock, api, observe } = setup({ count: 1, status: 'Creating' });
    // Each read takes 300 ms and answers with the state when it was sent; the flow log turns Active at 50 ms.
    const starts: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    api.onCall = async (method) => {
      if (method !== 'describeFlowlogs') return;
      const status = clock.elapsed() >= 50 ? 'Active' : 'Creating';
      starts.push(clock.elapsed());
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await clock.sleep(300);
      inFlight--;
      api.flowLogs.get(id(0))!.Status = status;
    };
    const first = observe(id(0), clock.now()).then((f) => ({ f, at: clock.elapsed() }));
    await clock.sleep(100);
    const second = observe(id(0), clock.now()).then((f) => ({ f, at: clock.elapsed() }));
    const [a, b] = await Promise.all([first, second]);
    expect(a.f?.Status).toBe('Creating');
    expect(b.f?.Status).toBe('Active');
    expect(starts.filter((t) => t >= 100)).not.toHaveLength(0);
    expect(b.at).toBeGreaterThanOrEqual(100 + 300);
    expect(maxInFlight).toBe(1);
  });

  it('while writes wait in the budget, keeps its polls to a small share; once they are done, polls more often', async () => {
    const { clock, api, budget, observe } = setup({ count: 20, status: 'Creating' });
    const pollTimes: number[] = [];
    api.onCall = (method) => {
      if (method === 'describeFlowlogs') pollTimes.push(clock.elapsed());
    };
    let writesDoneAt = Number.POSITIVE_INFINITY;
    const writes = Promise.all(Array.from({ length: 100 }, () => budget.take('write'))).then(() => {
      writesDoneAt = clock.elapsed();
    });
    const answers = new Map<string, number[]>();
    const waiter = async (fid: string) => {
      while (clock.elapsed() < writesDoneAt + 2000) {
        await observe(fid, clock.now() + 250);
        answers.set(fid, [...(answers.get(fid) ?? []), clock.elapsed()]);
      }
    };
    await Promise.all([writes, ...Array.from({ length: 20 }, (_, i) => waiter(id(i)))]);
    // 80 writes beyond the burst at 20/s, less the polls' share: done in well under 5 s.
    expect(writesDoneAt).toBeLessThanOrEqual(4400);
    const during = pollTimes.filter((t) => t <= writesDoneAt).length;
    // Each poll delays every queued write by one token: a twentieth of the budget at most.
    expect(during).toBeLessThanOrEqual(Math.ceil((0.05 * 20 * writesDoneAt) / 1000) + 1);
    // ...but never starved: each waiter is answered at least once a second.
    for (const times of answers.values()) {
      const inWrites = [0, ...times.filter((t) => t <= writesDoneAt)];
      for (let i = 1; i < inWrites.length; i++) expect(inWrites[i]! - inWrites[i - 1]!).toBeLessThanOrEqual(1000);
    }
    const after = pollTimes.filter((t) => t > writesDoneAt && t <= writesDoneAt + 2000).length;
    expect(after).toBeGreaterThan((during / writesDoneAt) * 2000 * 1.5);
  });

  it('rejects every ask a failed read served, and serves later asks', async () => {
    const { clock, api, observe } = setup({ count: 3 });
    api.failNext('describeFlowlogs', apiError('Throttling.User'));
    const results = await Promise.allSettled([observe(id(0), clock.now()), observe(id(1), clock.now())]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'Throttling.User' });
    await expect(observe(id(2), clock.now())).resolves.toMatchObject({ FlowLogId: id(2) });
  });

  it('tells the budget about a throttled poll', async () => {
    const { clock, api, budget, observe } = setup({ count: 1 });
    api.failNext('describeFlowlogs', apiError('Throttling.User'));
    await clock.sleep(100);
    await expect(observe(id(0), clock.now())).rejects.toMatchObject({ code: 'Throttling.User' });
    expect(budget.rate).toBeLessThan(20);
  });

  it('falls back to pages of 20 when the service refuses 50, and no ask loses its answer', async () => {
    const { clock, api, describes, observe } = setup({ count: 30 });
    api.maxPageSize = 20;
    const first = await Promise.allSettled([observe(id(0), clock.now()), observe(id(25), clock.now())]);
    const second = await Promise.all([observe(id(1), clock.now()), observe(id(26), clock.now())]);
    expect(second.map((f) => f?.FlowLogId)).toEqual([id(1), id(26)]);
    const scans = describes().filter((c) => c.PageSize !== undefined);
    expect(scans[0]!.PageSize).toBe(50);
    expect(scans.slice(1).every((c) => c.PageSize === 20)).toBe(true);
    // The asks of the refused scan are answered too (by a scan of 20), not failed with InvalidParameter.PageSize.
    expect(first.map((r) => (r.status === 'fulfilled' ? r.value?.FlowLogId : (r.reason as { code?: string }).code))).toEqual([
      id(0),
      id(25),
    ]);
  });

  it('does not fall back on another error of a scan', async () => {
    const { clock, api, describes, observe } = setup({ count: 30 });
    api.failNext('describeFlowlogs', networkError('ECONNRESET'));
    await Promise.allSettled([observe(id(0), clock.now()), observe(id(25), clock.now())]);
    await Promise.all([observe(id(1), clock.now()), observe(id(26), clock.now())]);
    expect(
      describes()
        .filter((c) => c.PageSize !== undefined)
        .every((c) => c.PageSize === 50),
    ).toBe(true);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects the page size %p with a message naming it', (pageSize) => {
    const clock = new FakeClock();
    expect(() => new StatusLoop(new FakeCenApi(), new AdaptiveBudget({}, clock), REGION, clock, { pageSize })).toThrow(
      `Expected \`pageSize\` to be a positive integer, got ${String(pageSize)}`,
    );
  });

  it('learns the shortest recent transition of a kind once it has seen three, remembering the last 16', () => {
    const { loop } = setup();
    loop.recordDuration('create', 9000);
    loop.recordDuration('create', 7000);
    expect(loop.typicalMinimum('create')).toBeUndefined();
    loop.recordDuration('create', 8000);
    expect(loop.typicalMinimum('create')).toBe(7000);
    expect(loop.typicalMinimum('delete')).toBeUndefined();
    for (let i = 0; i < 16; i++) loop.recordDuration('create', 10_000);
    expect(loop.typicalMinimum('create')).toBe(10_000);
  });
});

describe('waits on one CEN through its loop', () => {
  /** N waits for flow logs that all turn Active at `activeAt` ms. */
  async function run(n: number, activeAt = 3000) {
    const { clock, api, loop, describes } = setup({ count: n, status: 'Creating' });
    api.onCall = (method) => {
      if (method === 'describeFlowlogs' && clock.elapsed() >= activeAt) for (const f of api.flowLogs.values()) f.Status = 'Active';
    };
    const doneAt = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        waitForStatus({ loop, flowLogId: id(i), transitRouterId: TR, want: 'Active', deadline: clock.now() + 60_000, clock }).then((f) => {
          expect(f?.Status).toBe('Active');
          return clock.elapsed();
        }),
      ),
    );
    return { calls: describes().length, lastDone: Math.max(...doneAt) };
  }

  it('costs calls flat in the number of waiters: 50 waiters, a few scans', async () => {
    const one = await run(1);
    const ten = await run(10);
    const fifty = await run(50);
    // One read about every 250 ms until 3 s, however many wait.
    expect(fifty.calls).toBeLessThanOrEqual(3000 / 250 + 3);
    expect(fifty.calls).toBeLessThanOrEqual(ten.calls + 1);
    expect(ten.calls).toBeLessThanOrEqual(one.calls + 1);
    expect(fifty.calls).toBeLessThan(50);
    for (const r of [one, ten, fifty]) expect(r.lastDone).toBeLessThanOrEqual(3000 + 300);
  });
});

describe('Account', () => {
  const setupAccount = () => {
    const clock = new FakeClock();
    const api = new FakeCenApi();
    const account = new Account(api, clock);
    return { clock, api, account };
  };

  it('confirms a large destroy gone even when some reads of every tick fail', async () => {
    const { clock, api, account } = setupAccount();
    const ids = Array.from({ length: 60 }, (_, i) => id(i)); // deleted: the service no longer lists them
    let calls = 0;
    api.onCall = (method) => {
      if (method === 'describeFlowlogs' && ++calls % 7 === 0) throw networkError('ECONNRESET');
    };
    const s = account.session(clock.now() + 10 * 60_000, () => undefined);
    const start = clock.now();
    const gone = await Promise.all(ids.map((x) => s.waitFor({ regionId: REGION, cenId: CEN }, x, 'Gone', 'delete')));
    expect(gone.every((f) => f === undefined)).toBe(true);
    expect(clock.now() - start).toBeLessThan(2 * 60_000);
    expect(calls).toBeLessThan(3 * ids.length);
  });

  it('has one loop per region, shared by its CENs', () => {
    const { account } = setupAccount();
    expect(account.loop(REGION)).toBe(account.loop(REGION));
    expect(account.loop(REGION)).not.toBe(account.loop('cn-shanghai'));
  });

  it('serves flow logs of several CENs of a region with one scan of the region, and keeps regions apart', async () => {
    const { clock, api, account } = setupAccount();
    api.add({ FlowLogId: 'a', CenId: 'cen-1' });
    api.add({ FlowLogId: 'b', CenId: 'cen-2' });
    const s = account.session(clock.now() + 60_000, () => undefined);
    const [a, b] = await Promise.all([s.describe(REGION, 'cen-1', 'a'), s.describe(REGION, 'cen-2', 'b')]);
    expect([a?.FlowLogId, b?.FlowLogId]).toEqual(['a', 'b']);
    const reqs = api.calls.map((c) => c.req as DescribeFlowlogsRequest);
    expect(reqs).toHaveLength(1);
    expect(reqs[0]).toMatchObject({ RegionId: REGION });
    expect(reqs[0]?.CenId).toBeUndefined();
    await expect(s.describe('cn-shanghai', 'cen-1', 'a')).resolves.toBeUndefined();
  });

  it('scans only the CEN when every waiting flow log is of that CEN', async () => {
    const { clock, api, account } = setupAccount();
    for (const x of ['a', 'b', 'c']) api.add({ FlowLogId: x, CenId: 'cen-1' });
    const s = account.session(clock.now() + 60_000, () => undefined);
    await Promise.all(['a', 'b', 'c'].map((x) => s.describe(REGION, 'cen-1', x)));
    expect(api.calls.map((c) => (c.req as DescribeFlowlogsRequest).CenId)).toEqual(['cen-1']);
  });

  it('batches reads of many flow logs of one CEN (refresh) with each other', async () => {
    const { clock, api, account } = setupAccount();
    for (let i = 0; i < 40; i++) api.add({ FlowLogId: id(i), CenId: CEN });
    const s = account.session(clock.now() + 60_000, () => undefined);
    const seen = await Promise.all(Array.from({ length: 40 }, (_, i) => s.describe(REGION, CEN, id(i))));
    expect(seen.every((f, i) => f?.FlowLogId === id(i))).toBe(true);
    expect(api.count('describeFlowlogs')).toBeLessThanOrEqual(2);
  });

  it('retries a read that failed on a transient error, and never reports it gone', async () => {
    const { clock, api, account } = setupAccount();
    api.add({ FlowLogId: 'a', CenId: CEN });
    api.failNext('describeFlowlogs', apiError('Throttling.User'), networkError('ECONNRESET'), apiError('ServiceUnavailable', 503));
    const s = account.session(clock.now() + 60_000, () => undefined);
    await expect(s.describe(REGION, CEN, 'a')).resolves.toMatchObject({ FlowLogId: 'a' });
    expect(api.count('describeFlowlogs')).toBe(4);
  });

  it('throws a read error that is not transient, and a transient one at the deadline', async () => {
    const { clock, api, account } = setupAccount();
    api.failNext('describeFlowlogs', apiError('Forbidden.RAM', 403));
    const s = account.session(clock.now() + 60_000, () => undefined);
    await expect(s.describe(REGION, CEN, 'a')).rejects.toMatchObject({ code: 'Forbidden.RAM' });
    api.failNext('describeFlowlogs', ...Array.from({ length: 200 }, () => networkError('ECONNRESET')));
    const deadline = clock.now() + 5000;
    const short = account.session(deadline, () => undefined);
    await expect(short.describe(REGION, CEN, 'a')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(clock.now()).toBeLessThanOrEqual(deadline);
  });

  it('waits through the loop and logs progress', async () => {
    const { clock, api, account } = setupAccount();
    api.add({ FlowLogId: 'a', CenId: CEN, Status: 'Creating' });
    api.onCall = () => {
      if (clock.elapsed() >= 12_000) api.flowLogs.get('a')!.Status = 'Active';
    };
    const lines: string[] = [];
    const s = account.session(clock.now() + 60_000, (l) => lines.push(l));
    await expect(s.waitFor({ regionId: REGION, cenId: CEN, transitRouterId: TR }, 'a', 'Active')).resolves.toMatchObject({
      Status: 'Active',
    });
    expect(lines.some((l) => /^a: Creating \(\d+(\.\d)?s\)$/.test(l))).toBe(true);
    expect(clock.elapsed()).toBeLessThanOrEqual(12_000 + 1200);
  });

  it("sends writes through the budget, with the deadline as each attempt's timeout", async () => {
    const { clock, api, account } = setupAccount();
    api.failNext('createFlowlog', apiError('ServiceUnavailable', 503));
    const deadline = clock.now() + 30_000;
    const s = account.session(deadline, () => undefined);
    await s.api.createFlowlog({ RegionId: REGION, CenId: CEN });
    const creates = api.calls.filter((c) => c.method === 'createFlowlog');
    expect(creates).toHaveLength(2);
    for (const c of creates) {
      expect(c.opts?.timeoutMs).toBeGreaterThan(0);
      expect(c.opts!.timeoutMs!).toBeLessThanOrEqual(30_000);
    }
  });

  it('caps its budget at the configured requests per second', () => {
    const { api, clock } = setupAccount();
    expect(new Account(api, clock, 5).budget.rate).toBe(5);
    expect(new Account(api, clock, 5).budget.maxRate).toBe(5);
    expect(new Account(api, clock).budget.rate).toBe(20);
  });
});
