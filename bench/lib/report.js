'use strict';
/**
 * bench/RESULTS.md from the raw results (bench/results.json) and the baseline
 * (bench/baseline.json: the code before issue 7, measured on this machine).
 * Every figure stands next to its target and the numbers before the change.
 */
const { median, min, failedCommands } = require('./env');
const { pluginTable } = require('./report-plugin');
const { defaultsTable } = require('./report-defaults');

const BEFORE_ISSUE = {
  singleCreate: { 0.5: 0.33, 2: 0.48, 10: 2.64, 30: 3.54 },
  scale: { '20/1/100': { wall: 20.3, describes: 126 }, '20/1/500': { wall: 303, describes: 2555 } },
  stacks: { throttledPct: 40, windowRatio: 1.36 },
  ten: { ours: 13.9, terraform: 15.2 },
};

const f = (x, digits = 2) => (x === undefined || x === null || Number.isNaN(x) ? '–' : Number(x).toFixed(digits));
const yes = (ok) => (ok === undefined ? '–' : ok ? '**yes**' : 'no');
const sum = (o) => Object.values(o ?? {}).reduce((a, b) => a + b, 0);
const by = (runs, pred) => runs.filter(pred);

function header(section, title) {
  const m = section.meta;
  return [
    `## ${title}`,
    '',
    `Measured ${m.date} on ${m.machine.cpus} × ${m.machine.cpuModel}, ${m.machine.memoryGb} GB, Node ${m.machine.node}, ${m.machine.pulumi}; ` +
      `code: \`${m.root.label}\`${m.root.emulator && m.root.emulator !== m.root.path ? `, emulator from \`${m.root.emulatorLabel ?? m.root.emulator}\`` : ''}; repetitions: ${m.repeat}; took ${m.minutes ?? '?'} min; load average ${m.loadBefore} before, ${m.loadAfter} after ` +
      '(1-minute load average, the bench included; on 2 cores, well above 2 means other work shared the machine).',
    '',
  ];
}

/** Per-op activation time: the emulator's T, or 0 for a name change when ModifyFlowLogAttribute applies at once. */
const activation = (data, T, op) => (op === 'update' && !data.modifyPhase ? 0 : T);
const target1 = (T) => Math.max(0.1 * T, 0.3);

function singleCells(data, mode, T, op) {
  const runs = by(data.runs, (r) => r.kind === 'single' && r.mode === mode && r.T === T && r.phases?.[op]);
  const over = runs.map((r) => r.phases[op].wallSeconds - activation(data, T, op));
  const describes = runs.map((r) => r.phases[op].calls.DescribeFlowlogs ?? 0);
  const calls = runs.map((r) => sum(r.phases[op].calls));
  const errors = runs.reduce((n, r) => n + r.phases[op].errors.length, 0);
  return { over, describes, calls, errors, walls: runs.map((r) => r.phases[op].wallSeconds) };
}

function singleTable(section, baseline) {
  const d = section.data;
  const lines = header(section, "1. One create / update / delete, next to the Terraform provider's schedule");
  lines.push(
    "Each activation time T is the emulator's `delays.createMs`, `modifyMs`, `deleteMs` (and `modifyAttributeMs`) for that run; ours is the measured",
    "checkout's `FlowlogProvider` in its own process, Terraform is its documented wait (sleep 5 s after each write, polls at about",
    '5, 8, 14, 24, 34 s, then every 10 s, plus the Read at the end of create and update) driven with the same real API client,',
    'on its own emulator, at the same time. Overshoot = wall − T (median, min over repetitions); calls are per operation (median).',
    d.modifyPhase
      ? ''
      : '\n**This emulator applies ModifyFlowLogAttribute at once (no `Modifying` phase): the update row measures a name change against an activation time of 0.**',
    '',
    '| T | op | ours: wall − T, median (min) s | target | met | ours DescribeFlowlogs / all calls | Terraform: wall − T, median s | Terraform DescribeFlowlogs / all calls | speed ratio Terraform/ours (median) | target ≥ 1.3× and fewer calls | met (speed, calls) | before (issue) | before (measured here) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const T of [0.5, 2, 10, 30]) {
    for (const op of ['create', 'update', 'delete']) {
      const o = singleCells(d, 'ours', T, op);
      const t = singleCells(d, 'terraform', T, op);
      if (o.over.length === 0 && t.over.length === 0) continue;
      const ratios = o.walls.map((w, i) => (t.walls[i] ?? NaN) / w);
      const ok = o.over.length ? median(o.over) <= target1(activation(d, T, op)) && o.errors === 0 : undefined;
      const fewer = median(o.calls) < median(t.calls);
      const faster = median(ratios) >= 1.3;
      const b = baseline ? singleCells(baseline.data, 'ours', T, op) : undefined;
      lines.push(
        `| ${T} s | ${op} | ${f(median(o.over))} (${f(min(o.over))})${o.errors ? ` ⚠ ${o.errors} errors` : ''} | ≤ ${f(target1(activation(d, T, op)))} | ${yes(ok)} ` +
          `| ${f(median(o.describes), 1)} / ${f(median(o.calls), 1)} | ${f(median(t.over))} | ${f(median(t.describes), 1)} / ${f(median(t.calls), 1)} ` +
          `| ${f(median(ratios))}× | ≥ 1.3×, fewer | ${o.over.length && t.over.length ? `${yes(faster)}, ${yes(fewer)}` : '–'} ` +
          `| ${op === 'create' ? `+${f(BEFORE_ISSUE.singleCreate[T])}` : '–'} | ${b && b.over.length ? `${f(median(b.over))}, ${f(median(b.describes), 1)} Describe` : '–'} |`,
      );
    }
  }
  const ten = (data, mode) => by(data.runs, (r) => r.kind === 'ten' && r.mode === mode && r.phases?.create);
  const tenOurs = ten(d, 'ours');
  const tenTf = ten(d, 'terraform');
  const wall = (rs) => rs.map((r) => r.phases.create.wallSeconds);
  const calls = (rs) => rs.map((r) => sum(r.phases.create.calls));
  const descr = (rs) => rs.map((r) => r.phases.create.calls.DescribeFlowlogs ?? 0);
  const ratio = wall(tenOurs).map((w, i) => (wall(tenTf)[i] ?? NaN) / w);
  const bTen = baseline ? ten(baseline.data, 'ours') : [];
  lines.push(
    '',
    'Ten creates at once at T = 10 s (wall of the slowest; calls for all ten):',
    '',
    '| | wall, median (min) s | DescribeFlowlogs / all calls | speed ratio Terraform/ours | target | met | before (issue) | before (measured here) |',
    '|---|---|---|---|---|---|---|---|',
    `| ours | ${f(median(wall(tenOurs)))} (${f(min(wall(tenOurs)))}) | ${f(median(descr(tenOurs)), 1)} / ${f(median(calls(tenOurs)), 1)} | ${f(median(ratio))}× | ≥ 1.3× and fewer calls | ${yes(tenOurs.length && tenTf.length ? median(ratio) >= 1.3 && median(calls(tenOurs)) < median(calls(tenTf)) : undefined)} | ${BEFORE_ISSUE.ten.ours} s (1.1×) | ${bTen.length ? `${f(median(wall(bTen)))} s, ${f(median(descr(bTen)), 1)} Describe` : '–'} |`,
    `| Terraform's schedule | ${f(median(wall(tenTf)))} (${f(min(wall(tenTf)))}) | ${f(median(descr(tenTf)), 1)} / ${f(median(calls(tenTf)), 1)} | | | | ${BEFORE_ISSUE.ten.terraform} s | |`,
  );
  const failed = d.runs.filter((r) => r.error || r.timedOut);
  if (failed.length)
    lines.push(
      '',
      `Runs that failed or were stopped: ${failed.map((r) => `${r.mode} ${r.kind} T=${r.T} rep ${r.rep}: ${(r.error ?? 'timed out').split('\n')[0]}`).join('; ')}`,
    );
  return lines;
}

