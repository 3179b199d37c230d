#!/usr/bin/env node
/**
 * `npm run demo [-- preview|up|refresh|destroy|config <args>]`: the top-level Pulumi project
 * (examples/demo) against the local CEN emulator, with nothing to log in to.
 *
 * - builds dist/ when it is missing or older than src/, gets the Pulumi CLI
 *   (scripts/get-pulumi.sh; quick when it is already installed);
 * - starts the emulator with realistic delays and its state in
 *   .demo/emulator-state.json, so flow logs survive between runs;
 * - uses a file backend in .demo/pulumi-state and the throwaway passphrase
 *   below (never use it for a real stack), stack `dev`, named on every command
 *   (another tool, e.g. the e2e tests, may change this folder's selected stack);
 * - runs the subcommand (default `up`: a preview, then the update), prints the
 *   flow logs the emulator holds, stops the emulator, and says what to try next.
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DEMO_DIR = path.join(ROOT, '.demo');
const STACK = 'dev';
/** Throwaway: it only encrypts the demo stack's secrets in .demo/pulumi-state. */
const DEMO_PASSPHRASE = 'cen-flowlog-demo-not-a-secret';
const CLI_BIN = path.join(
  process.env.PULUMI_CLI_ROOT || path.join(os.homedir(), '.pulumi', 'versions', require('@pulumi/pulumi/package.json').version),
  'bin',
);
const COMMANDS = ['up', 'preview', 'refresh', 'destroy', 'config'];

class DemoError extends Error {}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function run(cmd, args, env, what) {
  console.log(`\n$ ${[cmd, ...args].join(' ')}`);
  const result = spawnSync(cmd, args, { cwd: ROOT, env, stdio: 'inherit' });
  if (result.error) throw new DemoError(`${what}: could not run ${cmd}: ${result.error.message}`);
  if (result.status !== 0) throw new DemoError(`${what} failed (exit code ${result.status}); see the output above.`);
}

function ensureBuilt() {
  const built = path.join(ROOT, 'dist', 'index.js');
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestMtime(path.join(ROOT, 'src'))) {
    // A fresh `npm ci` removes the self-link the build made; the project needs `require('cen-flowlog')`.
    run(process.execPath, [path.join(ROOT, 'scripts', 'link-self.js')], process.env, 'Linking the package into node_modules');
    return;
  }
  run('npm', ['run', 'build'], process.env, 'Building the package (npm run build)');
}

function ensureCli() {
  run('bash', [path.join(ROOT, 'scripts', 'get-pulumi.sh')], process.env, 'Getting the Pulumi CLI (scripts/get-pulumi.sh)');
  if (!fs.existsSync(path.join(CLI_BIN, 'pulumi'))) {
    throw new DemoError(
      `scripts/get-pulumi.sh succeeded but ${CLI_BIN}/pulumi is missing; set PULUMI_CLI_ROOT to where it installed the CLI.`,
    );
  }
}

