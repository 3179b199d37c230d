'use strict';
/**
 * The pictures of bench/RESULTS.md (issue 20): SVG charts drawn from bench/results.json by the bench itself, with no
 * dependency and no network, so that they are committed next to the tables and re-rendered with them. Output is a
 * pure function of the JSON (fixed rounding, fixed order, no dates), so `node bench/run.js report` twice gives the
 * same bytes. A missing section gives no chart and a missing kind no series: the bench often runs one section.
 */
const fs = require('node:fs');
const path = require('node:path');
const { median } = require('./env');
const { activation, target1 } = require('./report');

const COLORS = {
  ours: '#1f6fb4',
  terraform: '#e6740b',
  target: '#c62828',
  ideal: '#2e9e3e',
  noop: '#8a8a8a',
  plugin: '#7b4fb0',
  grid: '#e3e3e3',
  axis: '#444444',
  text: '#222222',
};
const RATE_COLORS = ['#1f6fb4', '#e6740b', '#2e9e3e', '#7b4fb0', '#8c564b'];
const FONT = 'font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

/** Coordinates to 0.1 px: enough for the eye, and the same text on every run. */
const px = (v) => {
  const s = (Math.round(v * 10) / 10).toFixed(1);
  return s.endsWith('.0') ? s.slice(0, -2) : s;
};
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** A tick or value label: as few digits as tell the value. */
const label = (v, digits = 2) => String(Number(v.toFixed(digits)));
const uniq = (xs) => [...new Set(xs)];
const finite = (x) => typeof x === 'number' && Number.isFinite(x);

function text(x, y, s, opts = {}) {
  const anchor = opts.anchor ?? 'start';
  const size = opts.size ?? 12;
  // A white outline under the glyphs keeps a label readable where a target line crosses it.
  const halo = opts.halo ? ' stroke="#ffffff" stroke-width="3" paint-order="stroke"' : '';
  const extra = `${halo}${opts.weight ? ` font-weight="${opts.weight}"` : ''}${opts.rotate ? ` transform="rotate(${opts.rotate} ${px(x)} ${px(y)})"` : ''}`;
  return `<text x="${px(x)}" y="${px(y)}" font-size="${size}" text-anchor="${anchor}" fill="${opts.color ?? COLORS.text}"${extra}>${esc(s)}</text>`;
}
const line = (x1, y1, x2, y2, color, width = 1, dash) =>
  `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" stroke="${color}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;

function linear(d0, d1, r0, r1) {
  return (v) => r0 + ((v - d0) / (d1 - d0 || 1)) * (r1 - r0);
}
function logScale(d0, d1, r0, r1) {
  const s = linear(Math.log10(d0), Math.log10(d1), r0, r1);
  return (v) => s(Math.log10(Math.max(v, d0)));
}
/** About five round ticks (1, 2, 5 × 10^k apart) from lo to hi. */
function niceTicks(lo, hi) {
  const raw = (hi - lo) / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const ticks = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9; v += step) ticks.push(Number(v.toFixed(10)));
  return { ticks, step };
}
const LOG_TICKS = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300];

function svg(width, height, title, body) {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<title>${esc(title)}</title>`,
    // GitHub shows an SVG as is: without a background the dark theme would put dark text on dark.
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    text(width / 2, 24, title, { anchor: 'middle', size: 16, weight: 'bold' }),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** A legend row: [{ name, color, dash?, kind?: 'bar' | 'target' }], centred on width at y. */
function legend(items, width, y) {
  const widths = items.map((it) => 46 + it.name.length * 6.4);
  let x = Math.max(8, (width - widths.reduce((a, b) => a + b, 0)) / 2);
  return items.flatMap((it, i) => {
    const drawn = legendItem(it, x, y);
    x += widths[i];
    return drawn;
  });
}