function scaleTable(section, baseline) {
  const lines = header(section, '2. N concurrent creates in one provider process');
  lines.push(
    'check() then create() of N flow logs at once through one `FlowlogProvider` (as one provider process under `pulumi up`), T = 3 s,',
    'one flow log per VPC attachment, on 1 CEN (one transit router) or spread over 10 CENs; the emulator limits the AccessKey to',
    '`rate` req/s with a burst of `rate`; the provider is not told the limit. Bound = T + max(0, N − burst)/rate: the wall of the',
    "ideal provider (one token per create from a bucket of the account's rate and burst, then exactly T; no status query, no retry). A run is stopped",
    `at max(60 s, ${section.meta.capFactor} × bound) ("stopped": the wall is then a lower bound). Calls are accepted requests by action;`,
    'throttled = requests answered `Throttling.*`; rejected = create promises that failed (errors a user would see). Medians over repetitions.',
    '',
    '| account req/s | CENs | N | bound s | wall s | wall / bound | target ≤ 1.25 | DescribeFlowlogs per create | target | CreateFlowlog | DescribeFlowlogs | other calls | throttled | rejected | met | before (issue) | before (measured here) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  const cell = (data, rate, cens, N) => {
    const rs = by(data.runs, (r) => r.rate === rate && r.cens === cens && r.N === N);
    if (!rs.length) return undefined;
    const acc = (a) => rs.map((r) => r.log.accepted[a] ?? 0);
    return {
      rs,
      bound: rs[0].bound,
      wall: median(rs.map((r) => r.wallSeconds)),
      stopped: rs.some((r) => r.timedOut || r.error),
      creates: median(acc('CreateFlowlog')),
      describes: median(acc('DescribeFlowlogs')),
      other: median(rs.map((r) => sum(r.log.accepted) - (r.log.accepted.CreateFlowlog ?? 0) - (r.log.accepted.DescribeFlowlogs ?? 0))),
      throttled: median(rs.map((r) => r.log.throttled)),
      rejected: median(rs.map((r) => r.rejected ?? r.N - (r.done ?? 0))),
      done: min(rs.map((r) => r.done ?? 0)),
    };
  };
  for (const rate of [20, 10, 50]) {
    for (const cens of [1, 10]) {
      for (const N of [10, 100, 500]) {
        const c = cell(section.data, rate, cens, N);
        if (!c) continue;
        const b = baseline ? cell(baseline.data, rate, cens, N) : undefined;
        const perCreate = c.describes / N;
        const ok = !c.stopped && c.wall / c.bound <= 1.25 && c.rejected === 0 && (N !== 100 || perCreate <= 1);
        const issue = BEFORE_ISSUE.scale[`${rate}/${cens}/${N}`];
        lines.push(
          `| ${rate} | ${cens} | ${N} | ${f(c.bound, 1)} | ${c.stopped ? `stopped at ${f(c.wall, 0)} (${c.done}/${N} done)` : f(c.wall, 1)} | ${c.stopped ? '> ' : ''}${f(c.wall / c.bound)} | ≤ 1.25 ` +
            `| ${f(perCreate)} | ${N === 100 ? '≤ 1' : 'flat in N'} | ${c.creates} | ${c.describes} | ${c.other} | ${c.throttled} | ${c.rejected} | ${yes(ok)} ` +
            `| ${issue ? `${issue.wall} s, ${issue.describes} Describe` : '–'} | ${b ? `${b.stopped ? '> ' : ''}${f(b.wall, 1)} s, ${b.describes} Describe, ${b.throttled} throttled` : '–'} |`,
        );
      }
    }
  }
  lines.push(...largeScaleRows(section));
  return lines;
}

