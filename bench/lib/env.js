'use strict';
/**
 * What the benchmarks measure and how often, from the environment, and the
 * small helpers every section shares: the emulator in its own process, the
 * admin endpoint, child drivers that answer one JSON line, statistics.
 * Everything talks to 127.0.0.1 only.
 */
const { fork } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { pinned } = require('../../scripts/pulumi-versions');

const REPO = path.resolve(__dirname, '..', '..');
const SECTIONS = ['single', 'scale', 'cli', 'stacks', 'plugin', 'defaults'];
/** Default repetitions per section: on 2 cores about 5.5 min single, 6 scale, 4 cli, 2 stacks, 7.5 plugin, 2 defaults (27 in all). */
const DEFAULT_REPEAT = { single: 3, scale: 1, cli: 3, stacks: 2, plugin: 3, defaults: 1 };

function fail(message) {
  const err = new Error(message);
  err.benchUsage = true;
  throw err;
}

function positiveInt(name, raw) {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 20) fail(`Expected \`${name}\` to be an integer from 1 to 20, got ${JSON.stringify(raw)}`);
  return n;
}

function packageRoot(name, raw) {
  const root = path.resolve(raw);
  let pkg;
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  } catch {
    pkg = undefined;
  }
  if (pkg?.name !== 'cen-flowlog' || !fs.existsSync(path.join(root, 'node_modules'))) {
    fail(`Expected \`${name}\` to be a cen-flowlog checkout with its dependencies installed, got ${root}: run \`npm ci\` there`);
  }
  return root;
}

/** Settings of one bench run; every variable is optional. Sections named on the command line (`node bench/run.js plugin`) win over BENCH_ONLY. */
function readOptions(env = process.env, argv = []) {
  const named = argv.length ? argv.join(',') : env.BENCH_ONLY;
  const only = named
    ? named
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : SECTIONS;
  // `report` alone: no measurement, only RESULTS.md written again from the stored results.
  const reportOnly = only.length === 1 && only[0] === 'report';
  if (!reportOnly) {
    for (const s of only)
      if (!SECTIONS.includes(s))
        fail(
          `Expected \`BENCH_ONLY\` (or the sections named on the command line) to list some of ${SECTIONS.join(', ')} (or be \`report\`), got ${JSON.stringify(s)}`,
        );
  }
  const root = packageRoot('BENCH_ROOT', env.BENCH_ROOT || REPO);
  const repeat = Object.fromEntries(
    SECTIONS.map((s) => [s, env.BENCH_REPEAT ? positiveInt('BENCH_REPEAT', env.BENCH_REPEAT) : DEFAULT_REPEAT[s]]),
  );
  // A smaller count only to try the `plugin` section out; its targets are stated for 100.
  const pluginCount = env.BENCH_PLUGIN_COUNT ? Number(env.BENCH_PLUGIN_COUNT) : 100;
  if (!Number.isInteger(pluginCount) || pluginCount < 1 || pluginCount > 500)
    fail(`Expected \`BENCH_PLUGIN_COUNT\` to be an integer from 1 to 500, got ${JSON.stringify(env.BENCH_PLUGIN_COUNT)}`);
  const capFactor = Number(env.BENCH_CAP_FACTOR ?? 4);
  if (!(capFactor >= 1 && capFactor <= 50))
    fail(`Expected \`BENCH_CAP_FACTOR\` to be a number from 1 to 50, got ${JSON.stringify(env.BENCH_CAP_FACTOR)}`);
  return {
    only: reportOnly ? [] : only,
    reportOnly,
    root,
    repeat,
    capFactor,
    pluginCount,
    /** Where the plugin section writes every command's request log (BENCH_REQUEST_LOG=<folder>), if anywhere. */
    requestLogDir: env.BENCH_REQUEST_LOG ? path.resolve(env.BENCH_REQUEST_LOG) : undefined,
    /** The emulator comes from the measured checkout unless told otherwise. */
    emulatorRoot: packageRoot('BENCH_EMULATOR_ROOT', env.BENCH_EMULATOR_ROOT || root),
    /** Also store this run as the "before (measured here)" column of later runs. */
    recordBaseline: env.BENCH_RECORD_BASELINE === '1',
    out: path.resolve(env.BENCH_OUT || path.join(REPO, 'bench', 'RESULTS.md')),
    /** The CLI of the @pulumi/pulumi the measured checkout pins (scripts/pulumi-versions.js reads it from its package.json). */
    pulumiRoot: env.PULUMI_CLI_ROOT || path.join(require('node:os').homedir(), '.pulumi', 'versions', pinned(root)),
  };
}

