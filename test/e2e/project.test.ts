/**
 * The top-level Pulumi.yaml (program examples/demo) through the real CLI, the
 * real Node.js language host and the real dynamic-provider plugin: preview,
 * up, an update in place previewed by the pull-request job (examples/automation/pr-preview.js), the checkpoint,
 * destroy. Credentials come from the
 * stack config (the secret as a secret), as a user targeting Alibaba Cloud sets them.
 */
import { LocalWorkspace, Stack } from '@pulumi/pulumi/automation';
import {
  CLI_ROOT,
  E2eContext,
  ROOT,
  Steps,
  checkpointFlowLogs,
  readCheckpointFile,
  removeStack,
  stackName,
  startContext,
  writeCalls,
} from './harness';

const SIZE_BOUND = 4096;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { previewForPullRequest } = require('../../examples/automation/pr-preview.js') as {
  previewForPullRequest(o: {
    workDir: string;
    stackName: string;
    envVars: Record<string, string>;
    pulumiRoot: string;
  }): Promise<{ ok: boolean; markdown: string; changeSummary: Record<string, number> }>;
};

jest.setTimeout(180_000);

describe('the bundled project (examples/demo) through the language host', () => {
  let ctx: E2eContext;
  let stack: Stack;

  beforeAll(async () => {
    ctx = await startContext();
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName: stackName('project'), workDir: ROOT },
      { envVars: ctx.env(false), pulumiCommand: ctx.cli },
    );
    await stack.setAllConfig({
      'alicloud:accessKey': { value: ctx.emu.accessKeyId },
      'alicloud:secretKey': { value: ctx.emu.accessKeySecret, secret: true },
      'alicloud:region': { value: 'cn-hangzhou' },
    });
  });

  const prJob = () => ({ workDir: ROOT, stackName: stack.name, envVars: ctx.env(false), pulumiRoot: CLI_ROOT });

  afterAll(async () => {
    if (stack) removeStack(stack);
    await ctx?.close();
  });

  it('previews two creates and makes no write call', async () => {
    ctx.emu.resetRequestLog();
    const steps = new Steps();
    const preview = await stack.preview({ onEvent: steps.onEvent });
    expect(preview.changeSummary).toMatchObject({ create: 3 });
    expect(steps.of('transit-router')).toEqual(['create']);
    expect(steps.of('vpc-attachment')).toEqual(['create']);
    expect(writeCalls(ctx.emu)).toEqual([]);
    expect(ctx.emu.flowLogs()).toEqual([]);
  });

  it('creates both flow logs, waits until Active, and exports their ids', async () => {
    const up = await stack.up();
    expect(up.summary.result).toBe('succeeded');
    const flowLogs = ctx.emu.flowLogs();
    expect(flowLogs).toHaveLength(2);
    expect(flowLogs.every((f) => f.Status === 'Active')).toBe(true);
    const ids = flowLogs.map((f) => f.FlowLogId).sort();
    expect([up.outputs.transitRouterFlowLogId.value, up.outputs.vpcFlowLogId.value].sort()).toEqual(ids);
    expect(up.outputs.flowLogs.value).toMatchObject({
      transitRouter: { status: 'Active', interval: 60, name: 'hangzhou-transit-router' },
      vpcAttachment: { status: 'Active', interval: 60, name: 'production-vpc' },
    });
    const vpc = flowLogs.find((f) => f.TransitRouterAttachmentId === 'tr-attach-emuvpc0000001');
    expect(vpc?.LogFormatString).toBe(
      '${srcaddr}${dstaddr}${bytes}${packets}${srcport}${dstport}${protocol}${start}${end}${action}${tcp-flags}',
    );
  });

  // The pull-request preview job a user copies (examples/automation/pr-preview.js) previews this project's changes.
  it('the pull-request preview job summarises a rename as an update in place and writes nothing; up applies it', async () => {
    const before = (await stack.outputs()).transitRouterFlowLogId.value;
    await stack.setConfig('flowLogName', { value: 'core-transit-router' });
    ctx.emu.resetRequestLog();
    const job = await previewForPullRequest(prJob());
    expect(job.ok).toBe(true);
    expect(job.markdown).toContain('| `transit-router` | `~ update (flowLogName)` |');
    expect(job.markdown).toContain('| `vpc-attachment` | `  same` |');
    expect(job.changeSummary).toMatchObject({ update: 1 });
    expect(writeCalls(ctx.emu)).toEqual([]);
    const up = await stack.up();
    expect(up.outputs.transitRouterFlowLogId.value).toBe(before);
    expect(ctx.emu.flowLogs().find((f) => f.FlowLogId === before)?.FlowLogName).toBe('core-transit-router');
  });

  it('the pull-request preview job fails on an invalid input, naming the field, and writes nothing', async () => {
    await stack.setConfig('interval', { value: '30' });
    ctx.emu.resetRequestLog();
    const bad = await previewForPullRequest(prJob());
    expect(bad.ok).toBe(false);
    expect(bad.markdown).toMatch(/interval.*must be 60 or 600/);
    expect(writeCalls(ctx.emu)).toEqual([]);
    await stack.removeConfig('interval');
  });

  it('keeps no secret in the checkpoint and a small provider per resource', async () => {
    // The file the backend wrote, not `pulumi stack export` (which decrypts secrets).
    const text = readCheckpointFile(ctx, stack.name);
    expect(text).toContain('"urn:pulumi:'); // it is the checkpoint
    expect(text).not.toContain(ctx.emu.accessKeySecret);
    expect(text).not.toMatch(/securityToken|accessKeySecret/);
    const resources = await checkpointFlowLogs(stack);
    // Not even encrypted: the flow logs' own inputs and outputs hold no credential at all.
    expect(JSON.stringify(resources)).not.toMatch(/emulator-access-key|secretKey|accessKey/);
    expect(resources).toHaveLength(2);
    for (const r of resources) {
      const provider = r.outputs.__provider as string;
      expect(typeof provider).toBe('string');
      expect(Buffer.byteLength(provider)).toBeLessThan(SIZE_BOUND);
      expect(provider).not.toMatch(/\/work\/|node_modules/);
    }
  });

  it('destroys every flow log', async () => {
    const destroy = await stack.destroy();
    expect(destroy.summary.result).toBe('succeeded');
    expect(ctx.emu.flowLogs()).toEqual([]);
  });
});
