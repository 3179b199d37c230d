/**
 * Waiting for a flow log to settle, on the fake clock, through a real status
 * loop and budget over the fake API: when the wait reads, when it ends and
 * how it fails.
 */
import { AdaptiveBudget } from '../../src/pacing/budget';
import { FlowlogStatusError, FlowlogWaitTimeoutError } from '../../src/errors';
import { StatusLoop } from '../../src/waiting/statusloop';
import { nextGapMs, statusOutcome, waitForStatus, type WaitOptions, type WantedState } from '../../src/waiting/wait';
import { apiError, FakeCenApi, networkError } from '../fixtures/fake-api';
import { FakeClock } from '../fixtures/fake-clock';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

const FL = 'flowlog-abc';

describe('statusOutcome', () => {
  it.each<[string | undefined, WantedState, string]>([
    ['Active', 'Active', 'done'],
    ['Creating', 'Active', 'pending'],
    ['Modifying', 'Active', 'pending'],
    ['Inactive', 'Active', 'failed'],
    ['Deleting', 'Active', 'failed'],
    [undefined, 'Active', 'failed'],
    ['Weird', 'Active', 'failed'],
    ['Inactive', 'Inactive', 'done'],
    ['Modifying', 'Inactive', 'pending'],
    ['Creating', 'Inactive', 'pending'],
    ['Active', 'Inactive', 'failed'],
    ['Deleting', 'Inactive', 'failed'],
    [undefined, 'Inactive', 'failed'],
    [undefined, 'Gone', 'done'],
    ['Deleting', 'Gone', 'pending'],
    ['Active', 'Gone', 'failed'],
    ['Inactive', 'Gone', 'failed'],
    ['Creating', 'Gone', 'failed'],
    ['Active', 'Settled', 'done'],
    ['Inactive', 'Settled', 'done'],
    ['Modifying', 'Settled', 'pending'],
    ['Creating', 'Settled', 'pending'],
    ['Deleting', 'Settled', 'failed'],
    [undefined, 'Settled', 'failed'],
    ['Weird', 'Settled', 'failed'],
  ])('status %s when waiting for %s is %s', (status, want, outcome) => {
    expect(statusOutcome(status, want)).toBe(outcome);
  });
});

describe('nextGapMs', () => {
  it.each<[number, number]>([
    [0, 250],
    [1000, 250],
    [2000, 250],
    [5000, 450],
    [10_000, 900],
    [30_000, 2700],
    [55_000, 4950],
    [60_000, 5000],
    [3_600_000, 5000],
  ])('after %i ms waited, reads again %i ms later', (waited, gap) => {
    expect(nextGapMs(waited)).toBeCloseTo(gap, 6);
  });

  it('keeps to the floor and cap it is given', () => {
    expect(nextGapMs(0, 100, 1000)).toBe(100);
    expect(nextGapMs(100_000, 100, 1000)).toBe(1000);
  });
});

/**
 * A flow log `FL` on one CEN with a loop and budget of its own. `statusAt`
 * gives its status at each read (ms since start; undefined = gone); every
 * read's time is recorded.
 */
function setup(statusAt: (elapsed: number) => string | undefined = () => 'Creating') {
  const clock = new FakeClock();
  const api = new FakeCenApi();
  const reads: number[] = [];
  const budget = new AdaptiveBudget({}, clock);
  const loop = new StatusLoop(api, budget, 'cn-hangzhou', clock);
  api.add({ FlowLogId: FL, CenId: 'cen-1', Status: statusAt(0) });
  api.onCall = (method) => {
    if (method !== 'describeFlowlogs') return;
    reads.push(clock.elapsed());
    const status = statusAt(clock.elapsed());
    if (status === undefined) api.flowLogs.delete(FL);
    else if (api.flowLogs.has(FL)) api.flowLogs.get(FL)!.Status = status;
  };
  const wait = (want: WantedState, more: Partial<WaitOptions> = {}) =>
    waitForStatus({ loop, flowLogId: FL, cenId: 'cen-1', want, deadline: clock.now() + 600_000, clock, ...more });
  return { clock, api, loop, reads, wait };
}