const delaysOf = (ms) => ({ createMs: ms, modifyMs: ms, deleteMs: ms, modifyAttributeMs: ms });

/** An emulator whose account allows `rate` req/s (burst as large), with transitions of `T` s and room for `flowLogs`. */
function accountEmulator(opts, { rate, T, topology, flowLogs }) {
  return startEmulatorProcess(opts.emulatorRoot, {
    ratePerSecond: rate,
    burst: rate,
    delays: delaysOf(T * 1000),
    topology,
    quota: flowLogs + 100,
  });
}

/** The emulator in its own process (the real service is not in ours either). Resolves with its address. */
function startEmulatorProcess(emulatorRoot, options) {
  const child = fork(path.join(__dirname, 'emulator-host.js'), [emulatorRoot, JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the emulator process exited with ${code} before it listened`)));
    child.once('message', (m) => {
      child.removeAllListeners('exit');
      if (m.error) return reject(new Error(`the emulator did not start: ${m.error}`));
      resolve({
        ...m,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** After the build: the compiled package must be there. */
function requireBuilt(root) {
  if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) fail(`${root} has no dist/index.js: run \`npm run build\` there`);
}

/** GET one admin resource of an emulator (loopback, unsigned). */
function admin(endpoint, what) {
  return new Promise((resolve, reject) => {
    http
      .get(`${endpoint}/__admin/${what}`, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`GET /__admin/${what}: ${res.statusCode} ${body.slice(0, 200)}`));
          try {
            resolve(JSON.parse(body));
          } catch (err) {
            reject(err);
          }
        });
      })
      .on('error', reject);
  });
}

/**
 * The request log reduced to what the tables report: requests by action
 * (throttled ones included), throttled and other error responses, and the
 * span from the first to the last request. The emulator keeps the last
 * 10,000 entries; `truncated` says when the log was longer.
 */
async function requestSummary(endpoint) {
  const body = await admin(endpoint, 'requests');
  const list = Array.isArray(body) ? body : body.requests;
  const byAction = {};
  const errors = {};
  let throttled = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const r of list) {
    byAction[r.action || '-'] = (byAction[r.action || '-'] ?? 0) + 1;
    if (r.code && /^Throttling/.test(r.code)) throttled++;
    else if (r.code) errors[r.code] = (errors[r.code] ?? 0) + 1;
    const t = Date.parse(r.time);
    first = Math.min(first, t);
    last = Math.max(last, t);
  }
  return {
    requests: list.length,
    byAction,
    throttled,
    errors,
    truncated: list.length >= 10000,
    spanSeconds: list.length ? (last - first) / 1000 : 0,
    firstAt: list.length ? first : undefined,
    lastAt: list.length ? last : undefined,
    accepted: await admin(endpoint, 'counts'),
  };
}

/** Runs a driver script in a child process; resolves with the one JSON object it prints last. Killed after `hardLimitMs`. */
function runDriver(script, job, hardLimitMs) {
  const child = fork(path.join(__dirname, script), [JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (c) => {
    out += c;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), hardLimitMs);
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .pop();
      if (line) return resolve(JSON.parse(line));
      reject(
        new Error(
          `${script} ended (${signal ?? code}) without a result${signal === 'SIGKILL' ? ` after the hard limit of ${hardLimitMs / 1000} s` : ''}`,
        ),
      );
    });
  });
}

const sorted = (xs) => [...xs].filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
function median(xs) {
  const s = sorted(xs);
  if (s.length === 0) return undefined;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const min = (xs) => sorted(xs)[0];
const max = (xs) => sorted(xs).at(-1);

const progress = (line) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** The last lines of the first two failed commands of a section's runs, as Markdown lines (none when all passed). */
function failedCommands(runs) {
  const failures = runs.filter((r) => r.failure);
  if (failures.length === 0) return [];
  return ['', 'Failed commands (last lines):', '', '```', ...failures.slice(0, 2).map((r) => `${r.kind} ${r.phase}:\n${r.failure}`), '```'];
}

module.exports = {
  requireBuilt,
  REPO,
  SECTIONS,
  readOptions,
  startEmulatorProcess,
  accountEmulator,
  delaysOf,
  admin,
  requestSummary,
  runDriver,
  median,
  min,
  max,
  progress,
  failedCommands,
};

/** POST to the admin endpoint (e.g. `reset-requests`). */
function adminPost(endpoint, what, body = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${endpoint}/__admin/${what}`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`POST /__admin/${what}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
module.exports.adminPost = adminPost;
