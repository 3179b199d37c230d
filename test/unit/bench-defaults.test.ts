/**
 * The `defaults` bench section reads "creates in flight at once" from the emulator's request log
 * (bench/lib/defaults.js, `concurrency`): the figure that shows the engine's waves of 8.
 */

interface Entry {
  time: string;
  action: string;
  statusCode: number;
  flowLogId?: string;
  params: Record<string, string>;
}
interface Concurrency {
  inFlight: number;
  writes: number;
  waves: { size: number; startSeconds: number }[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { concurrency } = require('../../bench/lib/defaults.js') as {
  concurrency(requests: Entry[], T: number, write?: string): Concurrency;
};

const T0 = Date.parse('2026-12-05T12:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const REGION = { RegionId: 'cn-hangzhou' };
const create = (s: number, id: string): Entry => ({ time: at(s), action: 'CreateFlowlog', statusCode: 200, flowLogId: id, params: REGION });
const scan = (s: number, params: Record<string, string> = {}): Entry => ({
  time: at(s),
  action: 'DescribeFlowlogs',
  statusCode: 200,
  params: { ...REGION, ...params },
});
/** A status loop's scans every 0.25 s from `from` to `to` seconds. */
const scans = (from: number, to: number) => Array.from({ length: Math.round((to - from) / 0.25) + 1 }, (_, i) => scan(from + i * 0.25));

describe('concurrency (bench section defaults)', () => {
  it('sees the engine’s waves of 8 + 2 at T = 3 s', () => {
    const log = [
      ...Array.from({ length: 8 }, (_, i) => create(i * 0.002, `a${i}`)),
      // The scan at 3.25 s is the first to see them all Active; the engine then starts the last two.
      ...scans(0.25, 3.25),
      create(3.3, 'b0'),
      create(3.31, 'b1'),
      scan(6.35),
    ];
    expect(concurrency(log, 3)).toEqual({
      inFlight: 8,
      writes: 10,
      waves: [
        { size: 8, startSeconds: 0 },
        { size: 2, startSeconds: 3.3 },
      ],
    });
  });

  it('sees ten at once in one wave', () => {
    const log = [...Array.from({ length: 10 }, (_, i) => create(i * 0.005, `a${i}`)), ...scans(0.25, 3.25)];
    expect(concurrency(log, 3)).toMatchObject({ inFlight: 10, waves: [{ size: 10, startSeconds: 0 }] });
  });

  it('ends a create at the first query that could see it Active: a query naming another id does not', () => {
    // Terraform's polls by id: a0's poll at 3.1 s ends a0, not b0 (Active since 3.05 s); b0's own poll at 5 s does.
    const log = [
      create(0, 'a0'),
      create(0.05, 'b0'),
      scan(3.1, { FlowLogId: 'a0' }),
      create(4, 'c0'),
      create(4.01, 'd0'),
      scan(5, { FlowLogId: 'b0' }),
    ];
    expect(concurrency(log, 3).inFlight).toBe(3);
    expect(concurrency(log, 3).waves.map((w) => w.size)).toEqual([2, 2]);
  });

  it('counts no throttled or failed call, and deletes when asked', () => {
    const log: Entry[] = [
      { time: at(0), action: 'DeleteFlowlog', statusCode: 200, params: { ...REGION, FlowLogId: 'a0' } },
      { time: at(0.01), action: 'DeleteFlowlog', statusCode: 400, params: { ...REGION, FlowLogId: 'a1' } },
      { time: at(0.02), action: 'DeleteFlowlog', statusCode: 200, params: { ...REGION, FlowLogId: 'a2' } },
      scan(3.1),
    ];
    expect(concurrency(log, 3, 'DeleteFlowlog')).toMatchObject({ inFlight: 2, writes: 2 });
    expect(concurrency(log, 3).writes).toBe(0);
  });
});
