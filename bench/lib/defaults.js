'use strict';
/**
 * Section `defaults` (issue 20): ten flow logs at default settings, `pulumi up` against Terraform's schedule.
 *
 * Each run: one emulator (account 20 req/s, burst 20, transitions of T s), one stack in a temp folder (file backend),
 * `pulumi up --yes --skip-preview` of ten flow logs on one CEN, through the dynamic resource (a TypeScript program with
 * `CenFlowlog`) or through the provider plugin (a Pulumi YAML program; a Python program too with BENCH_DEFAULTS_DOORS).
 * "default" means what a user gets with nothing set: no `--parallel`, no PULUMI_PARALLEL, no GOMAXPROCS (all three
 * removed from the environment the CLI inherits), the provider's own defaults. The other settings are the README's.
 *
 * Terraform: terraform-provider-alicloud cannot be built or fetched here, so Terraform is its documented schedule
 * (bench/lib/single-driver.js, table 1) with the same API client, at Terraform's default of 10 operations at once
 * (all ten flow logs). Its plan, its start-up and its provider's start-up are not counted: that favours Terraform.
 *
 * Every run's whole request log comes back from the emulator; from it: the calls, and how many creates were in flight
 * at once (`inFlight`).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { accountEmulator, runDriver, requestSummary, adminPost, admin, progress } = require('./env');
const { benchTopology } = require('./topology');
const { pulumiBin, cliEnv: benchCliEnv } = require('./pulumi');

const COUNT = 10;
const TS = [3, 10];
/** Terraform's default `-parallelism`. */
const TERRAFORM_PARALLELISM = 10;
/** The README's advice ("Concurrency"): what the section measures next to the defaults. */
const RECOMMENDED = { name: 'PULUMI_PARALLEL=100', env: { PULUMI_PARALLEL: '100' } };
const DEFAULT = { name: 'default', env: {} };
/** Variables that change the engine's parallelism; a default run must not inherit them from whoever runs the bench. */
const PARALLELISM_VARS = ['PULUMI_PARALLEL', 'GOMAXPROCS'];
/** Where the Python door looks for a venv with PyPI's `pulumi` (test/e2e/languages/toolchain.ts makes it). */
const VENV_PYTHON = (root) => path.join(root, '.langs', 'python', 'bin', 'python');

const DOORS = {
  /** The dynamic resource, from TypeScript (run as JavaScript: no compile step in the measurement). */
  dynamic: {
    label: 'dynamic resource (TypeScript)',
    files: (root, targets) => ({
      'Pulumi.yaml': 'name: defaults\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n',
      'package.json': '{ "name": "defaults", "private": true, "main": "index.js" }\n',
      'index.js':
        "'use strict';\nconst { CenFlowlog } = require('cen-flowlog');\n" +
        `require('./targets.json').forEach((t, i) => new CenFlowlog('fl-' + i, { ...t, flowLogName: 'bench-' + i }));\n`,
      'targets.json': JSON.stringify(targets),
    }),
    link: true,
  },
  /** The provider plugin from Pulumi YAML: the schema is all the YAML host reads. */
  yaml: {
    label: 'plugin (YAML)',
    files: (root, targets) => ({
      'Pulumi.yaml': [
        'name: defaults',
        'runtime: yaml',
        'plugins:',
        '  providers:',
        '    - name: cen-flowlog',
        `      path: ${JSON.stringify(path.join(root, 'bin'))}`,
        'resources:',
        ...targets.flatMap((t, i) => [
          `  fl-${i}:`,
          '    type: cen-flowlog:index:Flowlog',
          `    properties: ${JSON.stringify({ ...t, flowLogName: `bench-${i}` })}`,
        ]),
        '',
      ].join('\n'),
    }),
  },
  /** The provider plugin from Python, without a generated SDK (a CustomResource of the plugin's type). */
  python: {
    label: 'plugin (Python)',
    env: (root) => ({ PULUMI_PYTHON_CMD: VENV_PYTHON(root) }),
    files: (root, targets) => ({
      'Pulumi.yaml': `name: defaults\nruntime: python\nplugins:\n  providers:\n    - name: cen-flowlog\n      path: ${JSON.stringify(path.join(root, 'bin'))}\n`,
      '__main__.py':
        'import json\nimport pulumi\n\n' +
        "for i, t in enumerate(json.load(open('targets.json'))):\n" +
        "    pulumi.CustomResource('cen-flowlog:index:Flowlog', f'fl-{i}', dict(t, flowLogName=f'bench-{i}'))\n",
      'targets.json': JSON.stringify(targets),
    }),
  },
};

/**
 * How many creates (or deletes: `write`) were in flight at once, from the emulator's request log: one is in flight from
 * its write until the first accepted DescribeFlowlogs of its region, at or after the write + T (when it turned Active,
 * or went), that could have told so (a scan, or a query naming its id): the earliest its waiter can end.
 * Also the "waves": the writes grouped by gaps longer than T / 2.
 */