/** Issue 20's targets for SCALE_LARGE. */
const LARGE = { wall: 1.1, describesPerCreate: 0.2, rss: 1.2 };

/** 1,000 flow logs in one process: wall against the ideal, status queries per create, memory against a no-op provider process. */
function largeScaleRows(section) {
  const d = section.data;
  const noop = d.noopRuns ?? [];
  const large = by(d.runs, (r) => r.N > 500);
  const keys = [...new Set(large.map((r) => `${r.rate}/${r.cens}/${r.N}`))];
  if (!keys.length) return [];
  const lines = [
    '',
    `The large row: N flow logs in one process, the same driver. Ideal = bound (as above). Peak RSS = the driver process's high-water mark`,
    "(`process.resourceUsage().maxRSS`, the kernel's VmHWM); the no-op provider process is the same driver with the same inputs and the",
    "checkout's code loaded, whose check returns its inputs and whose create sleeps T and calls nothing (so the ratio is the cost of the",
    `flow logs in flight, not of loading the package). Targets: wall ≤ ${f(LARGE.wall)} × ideal, ≤ ${f(LARGE.describesPerCreate)} DescribeFlowlogs per create, peak RSS ≤ ${f(LARGE.rss)} × the no-op's, 0 rejected.`,
    '',
    '| account req/s | CENs | N | ideal (bound) s | wall s | wall / ideal | target | DescribeFlowlogs per create | target | peak RSS MiB | no-op peak RSS MiB | RSS / no-op | target | CreateFlowlog | other calls | throttled | rejected | met |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const key of keys) {
    const rs = large.filter((r) => `${r.rate}/${r.cens}/${r.N}` === key);
    const { rate, cens, N, bound } = rs[0];
    const stopped = rs.some((r) => r.timedOut || r.error);
    const wall = median(rs.map((r) => r.wallSeconds));
    const describes = median(rs.map((r) => r.log.accepted.DescribeFlowlogs ?? 0));
    const creates = median(rs.map((r) => r.log.accepted.CreateFlowlog ?? 0));
    const other = median(rs.map((r) => sum(r.log.accepted) - (r.log.accepted.CreateFlowlog ?? 0) - (r.log.accepted.DescribeFlowlogs ?? 0)));
    const rejected = median(rs.map((r) => r.rejected ?? r.N - (r.done ?? 0)));
    const mib = (runs) => median(runs.map((r) => r.peakRssKiB / 1024));
    const rss = mib(rs);
    const noopRss = mib(noop.filter((r) => r.N === N && r.cens === cens && !r.error));
    const ok =
      rss === undefined || noopRss === undefined
        ? undefined
        : !stopped &&
          wall / bound <= LARGE.wall &&
          describes / N <= LARGE.describesPerCreate &&
          rss / noopRss <= LARGE.rss &&
          rejected === 0;
    lines.push(
      `| ${rate} | ${cens} | ${N} | ${f(bound, 1)} | ${stopped ? `stopped at ${f(wall, 0)}` : f(wall, 1)} | ${stopped ? '> ' : ''}${f(wall / bound)} | ≤ ${f(LARGE.wall)} ` +
        `| ${f(describes / N)} | ≤ ${f(LARGE.describesPerCreate)} | ${f(rss, 1)} | ${f(noopRss, 1)} | ${f(rss / noopRss)} | ≤ ${f(LARGE.rss)} ` +
        `| ${creates} | ${other} | ${median(rs.map((r) => r.log.throttled))} | ${rejected} | ${yes(ok)} |`,
    );
  }
  return lines;
}