function legendItem(it, x, y) {
  const out = [];
  if (it.kind === 'bar') out.push(`<rect x="${px(x)}" y="${px(y - 9)}" width="20" height="11" fill="${it.color}"/>`);
  else {
    out.push(line(x, y - 4, x + 20, y - 4, it.color, 2, it.dash));
    if (it.kind !== 'target') out.push(marker(x + 10, y - 4, it.color, false));
  }
  out.push(text(x + 26, y, it.name, { size: 12 }));
  return out;
}

function marker(x, y, color, open) {
  return `<circle cx="${px(x)}" cy="${px(y)}" r="4" fill="${open ? '#ffffff' : color}" stroke="${color}" stroke-width="2"/>`;
}

/**
 * One panel of a line chart. x is logarithmic over the given ticks; y is logarithmic or linear.
 * series: [{ name, color, dash?, points: [{ x, y, open? }], target? }]; hlines: [{ y, name }].
 */
function linePanel(box, spec) {
  const { x0, y0, w, h } = box;
  const out = [`<g class="panel" data-title="${esc(spec.title)}">`];
  out.push(text(x0 + w / 2, y0 - 8, spec.title, { anchor: 'middle', size: 13, weight: 'bold' }));
  const xs = spec.xTicks;
  const sx = logScale(xs[0] / 1.6, xs.at(-1) * 1.6, x0, x0 + w);
  const ys = spec.series
    .flatMap((s) => s.points.map((p) => p.y))
    .concat(
      (spec.hlines ?? []).map((l) => l.y),
      spec.yShared ?? [],
    )
    .filter(finite);
  let sy;
  let yTicks;
  if (spec.yLog) {
    const lo = Math.min(0.1, ...ys.filter((v) => v > 0)) / 1.5;
    const hi = Math.max(1, ...ys) * 1.5;
    const dLo = Math.max(0.01, LOG_TICKS.filter((t) => t <= lo).at(-1) ?? 0.01);
    const dHi = LOG_TICKS.find((t) => t >= hi) ?? hi;
    sy = logScale(dLo, dHi, y0 + h, y0);
    yTicks = LOG_TICKS.filter((t) => t >= dLo && t <= dHi);
  } else {
    const lo = Math.min(spec.yMin ?? Infinity, ...ys);
    const hi = Math.max(spec.yMax ?? -Infinity, ...ys);
    const { ticks, step } = niceTicks(lo, hi);
    const dLo = Math.min(ticks[0], lo);
    const dHi = Math.max(ticks.at(-1), hi) + step / 2;
    sy = linear(dLo, dHi, y0 + h, y0);
    yTicks = ticks;
  }
  for (const t of yTicks) {
    out.push(`<g class="ytick" data-value="${label(t)}">`, line(x0, sy(t), x0 + w, sy(t), COLORS.grid));
    out.push(text(x0 - 6, sy(t) + 4, label(t), { anchor: 'end', size: 11 }), '</g>');
  }
  for (const t of xs) {
    out.push(line(sx(t), y0 + h, sx(t), y0 + h + 4, COLORS.axis));
    out.push(text(sx(t), y0 + h + 17, label(t), { anchor: 'middle', size: 11 }));
  }
  out.push(line(x0, y0 + h, x0 + w, y0 + h, COLORS.axis), line(x0, y0, x0, y0 + h, COLORS.axis));
  out.push(text(x0 + w / 2, y0 + h + 36, spec.xLabel, { anchor: 'middle', size: 12 }));
  if (spec.yLabel) out.push(text(x0 - 44, y0 + h / 2, spec.yLabel, { anchor: 'middle', size: 12, rotate: -90 }));
  for (const l of spec.hlines ?? []) {
    const x1 = l.x === undefined ? x0 : sx(l.x) - 22;
    const x2 = l.x === undefined ? x0 + w : sx(l.x) + 22;
    out.push(
      `<g class="target" data-value="${label(l.y, 4)}">`,
      line(x1, sy(l.y), x2, sy(l.y), COLORS.target, 2, '6 4'),
      text(x2 - 2, sy(l.y) - 5, l.name, { anchor: 'end', size: 11, color: COLORS.target }),
      '</g>',
    );
  }
  for (const s of spec.series) {
    const pts = s.points.filter((p) => finite(p.y)).sort((a, b) => a.x - b.x);
    if (!pts.length) continue;
    out.push(`<g class="${s.target ? 'target' : 'series'}" data-series="${esc(s.name)}">`);
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${px(sx(p.x))} ${px(sy(p.y))}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    if (!s.target)
      for (const p of pts)
        out.push(marker(sx(p.x), sy(p.y), s.color, p.open).replace('/>', ` data-x="${label(p.x)}" data-y="${label(p.y, 4)}"/>`));
    out.push('</g>');
  }
  out.push('</g>');
  return out;
}

