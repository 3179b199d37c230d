'use strict';
/**
 * The real Pulumi CLI against the emulator, offline: a file backend and a project folder in a
 * temp dir, the project's node_modules linked to the measured checkout's (so the program and
 * the dynamic-provider plugin, started in the project folder, load `cen-flowlog` from it).
 * The program makes `count` flow logs through the dynamic resource (kind `flowlog`), through the
 * provider plugin `pulumi-resource-cen-flowlog` of the measured checkout (kind `plugin`, named in
 * Pulumi.yaml `plugins.providers`), as many no-op dynamic resources of the same shape whose
 * create, update and delete sleep T and call nothing (kind `noop`: the engine's floor), or as
 * many ideal dynamic resources (kind `ideal`, IDEAL below): the service's unavoidable cost and
 * nothing more.
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PASSPHRASE = 'cen-flowlog-bench-throwaway';

const PROGRAM = `'use strict';
const pulumi = require('@pulumi/pulumi');
const cfg = new pulumi.Config('bench');
const suffix = cfg.get('suffix') || 'a';
const activationMs = Number(cfg.require('activationMs'));
const targets = require('./targets.json');
const account = { rate: Number(cfg.require('rate')), burst: Number(cfg.require('burst')) };
// Required at run time by the provider's functions (an absolute path: the serialized closure carries the string).
const idealModule = require('node:path').join(__dirname, 'ideal.js');

const noopProvider = {
  async check(_olds, news) { return { inputs: news }; },
  async diff(_id, olds, news) { return { changes: olds.flowLogName !== news.flowLogName }; },
  async create(inputs) {
    await new Promise((r) => setTimeout(r, activationMs));
    return { id: 'noop-' + inputs.transitRouterAttachmentId, outs: inputs };
  },
  async read(id, props) { return { id, props }; },
  async update(_id, _olds, news) {
    await new Promise((r) => setTimeout(r, activationMs));
    return { outs: news };
  },
  async delete() { await new Promise((r) => setTimeout(r, activationMs)); },
};

const idealProvider = {
  async check(_olds, news) { return { inputs: news }; },
  async diff(_id, olds, news) { return { changes: olds.flowLogName !== news.flowLogName }; },
  async create(inputs) { return require(idealModule).create(inputs, account, activationMs); },
  async read(id, props) { return { id, props }; },
  async update(id, _olds, news) { return require(idealModule).update(id, news, account, activationMs); },
  async delete(id, props) { return require(idealModule).remove(id, props, account, activationMs); },
};

// With a barrier folder, every stack started together registers its resources at one moment:
// it says it is ready, then waits for the bench's "go" (engine start-up stays out of the measurement).
async function barrier(dir) {
  if (!dir) return;
  const fs = require('node:fs');
  const path = require('node:path');
  fs.writeFileSync(path.join(dir, 'ready-' + pulumi.getStack()), '');
  const until = Date.now() + 180000;
  while (!fs.existsSync(path.join(dir, 'go')) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

module.exports = barrier(cfg.get('barrier')).then(() => {
  targets.forEach((t, i) => {
    const args = { ...t, flowLogName: 'bench-' + i + '-' + suffix };
    if (cfg.require('kind') === 'flowlog') {
      const { CenFlowlog } = require('cen-flowlog');
      new CenFlowlog('fl-' + i, args);
    } else if (cfg.require('kind') === 'plugin') {
      // The provider plugin, declared as any language does without a generated SDK.
      new pulumi.CustomResource('cen-flowlog:index:Flowlog', 'fl-' + i, args);
    } else if (cfg.require('kind') === 'ideal') {
      new pulumi.dynamic.Resource(idealProvider, 'ideal-' + i, args, undefined, 'bench', 'Ideal');
    } else {
      new pulumi.dynamic.Resource(noopProvider, 'noop-' + i, args, undefined, 'bench', 'Noop');
    }
  });
});
`;

/**
 * The ideal provider's cost, in its own module so that one token bucket serves every resource of
 * a provider process: the engine's dynamic-provider host deserializes the provider's functions per
 * resource, and each copy requires this file, which Node loads once per process. Per write: one
 * token of the account's rate and burst (first come, first served), then the one real request (its
 * round trip is part of the unavoidable cost; its answer is not checked and never retried: the
 * ideal has no status query and no retry), then exactly T.
 */
