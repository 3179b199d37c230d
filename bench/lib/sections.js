'use strict';
/**
 * The measured tables: issue 7's four, and the provider plugin next to the dynamic resource (issue 16). Each section returns plain data (one entry per
 * scenario, one sample per repetition); report.js turns it into Markdown.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startEmulatorProcess, accountEmulator, delaysOf, runDriver, requestSummary, adminPost, admin, progress } = require('./env');
const { benchTopology } = require('./topology');
const { makeStack } = require('./pulumi');
const { watchProviders } = require('./procs');

const SINGLE_T = [0.5, 2, 10, 30];
const SCALE_N = [10, 100, 500];
const SCALE_CENS = [1, 10];
const SCALE_RATES = [20, 10, 50];
/** Issue 20's large row: 1,000 flow logs in one process on 10 CENs at 20 req/s, next to a no-op provider process's memory. */
const SCALE_LARGE = { N: 1000, cens: 10, rate: 20 };
const CLI_T = 3;
const CLI_COUNT = 100;
const STACKS = 5;
const PER_STACK = 20;
/** As the README advises: at the engine's default (8 on 2 cores) each stack's 20 creates take 3 rounds of T, above 1.25 × bound. */
const STACKS_PARALLEL = 100;

const load = () => os.loadavg()[0].toFixed(2);
const withoutStop = ({ stop, ...emu }) => emu;

/** Does this emulator give ModifyFlowLogAttribute a Modifying phase (the new `delays.modifyAttributeMs`)? */
async function probeModifyPhase(root, emulatorRoot) {
  const { topology, targets } = benchTopology(1, 1, 'p');
  const emu = await startEmulatorProcess(emulatorRoot, {
    ratePerSecond: 0,
    delays: { ...delaysOf(5000), createMs: 0 },
    topology,
    quota: 10,
  });
  try {
    // The client lives in dist/transport/; older checkouts (the baseline) have it at dist/api/ or dist/.
    const clientPath = ['transport/client.js', 'api/client.js', 'client.js']
      .map((p) => path.join(root, 'dist', p))
      .find((p) => require('node:fs').existsSync(p));
    const { createCenClient } = require(clientPath);
    const api = createCenClient({
      endpoint: emu.endpoint,
      credential: { getCredential: async () => ({ accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret }) },
    });
    const t = targets[0];
    const { flowLogId } = await api.createFlowlog({
      RegionId: t.regionId,
      CenId: t.cenId,
      TransitRouterAttachmentId: t.transitRouterAttachmentId,
      TransitRouterId: t.transitRouterId,
    });
    await new Promise((r) => setTimeout(r, 50));
    await api.modifyFlowLogAttribute({ RegionId: t.regionId, CenId: t.cenId, FlowLogId: flowLogId, FlowLogName: 'probe' });
    const { flowLogs } = await api.describeFlowlogs({ RegionId: t.regionId, FlowLogId: flowLogId });
    return flowLogs[0]?.Status === 'Modifying';
  } finally {
    await emu.stop();
  }
}

