/**
 * The bench's ideal provider (issue 20): its token bucket, shared by every resource of a provider process, and
 * bench/RESULTS.md rendered against it, also from results stored before the ideal existed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { IDEAL } = require('../../bench/lib/pulumi.js') as { IDEAL: string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { render } = require('../../bench/lib/report.js') as { render(results: unknown): string };

const meta = {
  date: '2026-12-05T00:00:00Z',
  machine: { cpus: 2, cpuModel: 'test', memoryGb: 1, node: 'v20', pulumi: 'Pulumi CLI v3.248.0' },
  root: { path: '/x', label: 'abc' },
  repeat: 1,
  capFactor: 4,
  loadBefore: '0',
  loadAfter: '0',
  minutes: 1,
};
const log = (requests = 100) => ({ requests, throttled: 0, accepted: { CreateFlowlog: requests }, spanSeconds: 1 });
const cliRun = (kind: string, phase: string, seconds: number, parallel: number | string = 100) => ({
  rep: 1,
  kind,
  parallel,
  phase,
  seconds,
  exitCode: 0,
  log: log(),
  writes: 100,
  beyondWrites: 0,
});
const pluginRun = (kind: string, phase: string, seconds: number) => ({
  ...cliRun(kind, phase, seconds),
  count: 100,
  callsPerFlowLog: 1,
  startup: [],
});
/** The table row whose first cells are `cells`. */
const row = (md: string, ...cells: string[]) => md.split('\n').find((l) => l.startsWith(`| ${cells.join(' | ')} |`));

describe('the ideal provider', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ideal-'));
    fs.writeFileSync(path.join(dir, 'ideal.js'), IDEAL);
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('takes one token per write from one bucket of the account rate and burst, first come first served', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { take } = require(path.join(dir, 'ideal.js')) as { take(account: { rate: number; burst: number }): Promise<void> };
    const grantedAt: number[] = [];
    const start = performance.now();
    const all = Array.from({ length: 25 }, () => take({ rate: 20, burst: 20 }).then(() => grantedAt.push(performance.now() - start)));
    await jest.advanceTimersByTimeAsync(1000);
    await Promise.all(all);
    expect(grantedAt.slice(0, 20).every((t) => t === 0)).toBe(true);
    expect(grantedAt.slice(20).map((t) => Math.round(t))).toEqual([50, 100, 150, 200, 250]);
  });
});

describe('RESULTS.md against the ideal provider', () => {
  test('writes are measured against the ideal, refresh against the no-op, each with its target', () => {
    const runs = [
      cliRun('flowlog', 'up', 10.5),
      cliRun('ideal', 'up', 10),
      cliRun('noop', 'up', 6),
      cliRun('flowlog', 'destroy', 24),
      cliRun('ideal', 'destroy', 8),
      cliRun('noop', 'destroy', 5),
      cliRun('flowlog', 'refresh', 2, 'default'),
      cliRun('noop', 'refresh', 1.8, 'default'),
    ];
    const md = render({ sections: { cli: { meta, data: { modifyPhase: true, runs } } } });
    expect(row(md, '100', 'up', '10.5', '10.0', '6.0', '1.05', '1.75', '≤ 1.10 × ideal', '**yes**')).toBeDefined();
    expect(row(md, '100', 'destroy', '24.0', '8.0', '5.0', '3.00', '4.80', '≤ 1.10 × ideal', 'no')).toBeDefined();
    expect(row(md, 'default', 'refresh', '2.0', '–', '1.8', '–', '1.11', '≤ 1.25 × no-op', '**yes**')).toBeDefined();
  });

  test('results stored before the ideal existed render with "–" where it would be', () => {
    const cli = [
      cliRun('flowlog', 'up', 45, 'default'),
      cliRun('noop', 'up', 43, 'default'),
      cliRun('flowlog', 'up', 12),
      cliRun('noop', 'up', 8),
    ];
    const plugin = ['flowlog', 'plugin', 'noop'].map((k) => pluginRun(k, 'up', 10));
    const scale = [{ rep: 1, rate: 20, cens: 1, N: 100, T: 3, bound: 7, wallSeconds: 8, done: 100, rejected: 0, log: log() }];
    const md = render({
      sections: {
        scale: { meta, data: { runs: scale } },
        cli: { meta, data: { modifyPhase: true, runs: cli } },
        plugin: { meta, data: { modifyPhase: true, count: 100, T: 3, runs: plugin } },
      },
    });
    expect(row(md, '100', 'up', '12.0', '–', '8.0', '–', '1.50', '≤ 1.10 × ideal', '–')).toBeDefined();
    expect(row(md, 'default', 'up', '45.0', '–', '43.0', '–', '1.05', '–', '–')).toBeDefined();
    expect(row(md, 'up', '–', '–', '–', '–', '–', '–', '1.00', '1.00')).toBeDefined();
    expect(md).not.toContain('The large row');
  });

  test('the large scale row: wall against the ideal, status queries per create and memory against the no-op process', () => {
    const large = {
      rep: 1,
      rate: 20,
      cens: 10,
      N: 1000,
      T: 3,
      bound: 52,
      wallSeconds: 55,
      done: 1000,
      rejected: 0,
      peakRssKiB: 150 * 1024,
      log: { requests: 1150, throttled: 3, accepted: { CreateFlowlog: 1000, DescribeFlowlogs: 150 } },
    };
    const noopRuns = [{ rep: 1, cens: 10, N: 1000, T: 3, wallSeconds: 3, done: 1000, peakRssKiB: 130 * 1024 }];
    const md = render({ sections: { scale: { meta, data: { runs: [large], noopRuns } } } });
    expect(row(md, '20', '10', '1000', '52.0', '55.0', '1.06', '≤ 1.10', '0.15', '≤ 0.20', '150.0', '130.0', '1.15', '≤ 1.20')).toMatch(
      /\*\*yes\*\* \|$/,
    );
    const withoutNoop = render({ sections: { scale: { meta, data: { runs: [large] } } } });
    expect(row(withoutNoop, '20', '10', '1000', '52.0', '55.0', '1.06', '≤ 1.10', '0.15', '≤ 0.20', '150.0', '–')).toMatch(/ – \|$/);
  });
});