/** Panels side by side, one legend under the title. */
function lineChart(title, panels, legendItems, note) {
  const panelW = panels.length > 2 ? 260 : 400;
  const left = 70;
  const gap = 70;
  const width = left + panels.length * panelW + (panels.length - 1) * gap + 30;
  const top = 84;
  const h = 250;
  const height = top + h + 52 + (note ? 20 : 0);
  const body = legend(legendItems, width, 50);
  panels.forEach((p, i) => body.push(...linePanel({ x0: left + i * (panelW + gap), y0: top, w: panelW, h }, p)));
  if (note) body.push(text(width / 2, height - 10, note, { anchor: 'middle', size: 11, color: '#555555' }));
  return svg(width, height, title, body);
}

/** Chart 1: wall − T against T, per operation, ours next to Terraform's schedule, with the target. */
function overshootChart(section) {
  const d = section.data;
  const runs = d.runs.filter((r) => r.kind === 'single');
  const Ts = uniq(runs.map((r) => r.T))
    .filter(finite)
    .sort((a, b) => a - b);
  if (!Ts.length) return undefined;
  const modes = [
    { mode: 'ours', name: 'ours (FlowlogProvider)', color: COLORS.ours },
    { mode: 'terraform', name: "Terraform provider's schedule", color: COLORS.terraform },
  ];
  const panels = ['create', 'update', 'delete'].map((op) => {
    const point = (mode, T) => {
      const over = runs
        .filter((r) => r.mode === mode && r.T === T && r.phases?.[op])
        .map((r) => r.phases[op].wallSeconds - activation(d, T, op));
      const y = median(over);
      return y === undefined ? undefined : { x: T, y: Math.max(y, 0.01), open: y < 0.01 };
    };
    const series = modes.map((m) => ({ name: m.name, color: m.color, points: Ts.map((T) => point(m.mode, T)).filter(Boolean) }));
    series.push({
      name: 'target',
      color: COLORS.target,
      dash: '6 4',
      target: true,
      points: Ts.map((T) => ({ x: T, y: target1(activation(d, T, op)) })),
    });
    return {
      title: op === 'update' ? `update (name change${d.modifyPhase ? '' : ', applied at once: T = 0'})` : op,
      xTicks: Ts,
      xLabel: 'activation time T, s (log scale)',
      yLabel: 'wall − T, s (median, log scale)',
      yLog: true,
      series,
    };
  });
  // One y scale for the three panels, so that their heights compare.
  const shared = panels.flatMap((p) => p.series.flatMap((s) => s.points.map((pt) => pt.y)));
  for (const p of panels) p.yShared = shared;
  const present = modes.filter((m) => panels.some((p) => p.series.some((s) => s.name === m.name && s.points.length)));
  return {
    name: 'overshoot',
    title: 'One create / update / delete: time past the activation time T (lower is better)',
    svg: lineChart(
      'One create / update / delete: time past the activation time T (lower is better)',
      panels,
      [
        ...present.map((m) => ({ name: m.name, color: m.color })),
        { name: 'target: wall − T ≤ max(0.1·T, 0.3 s)', color: COLORS.target, dash: '6 4', kind: 'target' },
      ],
      'Median over repetitions; a value at 0.01 is 0.01 s or less.',
    ),
  };
}