/** Table 1: single create/update/delete per T, ours next to Terraform's schedule; ten creates at T = 10 s. */
async function single(opts) {
  const modifyPhase = await probeModifyPhase(opts.root, opts.emulatorRoot);
  progress(`single: ModifyFlowLogAttribute ${modifyPhase ? 'has' : 'has no'} Modifying phase in this emulator`);
  const runs = [];
  for (let rep = 1; rep <= opts.repeat.single; rep++) {
    progress(
      `single: repetition ${rep}/${opts.repeat.single} (T = ${SINGLE_T.join(', ')} s and ten creates at T = 10 s, ours and Terraform's schedule side by side, load ${load()})`,
    );
    const jobs = [];
    for (const mode of ['ours', 'terraform']) {
      for (const T of SINGLE_T) jobs.push({ kind: 'single', mode, T, count: 1, ops: ['create', 'update', 'delete'] });
      jobs.push({ kind: 'ten', mode, T: 10, count: 10, ops: ['create'] });
    }
    // Every emulator first, then every driver starts its clock at the same moment, once all are loaded.
    const emus = await Promise.all(
      jobs.map((j) => {
        const { topology } = benchTopology(1, j.count);
        return startEmulatorProcess(opts.emulatorRoot, { ratePerSecond: 0, delays: delaysOf(j.T * 1000), topology, quota: 100 });
      }),
    );
    const startAt = Date.now() + 4000;
    const results = await Promise.all(
      jobs.map(async (j, i) => {
        const { targets } = benchTopology(1, j.count);
        try {
          const job = {
            ...withoutStop(emus[i]),
            root: opts.root,
            mode: j.mode,
            T: j.T,
            targets,
            ops: j.ops,
            startAt,
            limitMs: (3 * j.T + 200) * 1000,
          };
          return { ...j, rep, ...(await runDriver('single-driver.js', job, (3 * j.T + 260) * 1000)) };
        } catch (err) {
          return { ...j, rep, error: err.message };
        } finally {
          await emus[i].stop();
        }
      }),
    );
    runs.push(...results);
  }
  return { modifyPhase, runs };
}

/**
 * Table 2: N concurrent creates in one provider process, account limits the provider is not told; in every
 * repetition also SCALE_LARGE, and the same driver with a no-op provider for its peak RSS (`noopRuns`).
 */
async function scale(opts) {
  const runs = [];
  const noopRuns = [];
  const T = 3;
  const one = async (rep, rate, cens, N) => {
    const bound = T + Math.max(0, N - rate) / rate;
    const limitMs = Math.max(60, opts.capFactor * bound) * 1000;
    progress(
      `scale: rep ${rep}, ${N} creates on ${cens} CEN(s), account ${rate} req/s burst ${rate} (bound ${bound} s, stop at ${limitMs / 1000} s, load ${load()})`,
    );
    const { topology } = benchTopology(cens, N / cens);
    const emu = await accountEmulator(opts, { rate, T, topology, flowLogs: N });
    try {
      const job = { ...withoutStop(emu), root: opts.root, T, cens, perCen: N / cens, limitMs };
      const r = await runDriver('scale-driver.js', job, limitMs + 60000).catch((err) => ({ error: err.message }));
      const log = await requestSummary(emu.endpoint);
      runs.push({ rep, rate, cens, N, T, bound, limitSeconds: limitMs / 1000, ...r, log });
      progress(
        `scale:   ${r.timedOut ? 'stopped at' : 'done in'} ${r.wallSeconds?.toFixed(1)} s, ${log.accepted.DescribeFlowlogs ?? 0} DescribeFlowlogs, ${log.throttled} throttled, ${r.rejected ?? '?'} rejected, peak RSS ${(r.peakRssKiB / 1024).toFixed(1)} MiB`,
      );
    } finally {
      await emu.stop();
    }
  };
  for (let rep = 1; rep <= opts.repeat.scale; rep++) {
    for (const rate of SCALE_RATES) for (const cens of SCALE_CENS) for (const N of SCALE_N) await one(rep, rate, cens, N);
    const { N, cens, rate } = SCALE_LARGE;
    await one(rep, rate, cens, N);
    const r = await runDriver('scale-driver.js', { noop: true, root: opts.root, T, cens, perCen: N / cens, limitMs: 60000 }, 120000).catch(
      (err) => ({
        error: err.message,
      }),
    );
    noopRuns.push({ rep, cens, N, T, ...r });
    progress(
      `scale: rep ${rep}, the same ${N} creates with a no-op provider: ${r.wallSeconds?.toFixed(1)} s, peak RSS ${(r.peakRssKiB / 1024).toFixed(1)} MiB`,
    );
  }
  return { runs, noopRuns };
}