function concurrency(requests, T, write = 'CreateFlowlog') {
  const at = (r) => Date.parse(r.time);
  const accepted = requests.filter((r) => r.statusCode === 200).sort((a, b) => at(a) - at(b));
  const idOf = (r) => r.flowLogId ?? r.params.FlowLogId;
  const writes = accepted.filter((r) => r.action === write && idOf(r));
  const describes = accepted.filter((r) => r.action === 'DescribeFlowlogs');
  const intervals = writes.map((c) => {
    const activeAt = at(c) + T * 1000;
    const seen = describes.find(
      (d) =>
        at(d) >= activeAt &&
        (d.params.RegionId ?? c.params.RegionId) === c.params.RegionId &&
        (!d.params.FlowLogId || d.params.FlowLogId === idOf(c)),
    );
    return { start: at(c), end: seen ? at(seen) : Infinity };
  });
  const events = intervals.flatMap((i) => [
    [i.start, 1],
    [i.end, -1],
  ]);
  // Ends before starts at the same millisecond: touching intervals do not overlap.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let inFlight = 0;
  for (const [, d] of events) inFlight = Math.max(inFlight, (now += d));
  const waves = [];
  for (const c of writes) {
    const last = waves.at(-1);
    if (last && at(c) - last.lastAt <= (T * 1000) / 2) {
      last.size++;
      last.lastAt = at(c);
    } else waves.push({ size: 1, firstAt: at(c), lastAt: at(c) });
  }
  const t0 = writes.length ? at(writes[0]) : 0;
  return {
    inFlight,
    writes: writes.length,
    waves: waves.map((w) => ({ size: w.size, startSeconds: (w.firstAt - t0) / 1000 })),
  };
}

/** The environment of every CLI command: offline, a throwaway backend, the emulator, and `setting.env` only. */
function cliEnv(opts, dir, emu, door, setting) {
  const env = { ...benchCliEnv(pulumiBin(opts.pulumiRoot), dir, emu), ...(DOORS[door].env?.(opts.root) ?? {}) };
  for (const v of PARALLELISM_VARS) delete env[v];
  return { ...env, ...setting.env };
}

/** Runs `pulumi <args>` in `cwd`; resolves with its wall time and exit code (output appended to `logFile`). */
function pulumi(opts, args, { cwd, env, logFile }) {
  return new Promise((resolve) => {
    const out = fs.openSync(logFile, 'a');
    fs.writeSync(out, `\n$ pulumi ${args.join(' ')}\n`);
    const t0 = performance.now();
    const startedAt = Date.now();
    const child = spawn(path.join(pulumiBin(opts.pulumiRoot), 'pulumi'), [...args, '--non-interactive'], {
      cwd,
      env,
      stdio: ['ignore', out, out],
    });
    child.on('exit', (code) => {
      fs.closeSync(out);
      resolve({ seconds: (performance.now() - t0) / 1000, code, startedAt, endedAt: Date.now() });
    });
  });
}

const tail = (file, lines = 15) => {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
};

