/**
 * The charts of bench/RESULTS.md (bench/lib/charts.js, issue 20): what a reader sees must follow the numbers — bar
 * heights in proportion to the walls, each target line at its value, a point per median — a kind or a section the
 * bench did not run is simply absent, and the same JSON always gives the same bytes (the SVGs are committed).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface Chart {
  name: string;
  title: string;
  svg: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const charts = require('../../bench/lib/charts.js') as {
  renderCharts(results: unknown): Chart[];
  writeCharts(results: unknown, dir: string): string[];
  withCharts(markdown: string, lines: string[]): string;
};

type Run = Record<string, unknown>;
const section = (runs: Run[], extra: Record<string, unknown> = {}) => ({ meta: {}, data: { modifyPhase: true, ...extra, runs } });

/** One CLI command's runs: a run per kind and wall. */
const command = (phase: string, walls: Record<string, number>, parallel: string | undefined = '100'): Run[] =>
  Object.entries(walls).map(([kind, seconds]) => ({ kind, phase, parallel, seconds }));

function chart(results: unknown, name: string): string {
  const found = charts.renderCharts(results).find((c) => c.name === name);
  if (!found) throw new Error(`no ${name} chart`);
  return found.svg;
}

/** The bars of one panel and command: series name → { value, top, height } (SVG y grows downwards). */
function bars(svg: string, panel: string, group: string) {
  const panelSvg = svg.split('<g class="panel" ').find((p) => p.startsWith(`data-title="${panel}"`)) ?? '';
  const groupSvg = panelSvg.split('<g class="group" ').find((g) => g.startsWith(`data-group="${group}"`)) ?? '';
  const out: Record<string, { value: number; top: number; height: number }> = {};
  for (const m of groupSvg.matchAll(
    /<rect class="bar" data-series="([^"]+)" data-value="([^"]+)" x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)"/g,
  ))
    out[m[1]] = { value: Number(m[2]), top: Number(m[3]), height: Number(m[4]) };
  const target = /<g class="target" data-value="([^"]+)">\n<line x1="[^"]+" y1="([^"]+)"/.exec(groupSvg);
  return { bars: out, target: target ? { value: Number(target[1]), y: Number(target[2]) } : undefined };
}

/** The y of each labelled grid line of an SVG: tick label → y. */
function ticks(svg: string): Map<string, number> {
  return new Map(
    [...svg.matchAll(/<g class="ytick" data-value="([^"]+)">\n<line x1="[^"]+" y1="([^"]+)"/g)].map((m) => [m[1], Number(m[2])]),
  );
}

const cliResults = {
  sections: {
    cli: section([
      ...command('up', { flowlog: 12, ideal: 10, noop: 5 }),
      ...command('refresh', { flowlog: 2.2, noop: 2 }),
      ...command('destroy', { flowlog: 24, ideal: 8, noop: 4 }),
    ]),
    plugin: section([...command('up', { flowlog: 11, plugin: 10.5, ideal: 9.6, noop: 6 }, undefined)], { count: 100 }),
  },
};

describe('bench charts: wall per CLI command', () => {
  it('draws each bar with a height in proportion to its wall, from one baseline', () => {
    const { bars: up } = bars(chart(cliResults, 'commands'), 'dynamic resource, --parallel 100', 'up');
    expect(Object.keys(up)).toEqual(['ours: dynamic resource', 'ideal provider', 'no-op']);
    const perSecond = up['ours: dynamic resource'].height / 12;
    expect(up['ideal provider'].height / perSecond).toBeCloseTo(10, 1);
    expect(up['no-op'].height / perSecond).toBeCloseTo(5, 1);
    const bottoms = Object.values(up).map((b) => b.top + b.height);
    expect(Math.max(...bottoms) - Math.min(...bottoms)).toBeLessThanOrEqual(0.1);
  });

  it('puts the target of a step that writes at 1.10 × the ideal wall, and refresh at 1.25 × the no-op', () => {
    const svg = chart(cliResults, 'commands');
    const up = bars(svg, 'dynamic resource, --parallel 100', 'up');
    const ours = up.bars['ours: dynamic resource'];
    const baseline = ours.top + ours.height;
    const perSecond = ours.height / 12;
    expect(up.target?.value).toBeCloseTo(11, 6);
    expect((baseline - (up.target?.y ?? NaN)) / perSecond).toBeCloseTo(11, 1);
    // 12 s against a target of 11 s: the reader sees the bar stand above the line.
    expect(ours.top).toBeLessThan(up.target?.y ?? -Infinity);
    const refresh = bars(svg, 'dynamic resource, --parallel 100', 'refresh');
    expect(refresh.target?.value).toBeCloseTo(2.5, 6);
    expect((baseline - (refresh.target?.y ?? NaN)) / perSecond).toBeCloseTo(2.5, 1);
  });

  it('shows the plugin next to the dynamic resource from the plugin section', () => {
    const { bars: up } = bars(chart(cliResults, 'commands'), 'plugin section, --parallel 100', 'up');
    expect(Object.keys(up)).toEqual(['ours: dynamic resource', 'ours: provider plugin', 'ideal provider', 'no-op']);
    expect(up['ours: provider plugin'].value).toBe(10.5);
  });

  it('leaves out a kind the bench did not run, and its target, without failing', () => {
    const noIdeal = { sections: { cli: section(command('up', { flowlog: 12, noop: 5 })) } };
    const svg = chart(noIdeal, 'commands');
    const up = bars(svg, 'dynamic resource, --parallel 100', 'up');
    expect(Object.keys(up.bars)).toEqual(['ours: dynamic resource', 'no-op']);
    expect(up.target).toBeUndefined();
    expect(svg).not.toContain('ideal provider');
    expect(svg).not.toContain('plugin section');
  });
});