/** Chart 2: wall / bound against N, one line per account rate and CEN count, with the targets. */
function scaleChart(section) {
  const runs = section.data.runs.filter((r) => finite(r.N) && finite(r.bound) && r.bound > 0);
  const ours = runs.filter((r) => r.kind === undefined || r.kind === 'flowlog');
  const ideal = runs.filter((r) => r.kind === 'ideal');
  if (!ours.length) return undefined;
  const Ns = uniq(runs.map((r) => r.N)).sort((a, b) => a - b);
  const rates = uniq(ours.map((r) => r.rate)).sort((a, b) => a - b);
  const series = [];
  for (const [i, rate] of rates.entries()) {
    for (const cens of uniq(ours.filter((r) => r.rate === rate).map((r) => r.cens)).sort((a, b) => a - b)) {
      const points = Ns.map((N) => {
        const rs = ours.filter((r) => r.rate === rate && r.cens === cens && r.N === N);
        if (!rs.length) return undefined;
        return { x: N, y: median(rs.map((r) => r.wallSeconds)) / rs[0].bound, open: rs.some((r) => r.timedOut || r.error) };
      }).filter(Boolean);
      series.push({
        name: `${rate} req/s, ${cens} CEN${cens === 1 ? '' : 's'}`,
        color: RATE_COLORS[i % RATE_COLORS.length],
        dash: cens === 1 ? undefined : '5 3',
        points,
      });
    }
  }
  const hlines = [{ y: 1.25, name: 'target ≤ 1.25 × bound' }];
  // The 1,000-flow-log row's target is against the ideal provider's wall, drawn where that row is.
  for (const N of uniq(ideal.map((r) => r.N))) {
    const rs = ideal.filter((r) => r.N === N);
    const y = (1.1 * median(rs.map((r) => r.wallSeconds))) / rs[0].bound;
    if (finite(y)) hlines.push({ x: N, y, name: `N = ${N}: 1.10 × ideal` });
  }
  const stopped = series.some((s) => s.points.some((p) => p.open));
  const title = 'N concurrent creates in one process: wall / bound (lower is better)';
  const panel = {
    title: 'bound = T + max(0, N − burst) / rate',
    xTicks: Ns,
    xLabel: 'flow logs created at once, N (log scale)',
    yLabel: 'wall / bound (median)',
    yMin: 1,
    yMax: 1.3,
    series,
    hlines,
  };
  const items = series.map((s) => ({ name: s.name, color: s.color, dash: s.dash }));
  items.push({ name: 'target', color: COLORS.target, dash: '6 4', kind: 'target' });
  return {
    name: 'scale',
    title,
    svg: lineChartWide(
      title,
      panel,
      items,
      stopped ? 'Hollow marker: the run was stopped at its cap; the real ratio is higher.' : undefined,
    ),
  };
}

/** One panel, legend at the right (the scale chart has a series per account rate and CEN count). */
function lineChartWide(title, panel, items, note) {
  const left = 80;
  const w = 560;
  const top = 64;
  const h = 300;
  const width = left + w + 230;
  const height = top + h + 52 + (note ? 20 : 0);
  const body = linePanel({ x0: left, y0: top, w, h }, panel);
  items.forEach((it, i) => body.push(...legendItem(it, left + w + 16, top + 10 + i * 22)));
  if (note) body.push(text(width / 2, height - 10, note, { anchor: 'middle', size: 11, color: '#555555' }));
  return svg(width, height, title, body);
}
const BAR_KINDS = {
  flowlog: { name: 'ours: dynamic resource', color: COLORS.ours },
  plugin: { name: 'ours: provider plugin', color: COLORS.plugin },
  ideal: { name: 'ideal provider', color: COLORS.ideal },
  noop: { name: 'no-op', color: COLORS.noop },
};
/**
 * One panel of grouped bars: groups [{ label, bars: [{ name, color, value }], target?: { value, name } }].
 */
