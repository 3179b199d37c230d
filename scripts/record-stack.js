#!/usr/bin/env node
'use strict';
/**
 * Records the stack test/e2e/upgrade.test.ts replays: runs the program of test/e2e/testdata/recorded-<version>/
 * with this checkout's build and the pinned CLI against an emulator that saves its state to a file, then writes
 * the exported checkpoint (`pulumi stack export`) and that emulator state next to the program.
 *
 *   npm run build && node scripts/record-stack.js [folder]     (default: recorded-<package.json version>)
 *
 * Record once per release and keep the old folders: each one is a stack some user may still have.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { LocalWorkspace, PulumiCommand } = require('@pulumi/pulumi/automation');
const { startEmulator } = require('cen-flowlog/emulator');
const { pinned } = require('./pulumi-versions');

const REPO = path.resolve(__dirname, '..');
const PASSPHRASE = 'cen-flowlog-e2e-throwaway';

async function main() {
  const version = require(path.join(REPO, 'package.json')).version;
  const dir = path.resolve(REPO, 'test', 'e2e', 'testdata', process.argv[2] ?? `recorded-${version}`);
  const { PROJECT, STACK, program } = require(path.join(dir, 'program.js'));
  const cliVersion = pinned();
  const cli = await PulumiCommand.get({ root: path.join(os.homedir(), '.pulumi', 'versions', cliVersion) });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-record-'));
  const stateFile = path.join(scratch, 'emulator-state.json');
  const emu = await startEmulator({ stateFile, delays: { createMs: 50, modifyMs: 50, deleteMs: 50 } });
  try {
    const envVars = {
      PATH: `${path.join(os.homedir(), '.pulumi', 'versions', cliVersion, 'bin')}${path.delimiter}${process.env.PATH}`,
      PULUMI_BACKEND_URL: `file://${scratch}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
      CEN_FLOWLOG_ENDPOINT: emu.endpoint,
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      ALIBABA_CLOUD_ACCESS_KEY_ID: emu.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: emu.accessKeySecret,
    };
    const workDir = fs.mkdtempSync(path.join(scratch, 'work-'));
    const stack = await LocalWorkspace.createOrSelectStack(
      { projectName: PROJECT, stackName: STACK, program: program() },
      { workDir, envVars, pulumiCommand: cli },
    );
    await stack.up();
    const deployment = await stack.exportStack();
    fs.writeFileSync(path.join(dir, 'checkpoint.json'), `${JSON.stringify(deployment, null, 2)}\n`);
    // The flow logs are what the stack needs; the idempotency tokens of the recording run are not.
    const state = { ...JSON.parse(fs.readFileSync(stateFile, 'utf8')), clientTokens: [] };
    fs.writeFileSync(path.join(dir, 'emulator-state.json'), `${JSON.stringify(state, null, 2)}\n`);
    fs.writeFileSync(
      path.join(dir, 'recorded-with.json'),
      `${JSON.stringify({ 'cen-flowlog': version, pulumiCli: cliVersion, '@pulumi/pulumi': require('@pulumi/pulumi/package.json').version }, null, 2)}\n`,
    );
    console.log(`recorded ${state.flowLogs.length} flow logs into ${path.relative(REPO, dir)}`);
  } finally {
    await emu.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`record-stack: ${err.stack ?? err}`);
  process.exit(1);
});
