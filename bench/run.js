#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: the scale benchmarks of issue 7, the plugin's of issue 16 and the ideal provider of issue 20 against the emulator on 127.0.0.1,
 * written to bench/RESULTS.md (raw data in bench/results.json). Sections: single, scale, cli, stacks, plugin, defaults.
 *
 *   node bench/run.js plugin  run only the sections named (as BENCH_ONLY does)
 *   BENCH_ONLY=single,scale   run only these sections (the others keep their last results); `report`: only rewrite RESULTS.md
 *   BENCH_REPEAT=3            repetitions of every selected section (defaults: single 3, scale 1, cli 1, stacks 2, plugin 3, defaults 1)
 *   BENCH_PLUGIN_COUNT=5      flow logs per command in the plugin section (default 100; for a quick trial)
 *   BENCH_ROOT=/tmp/cen-before          the built checkout to measure (default: this repository)
 *   BENCH_EMULATOR_ROOT=...             the checkout whose emulator to run (default: BENCH_ROOT)
 *   BENCH_RECORD_BASELINE=1             also store the results as the "before (measured here)" column
 *   BENCH_CAP_FACTOR=4                  stop a scale run at max(60 s, factor × its bound)
 *   BENCH_OUT=path                      where to write the Markdown (default bench/RESULTS.md)
 *   BENCH_NO_BUILD=1                    skip `npm run build` in the measured checkout
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO, readOptions, requireBuilt, progress } = require('./lib/env');
const sections = require('./lib/sections');
const { cliVersion } = require('./lib/pulumi');
const { render } = require('./lib/report');
const { writeCharts, withCharts } = require('./lib/charts');

const RESULTS = path.join(__dirname, 'results.json');
const BASELINE = path.join(__dirname, 'baseline.json');

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return { sections: {} };
  }
}

function writeJson(file, value) {
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, 1)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

function rootLabel(root) {
  const git = (...args) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const dirty = git('status', '--porcelain', '--', 'src').length > 0;
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted src/ changes' : ''}${root === REPO ? '' : ` (${root})`}`;
  } catch {
    return root;
  }
}

async function main() {
  const opts = readOptions(process.env, process.argv.slice(2));
  const machine = {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    pulumi: `Pulumi CLI ${cliVersion(opts.pulumiRoot)}`,
  };
  const root = { path: opts.root, label: rootLabel(opts.root), emulator: opts.emulatorRoot, emulatorLabel: rootLabel(opts.emulatorRoot) };
  const results = readJson(RESULTS);
  const baseline = readJson(BASELINE);
  const write = () =>
    fs.writeFileSync(
      opts.out,
      withCharts(
        render(results, Object.keys(baseline.sections).length ? baseline : undefined),
        writeCharts(results, path.dirname(opts.out)),
      ),
    );
  if (opts.reportOnly) {
    write();
    return progress(`${path.relative(REPO, opts.out)} written from bench/results.json`);
  }
  if (process.env.BENCH_NO_BUILD !== '1' && opts.only.length) {
    progress(`building ${opts.root} (npm run build)`);
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: opts.root, stdio: 'inherit' });
  }
  requireBuilt(opts.root);
  requireBuilt(opts.emulatorRoot);
  progress(`measuring ${root.label}; sections ${opts.only.join(', ')}; results to ${path.relative(REPO, opts.out)}`);
  for (const name of opts.only) {
    const started = Date.now();
    const loadBefore = os.loadavg()[0].toFixed(2);
    const data = await sections[name](opts);
    const meta = {
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      machine,
      root,
      repeat: opts.repeat[name],
      capFactor: opts.capFactor,
      loadBefore,
      loadAfter: os.loadavg()[0].toFixed(2),
      minutes: Number(((Date.now() - started) / 60000).toFixed(1)),
    };
    results.sections[name] = { meta, data };
    writeJson(RESULTS, results);
    if (opts.recordBaseline) {
      baseline.sections[name] = { meta, data };
      writeJson(BASELINE, baseline);
    }
    write();
    progress(`${name}: done in ${meta.minutes} min; ${path.relative(REPO, opts.out)} updated`);
  }
}

main().catch((err) => {
  console.error(err.benchUsage ? `bench: ${err.message}` : err);
  process.exit(1);
});