function barPanel(box, spec) {
  const { x0, y0, w, h } = box;
  const out = [`<g class="panel" data-title="${esc(spec.title)}">`];
  out.push(text(x0 + w / 2, y0 - 8, spec.title, { anchor: 'middle', size: 13, weight: 'bold' }));
  const values = spec.groups.flatMap((g) => g.bars.map((b) => b.value).concat(g.target ? [g.target.value] : []));
  const { ticks, step } = niceTicks(0, Math.max(1, ...values));
  const top = Math.max(ticks.at(-1), ...values) + step / 4;
  const sy = linear(0, top, y0 + h, y0);
  for (const t of ticks) {
    out.push(`<g class="ytick" data-value="${label(t)}">`, line(x0, sy(t), x0 + w, sy(t), COLORS.grid));
    out.push(text(x0 - 6, sy(t) + 4, label(t), { anchor: 'end', size: 11 }), '</g>');
  }
  const gw = w / spec.groups.length;
  // A slot per kind the panel has, in the legend's order, so that every group reads the same way.
  const kinds = Object.keys(BAR_KINDS).filter((k) => spec.groups.some((g) => g.bars.some((b) => b.kind === k)));
  const slots = kinds.length;
  const bw = Math.min(26, (gw - 16) / slots);
  spec.groups.forEach((g, gi) => {
    const gx = x0 + gi * gw + (gw - bw * slots) / 2;
    out.push(`<g class="group" data-group="${esc(g.label)}">`);
    for (const b of g.bars) {
      const x = gx + kinds.indexOf(b.kind) * bw;
      out.push(
        `<rect class="bar" data-series="${esc(b.name)}" data-value="${label(b.value, 3)}" x="${px(x + 1)}" y="${px(sy(b.value))}" width="${px(bw - 2)}" height="${px(sy(0) - sy(b.value))}" fill="${b.color}"/>`,
      );
      out.push(text(x + bw / 2, sy(b.value) - 4, b.value.toFixed(b.value >= 10 ? 0 : 1), { anchor: 'middle', size: 10, halo: true }));
    }
    if (g.target) {
      out.push(
        `<g class="target" data-value="${label(g.target.value, 4)}">`,
        line(gx - 4, sy(g.target.value), gx + bw * slots + 4, sy(g.target.value), COLORS.target, 2, '5 3'),
        '</g>',
      );
    }
    out.push(text(x0 + gi * gw + gw / 2, y0 + h + 17, g.label, { anchor: 'middle', size: 12 }), '</g>');
  });
  out.push(line(x0, y0 + h, x0 + w, y0 + h, COLORS.axis), line(x0, y0, x0, y0 + h, COLORS.axis));
  out.push(text(x0 - 40, y0 + h / 2, 'wall, s (median)', { anchor: 'middle', size: 12, rotate: -90 }));
  out.push('</g>');
  return out;
}

const COMMANDS = ['up', 'update', 'refresh', 'destroy'];

/** Groups for one panel: one per command, a bar per kind present, and the command's target. */
function commandGroups(runs, kinds) {
  const groups = [];
  for (const phase of COMMANDS) {
    const wall = (kind) => median(runs.filter((r) => r.kind === kind && r.phase === phase).map((r) => r.seconds));
    const bars = kinds.map((kind) => ({ kind, ...BAR_KINDS[kind], value: wall(kind) })).filter((b) => finite(b.value));
    if (!bars.length) continue;
    // Issue 20: a step that writes against the ideal provider, refresh (no write) against the no-op.
    const ref = phase === 'refresh' ? { kind: 'noop', factor: 1.25 } : { kind: 'ideal', factor: 1.1 };
    const refWall = wall(ref.kind);
    groups.push({ label: phase, bars, target: finite(refWall) ? { value: ref.factor * refWall } : undefined });
  }
  return groups;
}