/** One `pulumi up` of COUNT flow logs through `door` with `setting`, at T; nothing is destroyed (the emulator goes). */
async function pulumiRun(opts, { door, setting, T, flags = [], then = [] }) {
  const { topology, targets } = benchTopology(1, COUNT);
  const emu = await accountEmulator(opts, { rate: 20, T, topology, flowLogs: COUNT });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cen-flowlog-bench-defaults-${door}-`));
  const project = path.join(dir, 'project');
  fs.mkdirSync(project);
  fs.mkdirSync(path.join(dir, 'backend'));
  if (DOORS[door].link) fs.symlinkSync(path.join(opts.root, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  for (const [file, text] of Object.entries(DOORS[door].files(opts.root, targets))) fs.writeFileSync(path.join(project, file), text);
  const env = cliEnv(opts, dir, emu, door, setting);
  const logFile = path.join(dir, 'pulumi.log');
  try {
    const init = await pulumi(opts, ['stack', 'init', 'defaults'], { cwd: project, env, logFile });
    if (init.code !== 0) throw new Error(`pulumi stack init failed: ${tail(logFile)}`);
    await adminPost(emu.endpoint, 'reset-requests');
    progress(
      `defaults: ${DOORS[door].label}, ${setting.name}${flags.length ? ` ${flags.join(' ')}` : ''}, T = ${T} s: pulumi up of ${COUNT} (load ${os.loadavg()[0].toFixed(2)})`,
    );
    const r = await pulumi(opts, ['up', '--yes', '--skip-preview', ...flags], { cwd: project, env, logFile });
    const result = await measured(opts, emu, T, `${door}-${setting.name}-T${T}`);
    progress(
      `defaults:   ${r.seconds.toFixed(1)} s, exit ${r.code}, ${result.log.requests} requests, ${result.inFlight} in flight at once, waves ${result.waves.map((w) => w.size).join('+')}`,
    );
    // Later commands on the same stack (`then`: e.g. [['destroy', '--yes']]), each with its own request log.
    const later = [];
    for (const args of then) {
      await adminPost(emu.endpoint, 'reset-requests');
      const l = await pulumi(opts, args, { cwd: project, env, logFile });
      const m = await measured(
        opts,
        emu,
        T,
        `${door}-${setting.name}-T${T}-${args[0]}`,
        args[0] === 'destroy' ? 'DeleteFlowlog' : 'CreateFlowlog',
      );
      progress(`defaults:   then pulumi ${args.join(' ')}: ${l.seconds.toFixed(1)} s, exit ${l.code}, ${m.inFlight} in flight at once`);
      later.push({ args, seconds: l.seconds, exitCode: l.code, ...m });
    }
    return {
      door,
      setting: setting.name,
      flags,
      T,
      seconds: r.seconds,
      exitCode: r.code,
      // Where the wall goes: before the first API call (CLI, language host, program, provider start-up) and after the last.
      beforeFirstCallSeconds: result.log.firstAt ? (result.log.firstAt - r.startedAt) / 1000 : undefined,
      afterLastCallSeconds: result.log.lastAt ? (r.endedAt - result.log.lastAt) / 1000 : undefined,
      ...result,
      ...(later.length ? { then: later } : {}),
      ...(r.code !== 0 ? { failure: tail(logFile) } : {}),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await emu.stop();
  }
}

/** The request log of a run reduced to the table's figures (and kept whole under BENCH_REQUEST_LOG). */
async function measured(opts, emu, T, name, write = 'CreateFlowlog') {
  const requests = await admin(emu.endpoint, 'requests');
  const list = Array.isArray(requests) ? requests : requests.requests;
  if (opts.requestLogDir) fs.writeFileSync(path.join(opts.requestLogDir, `defaults-${name}.json`), JSON.stringify(list, null, 1));
  const log = await requestSummary(emu.endpoint);
  const state = await admin(emu.endpoint, 'state');
  return { log, ...concurrency(list, T, write), active: state.flowLogs.filter((f) => f.Status === 'Active').length };
}

/** Terraform's schedule for COUNT creates at once (COUNT ≤ its default parallelism), same emulator settings. */
async function terraformRun(opts, T) {
  const { topology, targets } = benchTopology(1, COUNT);
  const emu = await accountEmulator(opts, { rate: 20, T, topology, flowLogs: COUNT });
  try {
    progress(`defaults: Terraform's schedule, ${TERRAFORM_PARALLELISM} at once, T = ${T} s: ${COUNT} creates`);
    const job = { ...emu, stop: undefined, root: opts.root, mode: 'terraform', T, targets, ops: ['create'], limitMs: (3 * T + 200) * 1000 };
    const r = await runDriver('single-driver.js', job, (3 * T + 260) * 1000);
    const result = await measured(opts, emu, T, `terraform-T${T}`);
    const create = r.phases?.create;
    progress(`defaults:   ${create?.wallSeconds?.toFixed(1)} s, ${result.log.requests} requests, ${result.inFlight} in flight at once`);
    return {
      door: 'terraform',
      setting: `Terraform's schedule, ${TERRAFORM_PARALLELISM} at once`,
      T,
      seconds: create?.wallSeconds,
      exitCode: r.error || create?.errors?.length ? 1 : 0,
      ...result,
      ...(r.error || create?.errors?.length ? { failure: r.error ?? create.errors.join('\n') } : {}),
    };
  } finally {
    await emu.stop();
  }
}

/** Doors measured: the dynamic resource and YAML; BENCH_DEFAULTS_DOORS=dynamic,yaml,python adds Python (needs .langs/python). */
function doorsOf(env, root) {
  const doors = (env.BENCH_DEFAULTS_DOORS || 'dynamic,yaml').split(',').map((d) => d.trim());
  for (const d of doors)
    if (!DOORS[d])
      throw Object.assign(
        new Error(`Expected \`BENCH_DEFAULTS_DOORS\` to list some of ${Object.keys(DOORS).join(', ')}, got ${JSON.stringify(d)}`),
        { benchUsage: true },
      );
  if (doors.includes('python') && !fs.existsSync(VENV_PYTHON(root)))
    throw Object.assign(
      new Error(`The Python door needs a venv with PyPI's pulumi at ${VENV_PYTHON(root)} (see test/e2e/languages/toolchain.ts)`),
      { benchUsage: true },
    );
  return doors;
}

async function defaults(opts) {
  const doors = doorsOf(process.env, opts.root);
  const runs = [];
  for (let rep = 1; rep <= opts.repeat.defaults; rep++) {
    for (const T of TS) {
      runs.push({ rep, ...(await terraformRun(opts, T)) });
      for (const door of doors)
        for (const setting of [DEFAULT, RECOMMENDED]) runs.push({ rep, ...(await pulumiRun(opts, { door, setting, T })) });
    }
  }
  return {
    count: COUNT,
    Ts: TS,
    doors,
    recommended: RECOMMENDED.name,
    terraformParallelism: TERRAFORM_PARALLELISM,
    cpus: os.availableParallelism(),
    runs,
  };
}

module.exports = { defaults, pulumiRun, terraformRun, concurrency, DOORS, DEFAULT, RECOMMENDED, COUNT };
