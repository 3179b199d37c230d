/**
 * Stacks outlive versions: a stack recorded with an earlier release (test/e2e/testdata/recorded-<version>/: the
 * exported checkpoint, the emulator state that goes with it, and the program) is imported into a fresh backend and
 * driven by this checkout. The provider text stored in that state is the old shim, which loads the implementation
 * from the installed package by name: if the shim's contract (`providerImplementation()` and its methods) or the
 * shape of the stored inputs and outputs changed incompatibly, the preview below shows changes or fails.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Deployment, LocalWorkspace, PulumiFn, Stack } from '@pulumi/pulumi/automation';
import { EMULATOR_IDS, Emulator, startEmulator } from 'cen-flowlog/emulator';
import { FLOWLOG_TYPE, ROOT, Steps, checkpointFlowLogs, cliEnv, pulumiCli, writeCalls } from './harness';

jest.setTimeout(180_000);

const TESTDATA = path.join(__dirname, 'testdata');
/** Every recorded stack: one per earlier release (test/e2e/testdata/README.md says how to record one). */
const RECORDINGS = fs
  .readdirSync(TESTDATA)
  .filter((d) => d.startsWith('recorded-'))
  .sort();

interface Recording {
  PROJECT: string;
  STACK: string;
  program(attachmentChanges?: Record<string, unknown>): PulumiFn;
}

it('has a recorded stack to replay', () => {
  expect(RECORDINGS).toContain('recorded-0.1.0');
});

describe.each(RECORDINGS)('the stack of %s', (folder) => {
  const RECORDED = path.join(TESTDATA, folder);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const recorded = require(path.join(RECORDED, 'program.js')) as Recording;
  const checkpoint = JSON.parse(fs.readFileSync(path.join(RECORDED, 'checkpoint.json'), 'utf8')) as Deployment;
  const recordedIds: Record<string, string> = Object.fromEntries(
    (checkpoint.deployment.resources as Array<{ type: string; urn: string; id: string }>)
      .filter((r) => r.type === FLOWLOG_TYPE)
      .map((r) => [r.urn.split('::').pop()!, r.id]),
  );
  let emu: Emulator;
  let scratch: string;
  let stack: Stack;
  let attachmentChanges: Record<string, unknown> = {};

  beforeAll(async () => {
    const cli = await pulumiCli();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-e2e-upgrade-'));
    // The emulator loads the flow logs the stack was recorded against, from a copy (it rewrites its file).
    const stateFile = path.join(scratch, 'emulator-state.json');
    fs.copyFileSync(path.join(RECORDED, 'emulator-state.json'), stateFile);
    emu = await startEmulator({ stateFile, delays: { createMs: 300, modifyMs: 200, deleteMs: 200 } });
    const backendDir = fs.mkdtempSync(path.join(scratch, 'backend-'));
    const workDir = fs.mkdtempSync(path.join(scratch, 'work-'));
    if (path.relative(ROOT, process.cwd()).startsWith('..')) throw new Error(`Run the e2e tests from the repository (${ROOT})`);
    const program: PulumiFn = () => recorded.program(attachmentChanges)();
    stack = await LocalWorkspace.createOrSelectStack(
      { projectName: recorded.PROJECT, stackName: recorded.STACK, program },
      { workDir, envVars: cliEnv(emu, backendDir), pulumiCommand: cli },
    );
    await stack.importStack(checkpoint);
  });

  afterAll(async () => {
    await emu?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('starts from the recorded flow logs: a whole transit router, an attachment, an Inactive one', () => {
    expect(Object.keys(recordedIds).sort()).toEqual(['attachment', 'inactive', 'router']);
    const byId = new Map(emu.flowLogs().map((f) => [f.FlowLogId, f]));
    expect(byId.get(recordedIds.router!)).toMatchObject({ TransitRouterId: EMULATOR_IDS.transitRouterId, Status: 'Active' });
    expect(byId.get(recordedIds.router!)?.TransitRouterAttachmentId).toBeUndefined();
    expect(byId.get(recordedIds.attachment!)).toMatchObject({ TransitRouterAttachmentId: EMULATOR_IDS.vpcAttachmentId, Status: 'Active' });
    expect(byId.get(recordedIds.inactive!)).toMatchObject({ Status: 'Inactive' });
  });

  it('previews with no change and no write call', async () => {
    emu.resetRequestLog();
    const steps = new Steps();
    const result = await stack.preview({ onEvent: steps.onEvent });
    expect(steps.errors()).toBe('');
    for (const name of Object.keys(recordedIds)) expect(steps.of(name)).toEqual(['same']);
    expect(Object.keys(result.changeSummary).filter((op) => op !== 'same')).toEqual([]);
    expect(writeCalls(emu)).toEqual([]);
  });

  it('updates a field in place: one ModifyFlowLogAttribute on the recorded flow log, same id', async () => {
    attachmentChanges = { description: 'changed after the upgrade' };
    emu.resetRequestLog();
    const steps = new Steps();
    const result = await stack.up({ onEvent: steps.onEvent });
    expect(steps.errors()).toBe('');
    expect(steps.of('attachment')).toEqual(['update']);
    expect(steps.of('router')).toEqual(['same']);
    expect(steps.of('inactive')).toEqual(['same']);
    expect(result.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(writeCalls(emu)).toEqual(['ModifyFlowLogAttribute']);
    expect(emu.requests().find((r) => r.action === 'ModifyFlowLogAttribute')?.flowLogId).toBe(recordedIds.attachment);
    expect(emu.flowLogs().find((f) => f.FlowLogId === recordedIds.attachment)?.Description).toBe('changed after the upgrade');
    const ids = Object.fromEntries((await checkpointFlowLogs(stack)).map((r) => [r.outputs.flowLogName, r.id]));
    expect(ids).toEqual({ 'whole-router': recordedIds.router, 'one-vpc': recordedIds.attachment, paused: recordedIds.inactive });
  });

  it('destroys every recorded flow log', async () => {
    await stack.destroy();
    expect(emu.flowLogs()).toEqual([]);
    expect(await checkpointFlowLogs(stack)).toEqual([]);
  });
});