describe('bench charts: overshoot against T', () => {
  const single = (mode: string, T: number, walls: [number, number, number]): Run => ({
    kind: 'single',
    mode,
    T,
    phases: { create: { wallSeconds: walls[0] }, update: { wallSeconds: walls[1] }, delete: { wallSeconds: walls[2] } },
  });

  it('plots the median of wall − T over the repetitions, ours and Terraform, next to the target', () => {
    const runs = [single('ours', 2, [2.1, 2.3, 2.05]), single('ours', 2, [2.5, 2.2, 2.04]), single('ours', 2, [2.3, 2.25, 2.06])];
    runs.push(single('terraform', 2, [7, 7, 7]), single('ours', 10, [10.4, 10.5, 10.3]));
    const svg = chart({ sections: { single: section(runs) } }, 'overshoot');
    const create = svg.split('<g class="panel" ').find((p) => p.startsWith('data-title="create"')) ?? '';
    const ours = create.split('<g class="series" ').find((s) => s.startsWith('data-series="ours (FlowlogProvider)"')) ?? '';
    expect([...ours.matchAll(/data-x="([^"]+)" data-y="([^"]+)"/g)].map((m) => [m[1], m[2]])).toEqual([
      ['2', '0.3'],
      ['10', '0.4'],
    ]);
    expect(create).toContain('data-series="Terraform provider\'s schedule"');
    expect(svg).toContain('target: wall − T ≤ max(0.1·T, 0.3 s)');
  });

  it('measures an update against T = 0 when the emulator applies a name change at once', () => {
    const svg = chart({ sections: { single: section([single('ours', 2, [2.1, 0.4, 2.1])], { modifyPhase: false }) } }, 'overshoot');
    const update = svg.split('<g class="panel" ').find((p) => p.startsWith('data-title="update')) ?? '';
    expect(update).toContain('data-y="0.4"');
    expect(update).toContain('applied at once: T = 0');
  });
});

describe('bench charts: wall / bound against N', () => {
  const scaleRun = (rate: number, cens: number, N: number, bound: number, wallSeconds: number, extra: Run = {}): Run => ({
    rate,
    cens,
    N,
    bound,
    wallSeconds,
    ...extra,
  });

  it('draws the 1.25 target where 1.25 is on the axis, and a point per account rate and CEN count', () => {
    const runs = [scaleRun(20, 1, 10, 3, 3.3), scaleRun(20, 1, 100, 7, 9.1), scaleRun(20, 10, 100, 7, 7.7), scaleRun(50, 1, 100, 4, 5.2)];
    const svg = chart({ sections: { scale: section(runs) } }, 'scale');
    const y = ticks(svg);
    const target = /<g class="target" data-value="1.25">\n<line x1="[^"]+" y1="([^"]+)"/.exec(svg);
    expect(Number(target?.[1])).toBeCloseTo(((y.get('1.2') ?? NaN) + (y.get('1.3') ?? NaN)) / 2, 0);
    expect([...svg.matchAll(/<g class="series" data-series="([^"]+)"/g)].map((m) => m[1])).toEqual([
      '20 req/s, 1 CEN',
      '20 req/s, 10 CENs',
      '50 req/s, 1 CEN',
    ]);
    expect(svg).toContain('data-x="100" data-y="1.3"');
  });

  it("adds the 1,000-flow-log row's target at 1.10 × the ideal provider's wall when the ideal ran", () => {
    const runs = [scaleRun(20, 10, 1000, 52, 60), scaleRun(20, 10, 1000, 52, 52, { kind: 'ideal' })];
    const svg = chart({ sections: { scale: section(runs) } }, 'scale');
    expect(svg).toContain('<g class="target" data-value="1.1">');
    expect(svg).toContain('N = 1000: 1.10 × ideal');
    // The ideal is a reference, not one of our series: ours alone is the point, 60 / 52.
    expect([...svg.matchAll(/<g class="series" /g)]).toHaveLength(1);
    expect(svg).toContain('data-x="1000" data-y="1.1538"');
    const without = chart({ sections: { scale: section([runs[0]]) } }, 'scale');
    expect(without).not.toContain('ideal');
  });
});

describe('bench charts: files and RESULTS.md', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('gives byte-identical SVGs and Markdown when rendered twice from the same results', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-charts-'));
    dirs.push(dir);
    const markdown = '# Benchmarks\n\nintro\n\n## 1. A table\n\n| a |\n';
    const first = charts.withCharts(markdown, charts.writeCharts(cliResults, dir));
    const svg = fs.readFileSync(path.join(dir, 'charts', 'commands.svg'), 'utf8');
    const second = charts.withCharts(markdown, charts.writeCharts(JSON.parse(JSON.stringify(cliResults)), dir));
    expect(second).toBe(first);
    expect(fs.readFileSync(path.join(dir, 'charts', 'commands.svg'), 'utf8')).toBe(svg);
    expect(first).toBe(
      '# Benchmarks\n\nintro\n\n## Charts\n\nDrawn from bench/results.json with the tables below; the numbers are in the tables.\n\n' +
        `![${charts.renderCharts(cliResults)[0].title}](charts/commands.svg)\n\n## 1. A table\n\n| a |\n`,
    );
  });

  it('draws nothing for sections the results do not have, and removes a chart whose section is gone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-charts-'));
    dirs.push(dir);
    charts.writeCharts(cliResults, dir);
    expect(charts.renderCharts({ sections: {} })).toEqual([]);
    expect(charts.writeCharts({ sections: {} }, dir)).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'charts', 'commands.svg'))).toBe(false);
    expect(charts.withCharts('# B\n\n## 1. T\n', [])).toBe('# B\n\n## 1. T\n');
  });
});