const IDEAL = `'use strict';
const fs = require('node:fs');
const path = require('node:path');

// The measured checkout's client (older checkouts keep it elsewhere); one HTTP request per call, no retry of its own.
// Loaded at the first write, so that the bucket alone can be required without a built checkout.
let api;
function client() {
  if (api) return api;
  const dist = path.join(fs.realpathSync(path.join(__dirname, 'node_modules', 'cen-flowlog')), 'dist');
  const file = ['transport/client.js', 'api/client.js', 'client.js'].map((p) => path.join(dist, p)).find((p) => fs.existsSync(p));
  api = require(file).createCenClient({
    endpoint: process.env.CEN_FLOWLOG_ENDPOINT,
    credential: {
      getCredential: async () => ({
        accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID,
        accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
      }),
    },
  });
  return api;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let tokens;
let at;
/** Reserves the next token (the balance may go below zero: later callers wait behind earlier ones). */
function take({ rate, burst }) {
  const now = performance.now();
  if (tokens === undefined) [tokens, at] = [burst, now];
  tokens = Math.min(burst, tokens + ((now - at) / 1000) * rate) - 1;
  at = now;
  return sleep(tokens >= 0 ? 0 : (-tokens / rate) * 1000);
}
const write = (call) => call(client()).catch((err) => ({ error: err.code ?? String(err.message) }));

exports.take = take;
exports.create = async (inputs, account, activationMs) => {
  await take(account);
  const r = await write((api) =>
    api.createFlowlog({
      RegionId: inputs.regionId,
      CenId: inputs.cenId,
      TransitRouterId: inputs.transitRouterId,
      TransitRouterAttachmentId: inputs.transitRouterAttachmentId,
      ProjectName: inputs.projectName,
      LogStoreName: inputs.logStoreName,
      FlowLogName: inputs.flowLogName,
    }),
  );
  await sleep(activationMs);
  return { id: r.flowLogId ?? 'ideal-' + inputs.transitRouterAttachmentId, outs: inputs };
};
exports.update = async (id, news, account, activationMs) => {
  await take(account);
  await write((api) => api.modifyFlowLogAttribute({ RegionId: news.regionId, CenId: news.cenId, FlowLogId: id, FlowLogName: news.flowLogName }));
  await sleep(activationMs);
  return { outs: news };
};
exports.remove = async (id, props, account, activationMs) => {
  await take(account);
  await write((api) => api.deleteFlowlog({ RegionId: props.regionId, CenId: props.cenId, FlowLogId: id }));
  await sleep(activationMs);
};
`;

/** The CLI's folder, or an error that says how to get it. */
function pulumiBin(pulumiRoot) {
  const bin = path.join(pulumiRoot, 'bin');
  const missing = ['pulumi', 'pulumi-language-nodejs', 'pulumi-resource-pulumi-nodejs'].filter((b) => !fs.existsSync(path.join(bin, b)));
  if (missing.length)
    throw new Error(`The CLI benches need ${missing.join(', ')} in ${bin}: run \`bash scripts/get-pulumi.sh\` (or set PULUMI_CLI_ROOT)`);
  return bin;
}

function cliVersion(pulumiRoot) {
  try {
    return execFileSync(path.join(pulumiRoot, 'bin', 'pulumi'), ['version'], {
      encoding: 'utf8',
      env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true' },
    }).trim();
  } catch {
    return 'not available';
  }
}