/** Issue 20's targets: a step that writes against the ideal provider, refresh against the no-op. */
const IDEAL_TARGET = 1.1;
const REFRESH_TARGET = 1.25;

function cliTable(section, baseline) {
  const d = section.data;
  const lines = header(section, '3. 100 flow logs through the real Pulumi CLI: ours, the ideal provider and the no-op floor');
  lines.push(
    '`pulumi up` / `up` after changing every name / `refresh` / `destroy`, each with `--yes --skip-preview`, of 100 flow logs on 1 CEN,',
    'T = 3 s, account 20 req/s burst 20, file backend, the provider plugin started by the engine, each kind on its own stack and emulator.',
    "**Ideal** = a dynamic resource of the same shape that pays exactly the service's unavoidable cost and nothing more: per create,",
    "update or delete one token from a token bucket of the account's rate and burst (one bucket for every resource of the provider",
    'process), then one real write request (its answer not checked, never retried), then exactly T; no status query, no retry.',
    "**No-op** = the same shape whose create, update and delete sleep T and call nothing (the engine's floor). Up, update and destroy",
    `are measured at \`--parallel 100\` only (at the default they take ⌈100 / parallel⌉ rounds of T whatever the provider does); refresh`,
    `also at the default \`--parallel\`. Targets: ours ≤ ${f(IDEAL_TARGET)} × ideal for the writes, ours ≤ ${f(REFRESH_TARGET)} × no-op for refresh.`,
    'Beyond writes = (all requests, throttled included, − accepted writes) / 100; ideal throttled = its writes the emulator refused (jitter',
    'between two token buckets; the ideal neither waits for nor retries them, so they make it no slower).',
    d.modifyPhase === false
      ? "\n**This emulator applies ModifyFlowLogAttribute at once (no `Modifying` phase), while the ideal's and the floor's update sleep T: the update row is not comparable with them.**"
      : '',
    '',
    '| --parallel | command | ours wall s | ideal wall s | no-op wall s | ours / ideal | ours / no-op | target | met | requests | writes | beyond writes per flow log | throttled: ours (ideal) | exit | before (measured here) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  const cell = (data, kind, parallel, phase) =>
    by(data.runs, (r) => r.kind === kind && String(r.parallel) === String(parallel) && r.phase === phase);
  for (const parallel of [100, 'default']) {
    for (const phase of ['up', 'update', 'destroy', 'refresh']) {
      const ours = cell(d, 'flowlog', parallel, phase);
      if (!ours.length) continue;
      const ideal = cell(d, 'ideal', parallel, phase);
      const floor = cell(d, 'noop', parallel, phase);
      const wall = median(ours.map((r) => r.seconds));
      const idealWall = median(ideal.map((r) => r.seconds));
      const floorWall = median(floor.map((r) => r.seconds));
      const exits = [...new Set(ours.map((r) => r.exitCode))].join(',');
      const b = baseline ? cell(baseline.data, 'flowlog', parallel, phase) : [];
      const vsIdeal = phase !== 'refresh' && String(parallel) === '100';
      const ratio = vsIdeal ? wall / idealWall : wall / floorWall;
      const target = phase === 'refresh' ? `≤ ${f(REFRESH_TARGET)} × no-op` : vsIdeal ? `≤ ${f(IDEAL_TARGET)} × ideal` : '–';
      const limit = phase === 'refresh' ? REFRESH_TARGET : vsIdeal ? IDEAL_TARGET : undefined;
      const reference = phase === 'refresh' ? floor : vsIdeal ? ideal : [];
      const ok = exits !== '0' ? false : limit === undefined || !reference.length ? undefined : ratio <= limit;
      lines.push(
        `| ${parallel} | ${phase} | ${f(wall, 1)} | ${f(idealWall, 1)} | ${f(floorWall, 1)} | ${f(wall / idealWall)} | ${f(wall / floorWall)} | ${target} | ${yes(ok)} ` +
          `| ${median(ours.map((r) => r.log.requests))} | ${median(ours.map((r) => r.writes))} | ${f(median(ours.map((r) => r.beyondWrites)))} ` +
          `| ${median(ours.map((r) => r.log.throttled))} (${ideal.length ? median(ideal.map((r) => r.log.throttled)) : '–'}) | ${exits} ` +
          `| ${b.length ? `${f(median(b.map((r) => r.seconds)), 1)} s, ${f(median(b.map((r) => r.beyondWrites)))} beyond writes` : '–'} |`,
      );
    }
  }
  lines.push(...failedCommands(d.runs));
  return lines;
}

function stacksTable(section, baseline) {
  const d = section.data;
  const lines = header(section, '4. Five stacks × 20 flow logs, `pulumi up` at once on one AccessKey');
  lines.push(
    `Five \`pulumi up --yes --skip-preview\` (${d.parallel ? `\`--parallel ${d.parallel}\`, as the README advises` : 'default `--parallel`'}, each its own project and backend), 20 flow logs each on 1 CEN, T = 3 s,`,
    `one AccessKey limited to 20 req/s burst 20. Bound = T + (100 − 20)/20 = ${d.bound} s. Each program waits at a barrier until all five`,
    'are running, then all register their resources at one moment ("go"); wall = go to the last `pulumi up` exiting; API window = first to',
    'last request the emulator saw. The floor is the same with no-op resources (each stack needs ⌈20/parallel⌉ rounds of T whatever the',
    'provider does). Errors surfaced = failed `pulumi up` + flow logs not Active. Met = API window ≤ 1.25 × bound, < 10 % throttled, 0 errors.',
    '',
    '| | wall after go, median (min) s | wall / bound | floor wall after go s | API window s | window / bound | target ≤ 1.25 | throttled % | target < 10 % | errors surfaced | met | before (issue) | before (measured here) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  const stats = (data, kind) => {
    const rs = by(data.runs, (r) => r.kind === kind);
    return {
      rs,
      wall: rs.map((r) => r.wallSeconds),
      window: median(rs.map((r) => r.log.spanSeconds)),
      throttledPct: median(rs.map((r) => (100 * r.log.throttled) / Math.max(1, r.log.requests))),
      errors: Math.max(0, ...rs.map((r) => r.failedUps + r.missing)),
    };
  };
  const o = stats(d, 'flowlog');
  const fl = stats(d, 'noop');
  const b = baseline ? stats(baseline.data, 'flowlog') : undefined;
  if (o.rs.length) {
    const ok = o.window / d.bound <= 1.25 && o.throttledPct < 10 && o.errors === 0;
    lines.push(
      `| ours | ${f(median(o.wall), 1)} (${f(min(o.wall), 1)}) | ${f(median(o.wall) / d.bound)} | ${f(median(fl.wall), 1)} | ${f(o.window, 1)} | ${f(o.window / d.bound)} | ≤ 1.25 | ${f(o.throttledPct, 1)} | < 10 | ${o.errors} | ${yes(ok)} ` +
        `| ${BEFORE_ISSUE.stacks.throttledPct} % throttled, wall ${BEFORE_ISSUE.stacks.windowRatio} × bound | ${b && b.rs.length ? `${f(b.throttledPct, 1)} % throttled, window ${f(b.window / d.bound)} × bound, ${b.errors} errors` : '–'} |`,
    );
  }
  const failures = d.runs.flatMap((r) => r.failures ?? []);
  if (failures.length) lines.push('', 'Failed `pulumi up` (last lines):', '', '```', ...failures.slice(0, 2), '```');
  return lines;
}

const TABLES = {
  single: singleTable,
  scale: scaleTable,
  cli: cliTable,
  stacks: stacksTable,
  plugin: (section) => pluginTable(section, header),
  defaults: (section) => defaultsTable(section, header),
};

function render(results, baseline) {
  const lines = [
    '# Benchmarks (issues 7, 16 and 20)',
    '',
    'Written by `npm run bench` (see README, "Benchmarks"). Counts and ratios are measured within one run, on the machine named',
    'under each table; "before (issue)" are the numbers in issue 7; "before (measured here)" is the code before the rewrite',
    `(${baseline ? `\`${Object.values(baseline.sections)[0]?.meta.root.label}\`, ${Object.values(baseline.sections)[0]?.meta.date}` : 'no baseline recorded'}) measured by this bench on this machine (bench/baseline.json). Raw data: bench/results.json.`,
    '',
  ];
  for (const name of Object.keys(TABLES)) {
    const section = results.sections[name];
    if (!section) continue;
    lines.push(...TABLES[name](section, baseline?.sections?.[name]), '');
  }
  return lines.join('\n');
}

module.exports = { render };
// The charts (charts.js) measure overshoot as table 1 does.
module.exports.activation = activation;
module.exports.target1 = target1;