const WRITES = new Set([
  'CreateFlowlog',
  'ModifyFlowLogAttribute',
  'ActiveFlowLog',
  'DeactiveFlowLog',
  'DeleteFlowlog',
  'TagResources',
  'UntagResources',
]);
const writesOf = (accepted) =>
  Object.entries(accepted)
    .filter(([a]) => WRITES.has(a))
    .reduce((s, [, n]) => s + n, 0);

/**
 * Table 3: 100 flow logs through the CLI at `--parallel 100`, each kind on its own stack and emulator:
 * ours (`flowlog`): up / update (every name) / refresh / refresh at the default `--parallel` / destroy;
 * the ideal provider (`ideal`): up / update / destroy; the no-op floor (`noop`): all five. Runs at the
 * default `--parallel` are refresh only: up, update and destroy there take ⌈100 / parallel⌉ rounds of T
 * whatever the provider does, and were the slowest part of the bench.
 */
async function cli(opts) {
  const modifyPhase = await probeModifyPhase(opts.root, opts.emulatorRoot);
  const runs = [];
  const { topology, targets } = benchTopology(1, CLI_COUNT);
  const flags = ['--yes', '--skip-preview'];
  const at100 = [...flags, '--parallel', '100'];
  const steps = [
    ['up', 100, ['up', ...at100]],
    ['update', 100, ['up', ...at100]],
    ['refresh', 100, ['refresh', ...at100]],
    ['refresh', 'default', ['refresh', ...flags]],
    ['destroy', 100, ['destroy', ...at100]],
  ];
  for (let rep = 1; rep <= opts.repeat.cli; rep++) {
    for (const kind of ['flowlog', 'ideal', 'noop']) {
      const emu = await accountEmulator(opts, { rate: 20, T: CLI_T, topology, flowLogs: CLI_COUNT });
      const stack = await makeStack({
        root: opts.root,
        pulumiRoot: opts.pulumiRoot,
        emu,
        name: `cli-${kind}`,
        kind,
        targets,
        activationMs: CLI_T * 1000,
        rate: 20,
        burst: 20,
      });
      try {
        // The ideal has no cost to refresh (its read answers from the state): refresh compares with the no-op only.
        for (const [phase, parallel, args] of steps.filter(([phase]) => !(kind === 'ideal' && phase === 'refresh'))) {
          if (phase === 'update') stack.setConfig('b');
          await adminPost(emu.endpoint, 'reset-requests');
          progress(`cli: rep ${rep}, ${kind}, --parallel ${parallel}: pulumi ${phase} of ${CLI_COUNT} (load ${load()})`);
          const r = await stack.run(args);
          const log = await requestSummary(emu.endpoint);
          const state = await admin(emu.endpoint, 'state');
          const writes = writesOf(log.accepted);
          runs.push({
            rep,
            kind,
            parallel,
            phase,
            seconds: r.seconds,
            exitCode: r.code,
            log,
            writes,
            beyondWrites: (log.requests - writes) / CLI_COUNT,
            flowLogsAfter: state.flowLogs.length,
            ...(r.code !== 0 ? { failure: stack.logTail() } : {}),
          });
          progress(`cli:   ${r.seconds.toFixed(1)} s, exit ${r.code}, ${log.requests} requests (${log.throttled} throttled)`);
        }
      } finally {
        stack.remove();
        await emu.stop();
      }
    }
  }
  return { modifyPhase, runs };
}

/**
 * Table 5: the provider plugin next to the dynamic resource, the ideal provider and the no-op floor, in one run:
 * `pulumi up` / `up` after renaming all / `destroy` of 100 flow logs at `--parallel 100`,
 * T = 3 s, account 20 req/s. Per command: wall, the emulator's requests, the provider
 * processes' peak RSS (VmHWM), and for the plugin its start-up times (timing.ts).
 */
