'use strict';
/**
 * Table 5 of bench/RESULTS.md: the provider plugin next to the dynamic resource, the ideal provider
 * and the no-op floor (section `plugin`), each figure next to its target (issue 16, item 6; issue 20).
 */
const { median, min, max, failedCommands } = require('./env');

/** Issue 20: either door within this factor of the ideal provider's wall. */
const IDEAL_TARGET = 1.1;

const f = (x, digits = 2) => (x === undefined || x === null || Number.isNaN(x) ? '–' : Number(x).toFixed(digits));
const yes = (ok) => (ok === undefined ? '–' : ok ? '**yes**' : 'no');
/** "median (min)" of some numbers. */
const mm = (xs, digits) => (xs.length ? `${f(median(xs), digits)} (${f(min(xs), digits)})` : '–');
/** "a" when every value is a, else "a–b". */
const range = (xs, digits = 2) =>
  xs.length === 0 ? '–' : min(xs) === max(xs) ? f(min(xs), digits) : `${f(min(xs), digits)}–${f(max(xs), digits)}`;

function pluginTable(section, header) {
  const d = section.data;
  const runs = (kind, phase) => d.runs.filter((r) => r.kind === kind && r.phase === phase);
  const lines = header(section, '5. The provider plugin next to the dynamic resource, the ideal provider and the floor');
  lines.push(
    `\`pulumi up\` / \`up\` after changing every name / \`destroy\`, each with \`--yes --skip-preview --parallel 100\`, of ${d.count} flow logs on 1 CEN,`,
    `T = ${d.T} s, account 20 req/s burst 20, file backend, in one run: through the dynamic resource (\`CenFlowlog\`), through the provider`,
    'plugin `pulumi-resource-cen-flowlog` of the same checkout (a `cen-flowlog:index:Flowlog` CustomResource, the plugin named in Pulumi.yaml',
    "`plugins.providers`), as ideal dynamic resources of the same shape that pay exactly the service's unavoidable cost (per write one token",
    "from a bucket of the account's rate and burst shared by the provider process, the one real request, then exactly T; no status query, no",
    'retry), and as no-op dynamic resources of the same shape that sleep T and call nothing (the floor); the kinds take turns',
    'in every repetition. Calls = requests the emulator saw (throttled included) / flow logs. Peak RSS = the largest VmHWM of the provider',
    'process (the plugin, or the node process running `@pulumi/pulumi/cmd/dynamic-provider`), sampled from /proc every 100 ms. Times and',
    'memory are median (min) over the repetitions; calls are median and the range over repetitions. Ratios are of the medians.',
    'Accepted calls leave out the responses `Throttling.*` (the account limit answering a retry-able no); `BENCH_REQUEST_LOG` keeps every request.',
    d.count === 100 ? '' : `\n**This run made ${d.count} flow logs, not 100: a trial, not the measurement the targets are for.**`,
    '',
    '| command | dynamic wall s | plugin wall s | ideal wall s | floor wall s | plugin / dynamic | target ≤ 1.1 | met | dynamic calls per flow log = accepted + throttled (range) | plugin calls per flow log = accepted + throttled (range) | target | met | accepted calls equal | writes dynamic / plugin | exit codes |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  const mem = [];
  const byAction = [];
  const againstIdeal = [];
  for (const phase of ['up', 'update', 'destroy']) {
    const dyn = runs('flowlog', phase);
    const plug = runs('plugin', phase);
    const floor = runs('noop', phase);
    const ideal = runs('ideal', phase);
    if (!dyn.length && !plug.length) continue;
    const wall = (rs) => rs.map((r) => r.seconds);
    const calls = (rs) => rs.map((r) => r.callsPerFlowLog);
    const accepted = (rs) => rs.map((r) => (r.log.requests - r.log.throttled) / r.count);
    const throttled = (rs) => rs.map((r) => r.log.throttled / r.count);
    const callCell = (rs) => `${f(median(calls(rs)))} = ${f(median(accepted(rs)))} + ${f(median(throttled(rs)))} (${range(calls(rs))})`;
    const ok = (rs) => rs.every((r) => r.exitCode === 0);
    const wallRatio = median(wall(plug)) / median(wall(dyn));
    // Equal as printed: to 0.01 call per flow log.
    const same = (a, b) => f(a) === f(b);
    const callsEqual = same(median(calls(plug)), median(calls(dyn)));
    const acceptedEqual = same(median(accepted(plug)), median(accepted(dyn)));
    lines.push(
      `| ${phase} | ${mm(wall(dyn), 1)} | ${mm(wall(plug), 1)} | ${mm(wall(ideal), 1)} | ${mm(wall(floor), 1)} | ${f(wallRatio)} | ≤ 1.1 | ${yes(dyn.length && plug.length ? wallRatio <= 1.1 && ok(dyn) && ok(plug) : undefined)} ` +
        `| ${callCell(dyn)} | ${callCell(plug)} | equal | ${yes(dyn.length && plug.length ? callsEqual : undefined)} | ${yes(dyn.length && plug.length ? acceptedEqual : undefined)} ` +
        `| ${range(
          dyn.map((r) => r.writes),
          0,
        )} / ${range(
          plug.map((r) => r.writes),
          0,
        )} | ${[...new Set([...dyn, ...plug, ...ideal, ...floor].map((r) => r.exitCode))].join(',')} |`,
    );
    const vsIdeal = (rs) => median(wall(rs)) / median(wall(ideal));
    const idealOk = (rs) => (rs.length && ideal.length ? vsIdeal(rs) <= IDEAL_TARGET && ok(rs) : undefined);
    againstIdeal.push(
      `| ${phase} | ${mm(wall(ideal), 1)} | ${range(
        ideal.map((r) => r.log.throttled),
        0,
      )} | ${f(vsIdeal(dyn))} | ${yes(idealOk(dyn))} | ${f(vsIdeal(plug))} | ${yes(idealOk(plug))} | ${f(median(wall(dyn)) / median(wall(floor)))} | ${f(median(wall(plug)) / median(wall(floor)))} |`,
    );
    const actions = (rs) => {
      const names = [...new Set(rs.flatMap((r) => Object.keys(r.log.accepted)))].sort();
      const parts = names.map((a) => `${a} ${median(rs.map((r) => r.log.accepted[a] ?? 0))}`);
      return [...parts, `throttled ${median(rs.map((r) => r.log.throttled))}`].join(', ');
    };
    if (dyn.length && plug.length) byAction.push(`- ${phase}: dynamic ${actions(dyn)}; plugin ${actions(plug)}.`);
    const peak = (rs) => rs.map((r) => r.providerPeakMiB).filter((x) => x !== undefined);
    mem.push({ phase, dyn: peak(dyn), plug: peak(plug), floor: peak(floor), procs: plug.map((r) => r.providerProcesses) });
  }
  lines.push(
    '',
    `Both doors against the ideal provider (target ≤ ${f(IDEAL_TARGET)} × ideal, exit 0) and the floor; ideal throttled = its writes the emulator refused`,
    '(jitter between two token buckets; the ideal neither waits for nor retries them, so they make it no slower):',
    '',
    '| command | ideal wall s | ideal throttled (range) | dynamic / ideal | met | plugin / ideal | met | dynamic / floor | plugin / floor |',
    '|---|---|---|---|---|---|---|---|---|',
    ...againstIdeal,
  );
  lines.push('', 'Requests per command by action (accepted, median over the repetitions) and throttled responses:', '', ...byAction);
  lines.push(
    '',
    '| command | dynamic provider peak RSS MiB | plugin peak RSS MiB | plugin / dynamic | target ≤ 1.1 | met | floor (no-op dynamic provider) MiB | plugin processes per command |',
    '|---|---|---|---|---|---|---|---|',
    ...mem.map((m) => {
      const ratio = median(m.plug) / median(m.dyn);
      return `| ${m.phase} | ${mm(m.dyn, 1)} | ${mm(m.plug, 1)} | ${f(ratio)} | ≤ 1.1 | ${yes(m.dyn.length && m.plug.length ? ratio <= 1.1 : undefined)} | ${mm(m.floor, 1)} | ${range(m.procs, 0)} |`;
    }),
  );
  const startups = d.runs.filter((r) => r.kind === 'plugin').flatMap((r) => (r.startup ?? []).map((s) => ({ ...s, phase: r.phase })));
  const col = (key) =>
    mm(
      startups.map((s) => s[key]),
      0,
    );
  lines.push(
    '',
    `The plugin's start-up (CEN_FLOWLOG_PLUGIN_TIMING, one line per plugin process, ${startups.length} processes over every command and repetition; ms,`,
    `median (min)); the engine's first call was ${[...new Set(startups.map((s) => s.firstMethod))].join(', ') || '–'}:`,
    '',
    "| process start → code loaded | → listening (port printed) | engine's first call → its answer | process start → first answer (start-up) |",
    '|---|---|---|---|',
    `| ${col('spawnToLoadedMs')} | ${col('spawnToListeningMs')} | ${col('callToAnswerMs')} | ${col('spawnToAnswerMs')} |`,
  );
  lines.push(...failedCommands(d.runs));
  return lines;
}

module.exports = { pluginTable };