/** Chart 3: per CLI command, ours / ideal / no-op wall, for the dynamic resource (cli) and the plugin (plugin). */
function commandsChart(cli, plugin) {
  const panels = [];
  if (cli) {
    for (const parallel of ['100', 'default']) {
      const runs = cli.data.runs.filter((r) => String(r.parallel) === parallel);
      const groups = commandGroups(runs, ['flowlog', 'ideal', 'noop']);
      if (groups.length)
        panels.push({ title: `dynamic resource, ${parallel === 'default' ? 'default --parallel' : `--parallel ${parallel}`}`, groups });
    }
  }
  if (plugin) {
    const groups = commandGroups(plugin.data.runs, ['flowlog', 'plugin', 'ideal', 'noop']);
    if (groups.length) panels.push({ title: 'plugin section, --parallel 100', groups });
  }
  if (!panels.length) return undefined;
  const count = plugin?.data.count;
  const title = `Through the Pulumi CLI: wall per command (${count && count !== 100 ? `${count} flow logs in the plugin panel; ` : ''}100 flow logs, T = 3 s, 20 req/s)`;
  const left = 64;
  const panelW = 300;
  const gap = 64;
  const width = left + panels.length * panelW + (panels.length - 1) * gap + 24;
  const top = 84;
  const h = 260;
  const height = top + h + 50;
  const present = uniq(panels.flatMap((p) => p.groups.flatMap((g) => g.bars.map((b) => b.kind))));
  const items = Object.keys(BAR_KINDS)
    .filter((k) => present.includes(k))
    .map((k) => ({ ...BAR_KINDS[k], kind: 'bar' }));
  if (panels.some((p) => p.groups.some((g) => g.target)))
    items.push({ name: 'target: 1.10 × ideal (refresh: 1.25 × no-op)', color: COLORS.target, dash: '5 3', kind: 'target' });
  const body = legend(items, width, 50);
  panels.forEach((p, i) => body.push(...barPanel({ x0: left + i * (panelW + gap), y0: top, w: panelW, h }, p)));
  body.push(
    text(width / 2, height - 10, 'Median over repetitions; each panel has its own scale.', {
      anchor: 'middle',
      size: 11,
      color: '#555555',
    }),
  );
  return { name: 'commands', title, svg: svg(width, height, title, body) };
}

/** Every chart the results allow, in the order RESULTS.md shows them: [{ name, title, svg }]. */
function renderCharts(results) {
  const s = results.sections ?? {};
  return [s.single && overshootChart(s.single), s.scale && scaleChart(s.scale), commandsChart(s.cli, s.plugin)].filter(Boolean);
}

const CHART_NAMES = ['overshoot', 'scale', 'commands'];

/**
 * Writes the charts into `<dir>/charts/` (dir: the folder of the Markdown, so its links resolve) and returns the
 * Markdown lines that show them; a chart the results no longer allow is removed rather than left stale.
 */
function writeCharts(results, dir) {
  const charts = renderCharts(results);
  const out = path.join(dir, 'charts');
  if (charts.length) fs.mkdirSync(out, { recursive: true });
  for (const name of CHART_NAMES) {
    const chart = charts.find((c) => c.name === name);
    if (chart) fs.writeFileSync(path.join(out, `${name}.svg`), chart.svg);
    else fs.rmSync(path.join(out, `${name}.svg`), { force: true });
  }
  return chartsMarkdown(charts);
}

function chartsMarkdown(charts) {
  if (!charts.length) return [];
  return [
    '## Charts',
    '',
    'Drawn from bench/results.json with the tables below; the numbers are in the tables.',
    '',
    ...charts.flatMap((c) => [`![${c.title}](charts/${c.name}.svg)`, '']),
  ];
}

/** The report with the charts' section before its first table. */
function withCharts(markdown, chartLines) {
  if (!chartLines.length) return markdown;
  const at = markdown.indexOf('\n## ');
  if (at < 0) return `${markdown}\n${chartLines.join('\n')}`;
  return `${markdown.slice(0, at + 1)}${chartLines.join('\n')}\n${markdown.slice(at + 1)}`;
}

module.exports = { renderCharts, writeCharts, chartsMarkdown, withCharts };
