import { FlowlogStatusError, FlowlogWaitTimeoutError } from '../../src/errors';
import { StatusPoller, statusOutcome, waitForStatus, type WantedState } from '../../src/wait';
import { apiError, FakeCenApi, networkError } from '../fixtures/fake-api';
import { FakeClock } from '../fixtures/fake-clock';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

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
  ])('status %s when waiting for %s is %s', (status, want, outcome) => {
    expect(statusOutcome(status, want)).toBe(outcome);
  });
});

function setup(statuses: (string | undefined)[], id = 'flowlog-abc') {
  const clock = new FakeClock();
  const api = new FakeCenApi();
  api.add({ FlowLogId: id, CenId: 'cen-1' });
  api.scriptStatuses(id, statuses);
  const poller = new StatusPoller(api, clock, { batchWindowMs: 0 });
  return { clock, api, poller };
}

describe('waitForStatus', () => {
  it('polls first within a second, then backs off to the cap', async () => {
    const { clock, poller } = setup([...Array(30).fill('Creating'), 'Active']);
    const fl = await waitForStatus({ regionId: 'cn-hangzhou', cenId: 'cen-1', flowLogId: 'flowlog-abc', want: 'Active', deadline: clock.now() + 600_000, clock, poller });
    expect(fl?.Status).toBe('Active');
    expect(clock.sleeps[0]).toBeLessThan(1000);
    for (let i = 1; i < clock.sleeps.length; i++) expect(clock.sleeps[i]).toBeGreaterThanOrEqual(clock.sleeps[i - 1]!);
    expect(Math.max(...clock.sleeps)).toBe(5000);
    expect(clock.sleeps.slice(-3)).toEqual([5000, 5000, 5000]);
  });

  it('jitters each delay within ±20%', async () => {
    const clock = new FakeClock(undefined, () => 0);
    const api = new FakeCenApi();
    api.add({ FlowLogId: 'f', CenId: 'cen-1' });
    api.scriptStatuses('f', ['Creating', 'Active']);
    await waitForStatus({ regionId: 'cn-hangzhou', cenId: 'cen-1', flowLogId: 'f', want: 'Active', deadline: clock.now() + 60_000, clock, poller: new StatusPoller(api, clock, { batchWindowMs: 0 }) });
    expect(clock.sleeps).toEqual([200, 300]);
  });

  it('resolves undefined once the flow log is gone', async () => {
    const { clock, poller } = setup(['Deleting', 'Deleting', undefined]);
    await expect(waitForStatus({ regionId: 'cn-hangzhou', cenId: 'cen-1', flowLogId: 'flowlog-abc', want: 'Gone', deadline: clock.now() + 60_000, clock, poller })).resolves.toBeUndefined();
  });

  it('times out at the deadline naming the flow log, its last status and the time waited', async () => {
    const { clock, poller } = setup(['Creating']);
    const deadline = clock.now() + 30_000;
    const err = await waitForStatus({ regionId: 'cn-hangzhou', cenId: 'cen-1', flowLogId: 'flowlog-abc', want: 'Active', deadline, clock, poller }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowlogWaitTimeoutError);
    const e = err as FlowlogWaitTimeoutError;
    expect(e.name).toBe('FlowlogWaitTimeoutError');
    expect(e).toMatchObject({ flowLogId: 'flowlog-abc', lastStatus: 'Creating', wanted: 'Active', waitedMs: 30_000 });
    expect(e.message).toContain('flowlog-abc');
    expect(e.message).toContain('Creating');
    expect(e.message).toContain('30s');
    expect(clock.now()).toBe(deadline);
  });

  it('fails fast on a stable status that cannot lead to the wanted one', async () => {
    const { clock, poller } = setup(['Inactive']);
    const err = await waitForStatus({ regionId: 'cn-hangzhou', cenId: 'cen-1', flowLogId: 'flowlog-abc', want: 'Active', deadline: clock.now() + 600_000, clock, poller, settleMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowlogStatusError);
    expect(err).toMatchObject({ name: 'FlowlogStatusError', flowLogId: 'flowlog-abc', status: 'Inactive', wanted: 'Active' });
    expect(clock.elapsed()).toBeLessThan(1000);
  });

  it('treats a wrong status as pending during the settle window (eventual consistency)', async () => {
    const { clock, poller } = setup(['Active', 'Active', 'Modifying', 'Inactive']);
    const fl = await waitForStatus({ regionId: 'cn-hangzhou', cenId: 'cen-1', flowLogId: 'flowlog-abc', want: 'Inactive', deadline: clock.now() + 60_000, clock, poller, settleMs: 3000 });
    expect(fl?.Status).toBe('Inactive');
  });

  it('fails once the settle window is over', async () => {
    const { clock, poller } = setup(['Active']);
    const err = await waitForStatus({ regionId: 'cn-hangzhou', cenId: 'cen-1', flowLogId: 'flowlog-abc', want: 'Inactive', deadline: clock.now() + 60_000, clock, poller, settleMs: 3000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowlogStatusError);
    expect(clock.elapsed()).toBeGreaterThanOrEqual(3000);
    expect(clock.elapsed()).toBeLessThan(6000);
  });

  it('retries a transient poll error on the next tick', async () => {
    const { clock, api, poller } = setup(['Creating', 'Active']);
    api.failNext('describeFlowlogs', apiError('Throttling.User'), networkError('ECONNRESET'));
    const fl = await waitForStatus({ regionId: 'cn-hangzhou', cenId: 'cen-1', flowLogId: 'flowlog-abc', want: 'Active', deadline: clock.now() + 60_000, clock, poller });
    expect(fl?.Status).toBe('Active');
  });

  it('throws a non-retryable poll error at once', async () => {
    const { clock, api, poller } = setup(['Creating']);
    api.failNext('describeFlowlogs', apiError('SignatureDoesNotMatch'));
    await expect(waitForStatus({ regionId: 'cn-hangzhou', cenId: 'cen-1', flowLogId: 'flowlog-abc', want: 'Active', deadline: clock.now() + 60_000, clock, poller }))
      .rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('reports progress at most every 5 s', async () => {
    const { clock, poller } = setup(['Creating']);
    const lines: { at: number; line: string }[] = [];
    await waitForStatus({ regionId: 'cn-hangzhou', cenId: 'cen-1', flowLogId: 'flowlog-abc', want: 'Active', deadline: clock.now() + 30_000, clock, poller,
      onProgress: (line) => lines.push({ at: clock.elapsed(), line }) }).catch(() => undefined);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines[0]!.line).toMatch(/^flowlog-abc: Creating \(\d+(\.\d)?s\)$/);
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.at - lines[i - 1]!.at).toBeGreaterThanOrEqual(5000);
  });
});

describe('StatusPoller', () => {
  it('coalesces concurrent waits on one CEN into one Describe per tick', async () => {
    const clock = new FakeClock();
    const api = new FakeCenApi();
    const ids = Array.from({ length: 30 }, (_, i) => `flowlog-${String(i).padStart(3, '0')}`);
    for (const id of ids) {
      api.add({ FlowLogId: id, CenId: 'cen-1' });
      api.scriptStatuses(id, ['Creating', 'Creating', 'Active']);
    }
    api.add({ FlowLogId: 'flowlog-other', CenId: 'cen-2' });
    const poller = new StatusPoller(api, clock);
    const results = await Promise.all(ids.map((flowLogId) =>
      waitForStatus({ regionId: 'cn-hangzhou', cenId: 'cen-1', flowLogId, want: 'Active', deadline: clock.now() + 60_000, clock, poller })));
    expect(results.map((f) => f?.FlowLogId)).toEqual(ids);
    // 3 polls, each 30 ids over pages of 20 = 2 Describe calls per poll.
    expect(api.count('describeFlowlogs')).toBe(6);
    expect(poller.describeCalls).toBe(6);
  });

  it('joins waiters whose polls fall within the batch window', async () => {
    let r = 0;
    const clock = new FakeClock(undefined, () => [0.1, 0.9, 0.5][r++ % 3]!);
    const api = new FakeCenApi();
    const ids = ['a', 'b', 'c'];
    for (const id of ids) {
      api.add({ FlowLogId: id, CenId: 'cen-1' });
      api.scriptStatuses(id, ['Creating', 'Active']);
    }
    const poller = new StatusPoller(api, clock, { batchWindowMs: 100 });
    await Promise.all(ids.map((flowLogId) =>
      waitForStatus({ regionId: 'cn-hangzhou', cenId: 'cen-1', flowLogId, want: 'Active', deadline: clock.now() + 60_000, clock, poller })));
    // First polls at 210, 290 and 250 ms: one batch. Without the window: three Describes per round.
    expect(api.count('describeFlowlogs')).toBeLessThanOrEqual(3);
  });

  it('rejects a bad batch window or page size', () => {
    expect(() => new StatusPoller(new FakeCenApi(), undefined, { batchWindowMs: -1 })).toThrow('Expected `batchWindowMs`');
    expect(() => new StatusPoller(new FakeCenApi(), undefined, { pageSize: 0 })).toThrow('Expected `pageSize`');
  });

  it('asks by FlowLogId when one id is wanted, and returns undefined when absent', async () => {
    const api = new FakeCenApi();
    const poller = new StatusPoller(api, undefined, { batchWindowMs: 0 });
    await expect(poller.get('cn-hangzhou', 'cen-1', 'flowlog-missing')).resolves.toBeUndefined();
    expect(api.calls[0]!.req).toMatchObject({ RegionId: 'cn-hangzhou', CenId: 'cen-1', FlowLogId: 'flowlog-missing' });
  });

  it('gives each caller its own flow log, undefined for the missing ones, and stops paging when all are found', async () => {
    const api = new FakeCenApi();
    for (let i = 0; i < 45; i++) api.add({ FlowLogId: `f${i}`, CenId: 'cen-1' });
    const poller = new StatusPoller(api, undefined, { batchWindowMs: 0 });
    const [a, b, c] = await Promise.all([poller.get('cn-hangzhou', 'cen-1', 'f1'), poller.get('cn-hangzhou', 'cen-1', 'f3'), poller.get('cn-hangzhou', 'cen-1', 'nope')]);
    expect([a?.FlowLogId, b?.FlowLogId, c]).toEqual(['f1', 'f3', undefined]);
    expect(api.count('describeFlowlogs')).toBe(3); // 'nope' forces all pages: 45 / 20
    const [d, e] = await Promise.all([poller.get('cn-hangzhou', 'cen-1', 'f0'), poller.get('cn-hangzhou', 'cen-1', 'f2')]);
    expect([d?.FlowLogId, e?.FlowLogId]).toEqual(['f0', 'f2']);
    expect(api.count('describeFlowlogs')).toBe(4); // both on page 1
  });

  it('keeps different CENs and regions apart', async () => {
    const api = new FakeCenApi();
    api.add({ FlowLogId: 'a', CenId: 'cen-1' });
    api.add({ FlowLogId: 'b', CenId: 'cen-2' });
    const poller = new StatusPoller(api, undefined, { batchWindowMs: 0 });
    const [a, b] = await Promise.all([poller.get('cn-hangzhou', 'cen-1', 'a'), poller.get('cn-hangzhou', 'cen-2', 'b')]);
    expect([a?.FlowLogId, b?.FlowLogId]).toEqual(['a', 'b']);
    expect(api.count('describeFlowlogs')).toBe(2);
  });

  it('rejects every caller of a failed Describe', async () => {
    const api = new FakeCenApi().failNext('describeFlowlogs', apiError('Throttling.User'));
    const poller = new StatusPoller(api, undefined, { batchWindowMs: 0 });
    const results = await Promise.allSettled([poller.get('cn-hangzhou', 'cen-1', 'a'), poller.get('cn-hangzhou', 'cen-1', 'b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