/** Starts dist/emulator/cli.js on a free port; resolves with its endpoint once it listens. */
function startEmulator() {
  fs.mkdirSync(DEMO_DIR, { recursive: true });
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'dist', 'emulator', 'cli.js'),
      '--port',
      '0',
      '--state-file',
      path.join(DEMO_DIR, 'emulator-state.json'),
      '--create-delay-ms',
      '3000',
      '--modify-delay-ms',
      '2000',
      '--delete-delay-ms',
      '2000',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new DemoError(`The emulator exited (code ${code}) before it listened:\n${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (!match) return;
      child.removeAllListeners('exit');
      child.stdout.resume();
      resolve({ child, endpoint: match[1] });
    });
  });
}

function stopEmulator(emu) {
  if (!emu || emu.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    emu.child.once('exit', () => resolve());
    emu.child.kill('SIGTERM');
  });
}

function pulumiEnv(endpoint) {
  fs.mkdirSync(path.join(DEMO_DIR, 'pulumi-state'), { recursive: true });
  const env = { ...process.env };
  delete env.PULUMI_ACCESS_TOKEN;
  return Object.assign(env, {
    PATH: `${CLI_BIN}${path.delimiter}${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${path.join(DEMO_DIR, 'pulumi-state')}`,
    PULUMI_CONFIG_PASSPHRASE: DEMO_PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    CEN_FLOWLOG_ENDPOINT: endpoint,
    ALIBABA_CLOUD_ACCESS_KEY_ID: 'emulator-access-key-id',
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'emulator-access-key-secret',
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
  });
}

async function printFlowLogs(endpoint) {
  const res = await fetch(`${endpoint}/__admin/state`);
  const { flowLogs } = await res.json();
  console.log(`\nFlow logs in the emulator (${flowLogs.length}):`);
  for (const fl of flowLogs) {
    const scope = fl.TransitRouterAttachmentId ? `attachment ${fl.TransitRouterAttachmentId}` : `transit router ${fl.TransitRouterId}`;
    console.log(
      `  ${fl.FlowLogId}  ${fl.Status.padEnd(8)} ${JSON.stringify(fl.FlowLogName ?? '')} on ${scope}, every ${fl.Interval}s -> ${fl.ProjectName}/${fl.LogStoreName}`,
    );
  }
}

function nextSteps(command) {
  const lines =
    command === 'destroy'
      ? ['The flow logs are gone. `npm run demo` creates them again.']
      : [
          'Try a change (stack config of the demo stack, or edit examples/demo/index.ts):',
          '  npm run demo -- config set flowLogName core-transit-router   # updates in place (same id)',
          '  npm run demo -- config set interval 600                      # updates both in place',
          '  npm run demo -- config set vpcStatus Inactive                # deactivates the VPC flow log',
          '  npm run demo -- config set projectName cen-flowlog-demo-2    # replaces both flow logs',
          'then:',
          '  npm run demo                # previews the change, then applies it',
          '  npm run demo -- preview     # only the preview',
          '  npm run demo -- refresh     # compare the state with the emulator',
          '  npm run demo -- destroy     # delete the flow logs',
        ];
  console.log(`\n${lines.join('\n')}`);
}

async function main() {
  const command = process.argv[2] ?? 'up';
  if (!COMMANDS.includes(command)) throw new DemoError(`Unknown command "${command}"; expected one of ${COMMANDS.join(', ')}.`);
  ensureBuilt();
  ensureCli();
  if (command === 'config') {
    // `npm run demo -- config set flowLogName core`: the demo stack's config, no emulator needed.
    const env = pulumiEnv('http://127.0.0.1:1');
    run('pulumi', ['stack', 'select', '--create', STACK], env, 'Selecting the stack');
    run('pulumi', ['config', '--stack', STACK, ...process.argv.slice(3)], env, 'pulumi config');
    console.log('\nNow `npm run demo` previews the change and applies it.');
    return;
  }
  let emu;
  const stop = () => {
    void stopEmulator(emu).then(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  try {
    emu = await startEmulator();
    console.log(`\nEmulator: ${emu.endpoint} (state in .demo/emulator-state.json); Pulumi backend: .demo/pulumi-state, stack "${STACK}"`);
    const env = pulumiEnv(emu.endpoint);
    run('pulumi', ['stack', 'select', '--create', STACK], env, 'Selecting the stack');
    if (command === 'up' || command === 'preview') run('pulumi', ['preview', '--stack', STACK], env, 'The preview');
    if (command === 'up') run('pulumi', ['up', '--stack', STACK, '--yes', '--skip-preview'], env, 'The update');
    if (command === 'refresh') run('pulumi', ['refresh', '--stack', STACK, '--yes'], env, 'The refresh');
    if (command === 'destroy') run('pulumi', ['destroy', '--stack', STACK, '--yes'], env, 'The destroy');
    await printFlowLogs(emu.endpoint);
  } finally {
    await stopEmulator(emu);
  }
  nextSteps(command);
}

main().catch((err) => {
  console.error(`\nnpm run demo: ${err instanceof DemoError ? err.message : err.stack}`);
  process.exit(1);
});