/** Status sequences that end in the wanted status at T. */
const transitions: Record<'create' | 'update' | 'delete', [WantedState, (t: number, at: number) => string | undefined]> = {
  create: ['Active', (t, at) => (at >= t ? 'Active' : 'Creating')],
  update: ['Inactive', (t, at) => (at >= t ? 'Inactive' : 'Modifying')],
  delete: ['Gone', (t, at) => (at >= t ? undefined : 'Deleting')],
};

describe('waitForStatus', () => {
  it('reads first after about 250 ms, then about 9% of the time waited apart, up to 5 s', async () => {
    const { wait, reads } = setup((at) => (at >= 90_000 ? 'Active' : 'Creating'));
    await expect(wait('Active')).resolves.toMatchObject({ Status: 'Active' });
    expect(reads[0]).toBe(250);
    const gaps = reads.slice(1).map((t, i) => t - reads[i]!);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(Math.floor(nextGapMs(reads[i]!)));
      expect(gap).toBeLessThanOrEqual(Math.ceil(nextGapMs(reads[i]!)) + 1);
    });
    expect(gaps.slice(-3)).toEqual([5000, 5000, 5000]);
  });

  const times = [500, 2000, 10_000, 30_000];
  const cases = (['create', 'update', 'delete'] as const).flatMap((kind) => times.map((t) => [kind, t] as const));

  it.each(cases)('ends the wait of a %s that completes at %i ms within max(10%% of it, 300 ms)', async (kind, t) => {
    const [want, statusAt] = transitions[kind];
    const { clock, wait, reads } = setup((at) => statusAt(t, at));
    const result = await wait(want);
    if (want === 'Gone') expect(result).toBeUndefined();
    else expect(result?.Status).toBe(want);
    expect(clock.elapsed()).toBeGreaterThanOrEqual(t);
    expect(clock.elapsed()).toBeLessThanOrEqual(t + Math.max(0.1 * t, 300));
    expect(reads.length).toBeLessThanOrEqual(45); // about 40 reads for 30 s
  });

  it('times out at the deadline naming the flow log, its last status and the time waited', async () => {
    const { clock, wait } = setup();
    const deadline = clock.now() + 30_000;
    const err = await wait('Active', { deadline }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowlogWaitTimeoutError);
    const e = err as FlowlogWaitTimeoutError;
    expect(e.name).toBe('FlowlogWaitTimeoutError');
    expect(e).toMatchObject({ flowLogId: FL, lastStatus: 'Creating', wanted: 'Active', waitedMs: 30_000 });
    expect(e.message).toContain(FL);
    expect(e.message).toContain('Creating');
    expect(e.message).toContain('30s');
    expect(clock.now()).toBe(deadline);
  });

  it('names the last poll error when every read failed until the deadline', async () => {
    const { clock, api, wait } = setup();
    api.failNext('describeFlowlogs', ...Array.from({ length: 100 }, () => networkError('ECONNRESET')));
    const deadline = clock.now() + 5000;
    const err = await wait('Active', { deadline }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowlogWaitTimeoutError);
    expect(err).toMatchObject({ lastStatus: undefined, lastError: expect.objectContaining({ code: 'ECONNRESET' }) });
    expect((err as Error).message).toContain('last poll failed');
    expect(clock.now()).toBe(deadline);
  });

  it('times out without a read when the deadline has already passed', async () => {
    const { clock, wait, reads } = setup();
    await expect(wait('Active', { deadline: clock.now() })).rejects.toBeInstanceOf(FlowlogWaitTimeoutError);
    expect(reads).toEqual([]);
  });

  it('fails fast on a stable status that cannot lead to the wanted one', async () => {
    const { clock, wait } = setup(() => 'Inactive');
    const err = await wait('Active', { settleMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowlogStatusError);
    expect(err).toMatchObject({ name: 'FlowlogStatusError', flowLogId: FL, status: 'Inactive', wanted: 'Active' });
    expect(clock.elapsed()).toBeLessThan(1000);
  });

  it('treats a wrong status as pending during the settle window (eventual consistency)', async () => {
    const { wait } = setup((at) => (at < 1000 ? 'Active' : at < 2000 ? 'Modifying' : 'Inactive'));
    await expect(wait('Inactive', { settleMs: 3000 })).resolves.toMatchObject({ Status: 'Inactive' });
  });

  it('treats "not found" as pending during the settle window, then fails naming it', async () => {
    const { clock, wait } = setup(() => undefined);
    const err = await wait('Active').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowlogStatusError);
    expect(err).toMatchObject({ status: undefined });
    expect(clock.elapsed()).toBeGreaterThanOrEqual(3000);
  });

  it('fails once the settle window is over, on the first read after it', async () => {
    const { clock, wait } = setup(() => 'Active');
    const err = await wait('Inactive', { settleMs: 3000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowlogStatusError);
    expect(clock.elapsed()).toBeGreaterThanOrEqual(3000);
    expect(clock.elapsed()).toBeLessThanOrEqual(3000 + 300);
  });

  it.each<[string, (at: number) => string, string]>([
    ['Modifying then Inactive', (at) => (at < 2000 ? 'Modifying' : 'Inactive'), 'Inactive'],
    ['Modifying then Active', (at) => (at < 2000 ? 'Modifying' : 'Active'), 'Active'],
    ['Active from the start', () => 'Active', 'Active'],
  ])('waits until Settled: %s', async (_name, statusAt, final) => {
    const { wait } = setup(statusAt);
    await expect(wait('Settled')).resolves.toMatchObject({ Status: final });
  });

  it('does not take Deleting for Settled', async () => {
    const { wait } = setup(() => 'Deleting');
    await expect(wait('Settled')).rejects.toMatchObject({ name: 'FlowlogStatusError', status: 'Deleting', wanted: 'Settled' });
  });

  it('retries a transient poll error on its next read', async () => {
    const { api, wait } = setup((at) => (at >= 1000 ? 'Active' : 'Creating'));
    api.failNext('describeFlowlogs', apiError('Throttling.User'), networkError('ECONNRESET'), apiError('ServiceUnavailable', 503));
    await expect(wait('Active')).resolves.toMatchObject({ Status: 'Active' });
  });

  it('throws a non-retryable poll error at once', async () => {
    const { api, wait, reads } = setup();
    api.failNext('describeFlowlogs', apiError('SignatureDoesNotMatch'));
    await expect(wait('Active')).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    expect(reads).toHaveLength(1);
  });

  it('does not fail when the service refuses the scan page size', async () => {
    const { clock, api, loop } = setup();
    api.add({ FlowLogId: 'flowlog-def', CenId: 'cen-1', Status: 'Active' });
    api.flowLogs.get(FL)!.Status = 'Active';
    api.onCall = undefined;
    api.maxPageSize = 20;
    const deadline = clock.now() + 60_000;
    const both = await Promise.all(
      [FL, 'flowlog-def'].map((flowLogId) => waitForStatus({ loop, flowLogId, want: 'Active', deadline, clock })),
    );
    expect(both.map((f) => f?.FlowLogId)).toEqual([FL, 'flowlog-def']);
  });

  it('reports progress at most every 5 s', async () => {
    const { clock, wait } = setup();
    const lines: { at: number; line: string }[] = [];
    await wait('Active', { deadline: clock.now() + 30_000, onProgress: (line) => lines.push({ at: clock.elapsed(), line }) }).catch(
      () => undefined,
    );
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines[0]!.line).toMatch(/^flowlog-abc: Creating \(\d+(\.\d)?s\)$/);
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.at - lines[i - 1]!.at).toBeGreaterThanOrEqual(5000);
  });

  it('reports "not found" in progress lines while the flow log is not visible yet', async () => {
    const { clock, wait } = setup(() => undefined);
    const lines: string[] = [];
    await wait('Active', { settleMs: 20_000, deadline: clock.now() + 12_000, onProgress: (l) => lines.push(l) }).catch(() => undefined);
    expect(lines[0]).toMatch(/^flowlog-abc: not found \(/);
  });

  it('once the CEN has shown three transitions of a kind, first reads when the shortest of them was seen done', async () => {
    const { loop, wait, reads } = setup((at) => (at >= 11_000 ? 'Active' : 'Creating'));
    for (const ms of [12_000, 10_000, 15_000]) loop.recordDuration('create', ms);
    await expect(wait('Active', { kind: 'create' })).resolves.toMatchObject({ Status: 'Active' });
    expect(reads[0]).toBe(10_000);
    expect(reads.length).toBeLessThanOrEqual(3);
  });

  it("a wait the loop answers early (another wait's scan) still reads no sooner than it planned", async () => {
    // Three flow logs on one CEN; two waits at once make the loop scan, and a scan answers every waiting flow log.
    // `old` and `old2` are not of a learned kind and become Active at 3 s; `young` starts at 2 s, is of a kind
    // that takes 10 s, and is Active at 12.5 s.
    const clock = new FakeClock();
    const api = new FakeCenApi();
    const budget = new AdaptiveBudget({}, clock);
    const loop = new StatusLoop(api, budget, 'cn-hangzhou', clock);
    const reads: number[] = [];
    api.add({ FlowLogId: 'flowlog-old', CenId: 'cen-1', Status: 'Creating' });
    api.add({ FlowLogId: 'flowlog-old2', CenId: 'cen-1', Status: 'Creating' });
    api.add({ FlowLogId: 'flowlog-young', CenId: 'cen-1', Status: 'Creating' });
    api.onCall = (method) => {
      if (method !== 'describeFlowlogs') return;
      reads.push(clock.elapsed());
      if (clock.elapsed() >= 3000) for (const id of ['flowlog-old', 'flowlog-old2']) api.flowLogs.get(id)!.Status = 'Active';
      if (clock.elapsed() >= 12_500) api.flowLogs.get('flowlog-young')!.Status = 'Active';
    };
    for (let i = 0; i < 3; i++) loop.recordDuration('create', 10_000);
    const wait = (id: string, kind?: string) =>
      waitForStatus({ loop, flowLogId: id, cenId: 'cen-1', want: 'Active', deadline: clock.now() + 60_000, clock, kind });
    const old = Promise.all([wait('flowlog-old'), wait('flowlog-old2')]);
    await clock.sleep(2000);
    const young = wait('flowlog-young', 'create');
    await old;
    const oldDone = clock.elapsed();
    await young;
    // The old wait's reads answered the young one early; after it, the young one reads at its planned 10 s
    // (12 s on the clock) and once more, instead of every 250 ms from 3 s on.
    expect(reads.filter((t) => t > oldDone)).toEqual([12_000, 12_900]);
  });

  it('reads at the usual cadence for a kind it has not learned, and learns from the waits it ends', async () => {
    const { clock, loop, wait, reads } = setup((at) => (at >= 2000 ? 'Active' : 'Creating'));
    await wait('Active', { kind: 'create' });
    expect(reads[0]).toBe(250);
    const took = clock.elapsed();
    await wait('Active', { kind: 'create' });
    await wait('Active', { kind: 'create' });
    expect(loop.typicalMinimum('create')).toBeLessThanOrEqual(took);
    expect(loop.typicalMinimum('delete')).toBeUndefined();
  });
});