async function plugin(opts) {
  const count = opts.pluginCount;
  const modifyPhase = await probeModifyPhase(opts.root, opts.emulatorRoot);
  const runs = [];
  const { topology, targets } = benchTopology(1, count);
  for (let rep = 1; rep <= opts.repeat.plugin; rep++) {
    // The kinds one after the other in every repetition, so a change in the machine's load meets all of them.
    for (const kind of ['flowlog', 'plugin', 'ideal', 'noop']) {
      const emu = await accountEmulator(opts, { rate: 20, T: CLI_T, topology, flowLogs: count });
      const timingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-bench-timing-'));
      const stack = await makeStack({
        root: opts.root,
        pulumiRoot: opts.pulumiRoot,
        emu,
        name: `plugin-${kind}`,
        kind,
        targets,
        activationMs: CLI_T * 1000,
        env: kind === 'plugin' ? { CEN_FLOWLOG_PLUGIN_TIMING: path.join(timingDir, 'timing.jsonl') } : {},
      });
      const flags = ['--yes', '--skip-preview', '--parallel', '100'];
      try {
        for (const [phase, args] of [
          ['up', ['up', ...flags]],
          ['update', ['up', ...flags]],
          ['destroy', ['destroy', ...flags]],
        ]) {
          if (phase === 'update') stack.setConfig('b');
          await adminPost(emu.endpoint, 'reset-requests');
          fs.rmSync(path.join(timingDir, 'timing.jsonl'), { force: true });
          progress(`plugin: rep ${rep}, ${kind}: pulumi ${phase} of ${count} at --parallel 100 (load ${load()})`);
          let watcher;
          const r = await stack.run(args, { onSpawn: (child) => (watcher = watchProviders(child.pid)) });
          const procs = watcher ? watcher.stop() : [];
          const log = await requestSummary(emu.endpoint);
          if (opts.requestLogDir) {
            // Every request of the command, to explain a difference in calls between the doors.
            const requests = await admin(emu.endpoint, 'requests');
            fs.writeFileSync(path.join(opts.requestLogDir, `plugin-${rep}-${kind}-${phase}.json`), JSON.stringify(requests, null, 1));
          }
          const state = await admin(emu.endpoint, 'state');
          const providerKind = kind === 'plugin' ? 'plugin' : 'dynamic';
          const providers = procs.filter((p) => p.kind === providerKind);
          const startup = readTimings(path.join(timingDir, 'timing.jsonl'));
          runs.push({
            rep,
            kind,
            phase,
            count,
            seconds: r.seconds,
            exitCode: r.code,
            log,
            writes: writesOf(log.accepted),
            callsPerFlowLog: log.requests / count,
            providerProcesses: providers.length,
            providerPeakMiB: providers.length ? Math.max(...providers.map((p) => p.peakKiB)) / 1024 : undefined,
            programPeakMiB: Math.max(0, ...procs.filter((p) => p.kind === 'program').map((p) => p.peakKiB)) / 1024 || undefined,
            startup,
            processes: procs.map(({ pid, kind: k, peakKiB, samples, firstSeenAt, lastSeenAt }) => ({
              pid,
              kind: k,
              peakKiB,
              samples,
              seenSeconds: (lastSeenAt - firstSeenAt) / 1000,
            })),
            flowLogsAfter: state.flowLogs.length,
            ...(r.code !== 0 ? { failure: stack.logTail() } : {}),
          });
          progress(
            `plugin:   ${r.seconds.toFixed(1)} s, exit ${r.code}, ${log.requests} requests (${log.throttled} throttled), ` +
              `${providers.length} provider process(es), peak RSS ${providers.length ? (Math.max(...providers.map((p) => p.peakKiB)) / 1024).toFixed(1) : '–'} MiB` +
              (startup.length ? `, start-up ${startup[0].spawnToAnswerMs.toFixed(0)} ms` : ''),
          );
        }
      } finally {
        stack.remove();
        fs.rmSync(timingDir, { recursive: true, force: true });
        await emu.stop();
      }
    }
  }
  return { modifyPhase, count, T: CLI_T, runs };
}