/**
 * The environment of every CLI command the bench runs: offline, a throwaway backend and PULUMI_HOME under `dir`, the
 * emulator's endpoint and key, and no rate told to the provider.
 */
function cliEnv(bin, dir, emu) {
  const env = {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    PULUMI_BACKEND_URL: `file://${path.join(dir, 'backend')}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_HOME: path.join(dir, 'pulumi-home'),
    CEN_FLOWLOG_ENDPOINT: emu.endpoint,
    ALIBABA_CLOUD_ACCESS_KEY_ID: emu.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: emu.accessKeySecret,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
  };
  delete env.CEN_FLOWLOG_REQUESTS_PER_SECOND;
  return env;
}

/**
 * One stack in its own project folder and file backend. `run(args)` runs one pulumi command
 * and resolves with its wall time and exit code (the output goes to a log file in the folder).
 */
async function makeStack({
  root,
  pulumiRoot,
  emu,
  name,
  kind,
  targets,
  activationMs,
  rate = 20,
  burst = rate,
  barrier,
  env: extraEnv = {},
}) {
  const bin = pulumiBin(pulumiRoot);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cen-flowlog-bench-${name}-`));
  const project = path.join(dir, 'project');
  const backend = path.join(dir, 'backend');
  fs.mkdirSync(project);
  fs.mkdirSync(backend);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  fs.writeFileSync(
    path.join(project, 'Pulumi.yaml'),
    'name: bench\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n' +
      (kind === 'plugin' ? `plugins:\n  providers:\n    - name: cen-flowlog\n      path: ${JSON.stringify(path.join(root, 'bin'))}\n` : ''),
  );
  fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "bench", "private": true, "main": "index.js" }\n');
  fs.writeFileSync(path.join(project, 'index.js'), PROGRAM);
  fs.writeFileSync(path.join(project, 'targets.json'), JSON.stringify(targets));
  fs.writeFileSync(path.join(project, 'ideal.js'), IDEAL);
  const env = { ...cliEnv(bin, dir, emu), ...extraEnv };
  const logFile = path.join(dir, 'pulumi.log');
  /** `onSpawn(child)`: called with the CLI's process as soon as it runs (e.g. to watch its children). */
  const run = (args, { onSpawn } = {}) =>
    new Promise((resolve) => {
      const out = fs.openSync(logFile, 'a');
      fs.writeSync(out, `\n$ pulumi ${args.join(' ')}\n`);
      const t0 = performance.now();
      const child = spawn(path.join(bin, 'pulumi'), [...args, '--stack', name, '--non-interactive'], {
        cwd: project,
        env,
        stdio: ['ignore', out, out],
      });
      onSpawn?.(child);
      child.on('exit', (code) => {
        fs.closeSync(out);
        resolve({ seconds: (performance.now() - t0) / 1000, code });
      });
    });
  const setConfig = (suffix) => {
    const file = path.join(project, `Pulumi.${name}.yaml`);
    const salt = fs.existsSync(file) ? (fs.readFileSync(file, 'utf8').match(/^encryptionsalt:.*$/m) ?? [''])[0] : '';
    fs.writeFileSync(
      file,
      `${salt}\nconfig:\n  bench:kind: ${kind}\n  bench:suffix: ${suffix}\n  bench:activationMs: "${activationMs}"\n` +
        `  bench:rate: "${rate}"\n  bench:burst: "${burst}"\n` +
        (barrier ? `  bench:barrier: ${JSON.stringify(barrier)}\n` : ''),
    );
  };
  const init = await run(['stack', 'init']);
  if (init.code !== 0) throw new Error(`pulumi stack init failed: ${tail(logFile)}`);
  setConfig('a');
  return {
    run,
    setConfig,
    logTail: () => tail(logFile),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

function tail(file, lines = 15) {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

module.exports = { makeStack, pulumiBin, cliVersion, cliEnv, IDEAL };
