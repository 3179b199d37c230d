'use strict';
/**
 * Table 6 of bench/RESULTS.md (section `defaults`, issue 20): ten flow logs at default settings and at the README's
 * setting, through both doors, against Terraform's schedule at its default of 10 at once.
 */
const { median, max, failedCommands } = require('./env');

const f = (x, digits = 2) => (x === undefined || x === null || Number.isNaN(x) ? '–' : Number(x).toFixed(digits));
const yes = (ok) => (ok === undefined ? '–' : ok ? '**yes**' : 'no');
/** `terraform apply` with the real terraform-provider-alicloud v1.285.0 on the same emulator, as issue 20 reports it (2026-12-05). */
const TERRAFORM_REAL = { 3: 6.5, 10: 15.5 };
const DOOR_LABEL = {
  dynamic: 'dynamic resource (TypeScript program)',
  yaml: 'plugin (YAML program)',
  python: 'plugin (Python program)',
};

function defaultsTable(section, header) {
  const d = section.data;
  const lines = header(section, '6. Ten flow logs at default settings against Terraform');
  lines.push(
    `\`pulumi up --yes --skip-preview\` of ${d.count} flow logs on 1 CEN, account 20 req/s burst 20, file backend, each run with its own emulator`,
    `and a new stack, on ${d.cpus} CPUs. **default** = nothing set: no \`--parallel\`, no \`PULUMI_PARALLEL\`, no \`GOMAXPROCS\` (removed from the`,
    `environment), the provider's defaults; the engine then runs GOMAXPROCS × 4 = ${d.cpus * 4} operations at once. **${d.recommended}** is what the`,
    'README ("Concurrency") tells a user to set. The doors: the dynamic resource `CenFlowlog` from a TypeScript program, and the provider plugin',
    `\`pulumi-resource-cen-flowlog\` from a Pulumi YAML program${d.doors.includes('python') ? ' and from a Python one (a `CustomResource` of its type, no SDK)' : ''} (the same CLI, engine and scheduling as any other language).`,
    `**Terraform** is not the real terraform-provider-alicloud (it cannot be built or fetched here) but its documented schedule with the same API`,
    `client against the same emulator (table 1): sleep 5 s after the write, polls at about 5, 8, 14, 24, 34 s, then the Read; at Terraform's`,
    `default \`-parallelism=${d.terraformParallelism}\`, so all ${d.count} at once. Its plan, its start-up and its provider's start-up are not counted`,
    '(that favours Terraform); ours is the whole `pulumi up` command, CLI start-up included. In flight = the most creates in flight at once, from',
    "the emulator's request log (a create counts from its CreateFlowlog to the first status query that could see it Active); waves = CreateFlowlog",
    'calls grouped by gaps over T / 2. Calls = every request the emulator saw. First call = seconds from the command’s start to its first API',
    'call (CLI, language host, program and provider start-up); first call to end = the rest, the part Terraform\'s model measures. "vs real Terraform" divides by the issue\'s `terraform apply` with the real',
    `provider on the same emulator (${Object.entries(TERRAFORM_REAL)
      .map(([T, s]) => `T = ${T} s: ${s} s`)
      .join(', ')}; 2026-12-05, not measured here). Wall and calls are medians over the repetitions.`,
    '',
    '| T | door | setting | wall s | in flight at once | waves | calls | first call s | first call to end s | vs Terraform | vs real Terraform | vs default | target | met |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const T of d.Ts) {
    const at = (door, setting) => d.runs.filter((r) => r.T === T && r.door === door && (setting === undefined || r.setting === setting));
    const wall = (rs) => median(rs.map((r) => r.seconds));
    const tf = at('terraform');
    const tfWall = wall(tf);
    const row = (T_, door, setting, rs, vsDefault, target) => {
      const w = wall(rs);
      const ok = rs.every((r) => r.exitCode === 0 && r.active === d.count);
      const waves = [...new Set(rs.map((r) => r.waves.map((x) => x.size).join(' + ')))].join('; ');
      lines.push(
        `| ${T_} | ${door} | ${setting} | ${f(w, 1)}${ok ? '' : ' (failed)'} | ${max(rs.map((r) => r.inFlight)) ?? '–'} | ${waves} | ${f(median(rs.map((r) => r.log.requests)), 0)} ` +
          `| ${f(median(rs.map((r) => r.beforeFirstCallSeconds)), 1)} | ${f(median(rs.map((r) => r.seconds - (r.beforeFirstCallSeconds ?? 0))), 1)} | ${door.startsWith('Terraform') ? '1' : f(w / tfWall)} | ${TERRAFORM_REAL[T_] ? f(w / TERRAFORM_REAL[T_]) : '–'} | ${vsDefault === undefined ? '–' : f(vsDefault)} | ${target ? '< 1 × Terraform' : '–'} | ${target ? yes(ok && w < tfWall) : '–'} |`,
      );
    };
    if (tf.length) row(T, "Terraform's schedule (model)", `${d.terraformParallelism} at once`, tf);
    for (const door of d.doors) {
      const def = at(door, 'default');
      const rec = at(door, d.recommended);
      if (def.length) row(T, DOOR_LABEL[door], 'default', def, undefined, true);
      if (rec.length) row(T, DOOR_LABEL[door], `\`${d.recommended}\``, rec, def.length ? wall(rec) / wall(def) : undefined, true);
    }
  }
  lines.push(
    '',
    'Where the limit comes from: the CLI (`pulumi up`, `preview`, `refresh`, `destroy`, `import`, `watch`) sets `--parallel` to `PULUMI_PARALLEL`',
    'when that is above 0, else GOMAXPROCS × 4; the engine starts that many step workers, and each create holds one until the flow log is Active.',
    'Neither the language host nor the provider can change it, and Pulumi.yaml has no setting for it: see the README, "Concurrency".',
  );
  lines.push(...failedCommands(d.runs.map((r) => ({ ...r, kind: r.door, phase: r.setting }))));
  return lines;
}

module.exports = { defaultsTable };
