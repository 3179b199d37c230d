/**
 * The status loop's scans on the fake clock: pages read from the last one down, what a scan proves gone without a
 * read by id (snapshot.ts), and that nothing that exists is ever reported gone, whatever happens between pages.
 */
import { AdaptiveBudget } from '../../src/pacing/budget';
import type { ApiFlowLog, DescribeFlowlogsRequest } from '../../src/transport/types';
import { Account } from '../../src/core/session';
import { StatusLoop, type Observation } from '../../src/waiting/statusloop';
import { FakeCenApi } from '../fixtures/fake-api';
import { FakeClock } from '../fixtures/fake-clock';

const REGION = 'cn-hangzhou';
const CEN = 'cen-1';
const BASE = Date.UTC(2025, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const id = (i: number) => `flowlog-${String(i).padStart(4, '0')}`;

/** A flow log created `second` seconds after BASE (CreationTime has second resolution: 20 a second share one). */
const item = (i: number, second: number): Partial<ApiFlowLog> & { FlowLogId: string } => ({
  FlowLogId: id(i),
  CenId: CEN,
  RegionId: REGION,
  Status: 'Active',
  CreationTime: iso(BASE + second * 1000),
});

function setup(count: number, { perSecond = 20, order = 'ascending' as 'ascending' | 'descending' } = {}) {
  const clock = new FakeClock(BASE + 3600_000);
  const api = new FakeCenApi();
  const items = Array.from({ length: count }, (_, i) => item(i, Math.floor(i / perSecond)));
  for (const f of order === 'ascending' ? items : items.reverse()) api.add(f);
  const loop = new StatusLoop(api, new AdaptiveBudget({}, clock), REGION, clock);
  const observe = (flowLogId: string): Promise<Observation> => loop.observe(flowLogId, clock.now(), undefined, CEN);
  const describes = () => api.calls.filter((c) => c.method === 'describeFlowlogs').map((c) => c.req as DescribeFlowlogsRequest);
  const byId = () => describes().filter((c) => c.FlowLogId !== undefined);
  return { clock, api, loop, observe, describes, byId };
}

/** Put `fl` at `index` of the listing (the fake lists in insertion order). */
function insertAt(api: FakeCenApi, index: number, fl: Partial<ApiFlowLog> & { FlowLogId: string }): void {
  const all = [...api.flowLogs.values()];
  api.add(fl);
  all.splice(index, 0, api.flowLogs.get(fl.FlowLogId)!);
  api.flowLogs.clear();
  for (const f of all) api.flowLogs.set(f.FlowLogId, f);
}

/** Every id, read once through the loop: it learns their creation times, as a wait's first read does. */
async function learn(observe: (id: string) => Promise<Observation>, ids: string[]) {
  const seen = await Promise.all(ids.map(observe));
  expect(seen.every((f) => f !== undefined)).toBe(true);
}

describe('StatusLoop scans', () => {
  it('proves a destroyed flow log gone from a scan of an ascending listing, without a read by id', async () => {
    const { observe, api, byId, describes } = setup(100);
    const all = Array.from({ length: 100 }, (_, i) => id(i));
    await learn(observe, all);
    // Half of them deleted, spread over the whole listing: two pages before, one after.
    const gone = all.filter((_, i) => i % 2 === 0);
    for (const x of gone) api.flowLogs.delete(x);
    const before = describes().length;
    const seen = await Promise.all(all.map(observe));
    expect(seen.map((f) => f?.FlowLogId)).toEqual(all.map((x, i) => (i % 2 === 0 ? undefined : x)));
    expect(byId()).toHaveLength(0);
    expect(describes().length - before).toBeLessThanOrEqual(2);
  });

  it('proves gone from one page that lists everything, without knowing any creation time', async () => {
    const { observe, api, byId } = setup(30);
    for (const f of api.flowLogs.values()) delete f.CreationTime;
    const seen = await Promise.all([observe(id(3)), observe('flowlog-never'), observe('flowlog-gone')]);
    expect(seen.map((f) => f?.FlowLogId)).toEqual([id(3), undefined, undefined]);
    expect(byId()).toHaveLength(0);
  });

  it('reads only the tail pages for the newest flow logs of a large listing', async () => {
    const { observe, describes, clock } = setup(1000);
    await Promise.all([observe(id(0)), observe(id(1))]); // a scan: counts the listing
    await clock.sleep(1000);
    const before = describes().length;
    const newest = Array.from({ length: 30 }, (_, i) => id(999 - i));
    const seen = await Promise.all(newest.map(observe));
    expect(seen.map((f) => f?.FlowLogId)).toEqual(newest);
    const pages = describes()
      .slice(before)
      .map((c) => c.PageNumber);
    expect(pages).toEqual([20]);
  });

  it('reads a second tail page when the newest asks span two', async () => {
    const { observe, describes, clock } = setup(1000);
    await Promise.all([observe(id(0)), observe(id(1))]);
    await clock.sleep(1000);
    const before = describes().length;
    const newest = Array.from({ length: 70 }, (_, i) => id(999 - i));
    await Promise.all(newest.map(observe));
    expect(
      describes()
        .slice(before)
        .map((c) => c.PageNumber),
    ).toEqual([20, 19]);
  });

  it('prices a scan by how deep its asks were last listed: a few due asks at the tail cost one page, not one call each', async () => {
    const { observe, describes, clock } = setup(1000);
    const tail = [id(990), id(995), id(999)];
    await learn(observe, tail);
    await clock.sleep(1000);
    const before = describes().length;
    await Promise.all(tail.map(observe));
    expect(describes().slice(before)).toEqual([expect.objectContaining({ PageNumber: 20 })]);
  });

  it('finds a flow log a delete between two pages moves onto a page not read yet', async () => {
    const { observe, api, byId, describes } = setup(60);
    await learn(observe, [id(50), id(10)]);
    // Page 2 is read first; then flowlog-0000 goes, and flowlog-0050 moves to page 1, read next.
    api.onCall = (method, req) => {
      if (method === 'describeFlowlogs' && (req as DescribeFlowlogsRequest).PageNumber === 2) api.flowLogs.delete(id(0));
    };
    const before = describes().length;
    const seen = await Promise.all([observe(id(50)), observe(id(10)), observe(id(49))]);
    expect(seen.map((f) => f?.FlowLogId)).toEqual([id(50), id(10), id(49)]);
    expect(describes().length - before).toBe(2);
    expect(byId()).toHaveLength(0);
  });

  it('never reports gone a flow log a create with the same CreationTime pushes past the page being read (ties)', async () => {
    const { observe, api, byId } = setup(60, { perSecond: 30 });
    // flowlog-0049 (second 1, the newest second) sits last on page 1. After page 2 is read, a flow log created in
    // the same second is listed before it (the service's tie order is unknown): it moves to page 2, read already.
    await learn(observe, [id(49), id(59)]);
    let done = false;
    // Ask it with an id that is certainly gone, so the scan cannot stop early.
    api.add(item(600, 1));
    await learn(observe, [id(600)]);
    api.flowLogs.delete(id(600));
    api.onCall = (method, req) => {
      if (done || method !== 'describeFlowlogs' || (req as DescribeFlowlogsRequest).PageNumber !== 1) return;
      done = true;
      insertAt(api, 40, item(500, 1));
    };
    const seen = await Promise.all([observe(id(49)), observe(id(600))]);
    expect(seen.map((f) => f?.FlowLogId)).toEqual([id(49), undefined]);
    expect(byId().map((c) => c.FlowLogId)).toContain(id(49));
  });

  it('never reports gone a flow log that a create and a delete between two pages shift across the boundary', async () => {
    const { observe, api } = setup(100, { perSecond: 10 });
    const asked = Array.from({ length: 100 }, (_, i) => id(i));
    await learn(observe, asked);
    api.flowLogs.delete(id(3)); // at least one asked id is gone, so the scan reads every page
    let step = 0;
    api.onCall = (method) => {
      if (method !== 'describeFlowlogs' || step++ !== 0) return;
      api.add(item(700, 10)); // a create (appended: the newest) and a delete keep TotalCount as it was
      api.flowLogs.delete(id(20));
    };
    const seen = await Promise.all(asked.map(observe));
    for (const [i, f] of seen.entries()) {
      if (f === undefined) expect([id(3), id(20)]).toContain(asked[i]);
    }
    expect(seen[50]?.FlowLogId).toBe(id(50));
  });

  it('confirms by id on a service that lists newest first, and never reports a listed flow log gone', async () => {
    const { observe, api, byId } = setup(100, { order: 'descending' });
    const all = Array.from({ length: 100 }, (_, i) => id(i));
    await learn(observe, all);
    const gone = [id(0), id(1), id(98), id(99), id(50)];
    for (const x of gone) api.flowLogs.delete(x);
    let step = 0;
    api.onCall = (method) => {
      // Shifts between pages, as a service listing newest first sees them: a delete near the top.
      if (method === 'describeFlowlogs' && step++ === 0) api.flowLogs.delete(id(97));
    };
    const seen = await Promise.all(all.map(observe));
    for (const [i, f] of seen.entries()) if (f === undefined) expect([...gone, id(97)]).toContain(all[i]);
    expect(
      byId()
        .map((c) => c.FlowLogId)
        .sort(),
    ).toEqual(expect.arrayContaining(gone));
  });

  it('confirms by id when no page shows the listing increasing (creation order unverified)', async () => {
    const { observe, api, byId } = setup(80, { perSecond: 1000 }); // every flow log in the same second
    const all = Array.from({ length: 80 }, (_, i) => id(i));
    await learn(observe, all);
    api.flowLogs.delete(id(70));
    const seen = await Promise.all([observe(id(70)), observe(id(10))]);
    expect(seen.map((f) => f?.FlowLogId)).toEqual([undefined, id(10)]);
    expect(byId().map((c) => c.FlowLogId)).toEqual([id(70)]);
  });

  // Random creates (newest, ties in any place among the newest second) and deletes between every two pages: a
  // flow log reported gone must have been deleted before the report.
  it.each(Array.from({ length: 40 }, (_, seed) => seed + 1))(
    'never reports an existing flow log gone (random shifts, seed %i)',
    async (seed) => {
      let s = seed;
      const rand = () => {
        s = (s * 1103515245 + 12345) % 2 ** 31;
        return s / 2 ** 31;
      };
      const { observe, api, clock } = setup(150, { perSecond: 7 });
      let next = 1000;
      let second = Math.floor(149 / 7);
      const deleted = new Set<string>();
      const all = Array.from({ length: 150 }, (_, i) => id(i));
      await learn(observe, all);
      api.onCall = (method) => {
        if (method !== 'describeFlowlogs') return;
        for (let k = Math.floor(rand() * 4); k > 0; k--) {
          const live = [...api.flowLogs.keys()];
          const victim = live[Math.floor(rand() * live.length)];
          if (victim !== undefined) {
            api.flowLogs.delete(victim);
            deleted.add(victim);
          }
        }
        for (let k = Math.floor(rand() * 4); k > 0; k--) {
          if (rand() < 0.3) second++;
          const list = [...api.flowLogs.values()];
          const ties = list.filter((f) => f.CreationTime === iso(BASE + second * 1000)).length;
          insertAt(api, list.length - Math.floor(rand() * (ties + 1)), item(next++, second));
        }
      };
      for (let round = 0; round < 6; round++) {
        const asked = [...all, ...Array.from({ length: next - 1000 }, (_, i) => id(1000 + i))];
        const seen = await Promise.all(asked.map((x) => observe(x).then((f) => ({ x, f, deletedThen: deleted.has(x) }))));
        for (const { x, f, deletedThen } of seen) if (f === undefined) expect({ x, deletedThen }).toEqual({ x, deletedThen: true });
        await clock.sleep(1000);
      }
    },
  );
});

describe('reads answered by a recent scan', () => {
  function account(count: number) {
    const clock = new FakeClock(BASE + 3600_000);
    const api = new FakeCenApi();
    for (let i = 0; i < count; i++) api.add(item(i, Math.floor(i / 20)));
    const s = new Account(api, clock).session(clock.now() + 60_000, () => undefined);
    const read = (x: string) => s.describe(REGION, CEN, x);
    return { clock, api, s, read };
  }

  it('serves a refresh in waves of 8 (the engine at --parallel 8) with one scan a second, not one a wave', async () => {
    const { clock, api, read } = account(100);
    const all = Array.from({ length: 100 }, (_, i) => id(i));
    for (let wave = 0; wave < all.length; wave += 8) {
      const seen = await Promise.all(all.slice(wave, wave + 8).map(read));
      expect(seen.map((f) => f?.FlowLogId)).toEqual(all.slice(wave, wave + 8));
      await clock.sleep(10); // the engine's round trip before the next wave
    }
    expect(api.count('describeFlowlogs')).toBeLessThanOrEqual(3);
  });

  it('answers reads asked while a scan is in flight with that scan, not another', async () => {
    const { clock, api, read } = account(30);
    api.onCall = async (method) => {
      if (method === 'describeFlowlogs') await clock.sleep(100);
    };
    const first = Promise.all([read(id(1)), read(id(2))]);
    await clock.sleep(50);
    const second = await Promise.all([read(id(3)), read(id(4))]);
    expect(second.map((f) => f?.FlowLogId)).toEqual([id(3), id(4)]);
    await first;
    expect(api.count('describeFlowlogs')).toBe(1);
  });

  it('does not answer a read from a scan that started before a write of this process', async () => {
    const { clock, api, s, read } = account(30);
    await Promise.all([read(id(1)), read(id(2))]);
    await s.api.modifyFlowLogAttribute({ RegionId: REGION, CenId: CEN, FlowLogId: id(1), FlowLogName: 'renamed' });
    await expect(read(id(1))).resolves.toMatchObject({ FlowLogName: 'renamed' });
    await clock.sleep(10);
    expect(api.count('describeFlowlogs')).toBe(2);
  });

  it('answers the reads before updates from one scan while other flow logs are being written', async () => {
    const { clock, api, s, read } = account(30);
    api.onCall = async (method) => {
      if (method === 'modifyFlowLogAttribute') await clock.sleep(200);
    };
    await Promise.all([read(id(0)), read(id(29))]);
    // The engine's updates: each reads its flow log, then writes it; the writes of the first overlap the reads of the rest.
    const updates = Array.from({ length: 10 }, async (_, i) => {
      await clock.sleep(i * 20);
      const f = await read(id(i + 1));
      expect(f?.FlowLogId).toBe(id(i + 1));
      await s.api.modifyFlowLogAttribute({ RegionId: REGION, CenId: CEN, FlowLogId: id(i + 1), FlowLogName: 'renamed' });
    });
    await Promise.all(updates);
    expect(api.count('describeFlowlogs')).toBe(1);
  });

  it('does not answer a read of a flow log whose write is in flight from a scan', async () => {
    const { clock, api, s, read } = account(30);
    api.onCall = async (method) => {
      if (method === 'modifyFlowLogAttribute') await clock.sleep(200);
    };
    await Promise.all([read(id(2)), read(id(3))]);
    const writing = s.api.modifyFlowLogAttribute({ RegionId: REGION, CenId: CEN, FlowLogId: id(1), FlowLogName: 'renamed' });
    await clock.sleep(50);
    await read(id(1));
    expect(api.count('describeFlowlogs')).toBe(2);
    await writing;
  });

  it('does not answer a read from a scan made for waits (the next operation sees changes made out of band)', async () => {
    const { api, s, read } = account(30);
    const where = { regionId: REGION, cenId: CEN };
    await Promise.all([s.waitFor(where, id(1), 'Active'), s.waitFor(where, id(2), 'Active')]);
    const before = api.count('describeFlowlogs');
    api.flowLogs.delete(id(1));
    await expect(read(id(1))).resolves.toBeUndefined();
    expect(api.count('describeFlowlogs')).toBeGreaterThan(before);
  });

  it('does not answer a read from a scan more than a second old', async () => {
    const { clock, api, read } = account(30);
    await Promise.all([read(id(1)), read(id(2))]);
    api.flowLogs.get(id(3))!.FlowLogName = 'changed elsewhere';
    await clock.sleep(1001);
    await expect(read(id(3))).resolves.toMatchObject({ FlowLogName: 'changed elsewhere' });
    expect(api.count('describeFlowlogs')).toBe(2);
  });
});