/** The plugin processes' start-up lines (src/plugin/timing.ts), as durations in ms. */
function readTimings(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .map((t) => ({
      firstMethod: t.firstCall?.method,
      spawnToListeningMs: t.listeningAt - t.startedAt,
      spawnToLoadedMs: t.loadedAt - t.startedAt,
      callToAnswerMs: t.firstAnswer.at - t.firstCall.at,
      spawnToAnswerMs: t.firstAnswer.at - t.startedAt,
    }));
}

/** Table 4: K stacks × 20 flow logs, `pulumi up` at once on one AccessKey (20 req/s, burst 20). */
async function stacks(opts) {
  const runs = [];
  const T = CLI_T;
  const { topology, targets } = benchTopology(1, STACKS * PER_STACK);
  for (let rep = 1; rep <= opts.repeat.stacks; rep++) {
    for (const kind of ['flowlog', 'noop']) {
      const emu = await accountEmulator(opts, { rate: 20, T, topology, flowLogs: STACKS * PER_STACK });
      const made = [];
      const barrier = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-bench-barrier-'));
      try {
        for (let k = 0; k < STACKS; k++) {
          made.push(
            await makeStack({
              root: opts.root,
              pulumiRoot: opts.pulumiRoot,
              emu,
              name: `stacks-${kind}-${k}`,
              kind,
              targets: targets.slice(k * PER_STACK, (k + 1) * PER_STACK),
              activationMs: T * 1000,
              barrier,
            }),
          );
        }
        await adminPost(emu.endpoint, 'reset-requests');
        progress(`stacks: rep ${rep}, ${kind}: ${STACKS} × pulumi up of ${PER_STACK} at once (load ${load()})`);
        const started = performance.now();
        const upsDone = Promise.all(made.map((s) => s.run(['up', '--yes', '--skip-preview', '--parallel', String(STACKS_PARALLEL)])));
        // Once every program is ready, "go": all 100 resources are registered at one moment.
        const ready = () => fs.readdirSync(barrier).filter((n) => n.startsWith('ready-')).length;
        while (ready() < STACKS && performance.now() - started < 180000) await new Promise((r) => setTimeout(r, 20));
        const t0 = performance.now();
        fs.writeFileSync(path.join(barrier, 'go'), '');
        const ups = await upsDone;
        const wall = (performance.now() - t0) / 1000;
        const log = await requestSummary(emu.endpoint);
        const state = await admin(emu.endpoint, 'state');
        const active = state.flowLogs.filter((f) => f.Status === 'Active').length;
        runs.push({
          rep,
          kind,
          wallSeconds: wall,
          startupSeconds: (t0 - started) / 1000,
          perStackSeconds: ups.map((u) => u.seconds),
          failedUps: ups.filter((u) => u.code !== 0).length,
          missing: kind === 'flowlog' ? STACKS * PER_STACK - active : 0,
          log,
          failures: ups
            .map((u, i) => (u.code !== 0 ? made[i].logTail() : undefined))
            .filter(Boolean)
            .slice(0, 2),
        });
        progress(
          `stacks:   ${wall.toFixed(1)} s, ${log.requests} requests, ${log.throttled} throttled, ${ups.filter((u) => u.code !== 0).length} failed`,
        );
      } finally {
        for (const s of made) s.remove();
        fs.rmSync(barrier, { recursive: true, force: true });
        await emu.stop();
      }
    }
  }
  return { runs, parallel: STACKS_PARALLEL, bound: T + (STACKS * PER_STACK - 20) / 20 };
}

// Issue 20's default-settings rows (bench/lib/defaults.js).
const { defaults } = require('./defaults');

module.exports = {
  single,
  scale,
  cli,
  stacks,
  plugin,
  defaults,
  SINGLE_T,
  SCALE_N,
  SCALE_CENS,
  SCALE_RATES,
  SCALE_LARGE,
  CLI_COUNT,
  STACKS,
  PER_STACK,
};
