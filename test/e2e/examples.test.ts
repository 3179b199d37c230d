/**
 * The adoption example a user copies (examples/adopt, through the language host). The pull-request preview
 * job (examples/automation/pr-preview.js) is run on the bundled project's stack in project.test.ts.
 */
import { asEngine } from '../fixtures/engine';
import * as path from 'node:path';
import { LocalWorkspace } from '@pulumi/pulumi/automation';
import { FlowlogProvider } from 'cen-flowlog';
import { EMULATOR_IDS } from 'cen-flowlog/emulator';
import { E2eContext, ROOT, stackName, useSuiteContext, writeCalls } from './harness';

jest.setTimeout(180_000);

describe('examples', () => {
  let ctx: E2eContext;
  const stacks = useSuiteContext((c) => {
    ctx = c;
  });

  it('examples/adopt takes over a flow log made outside Pulumi, and destroy deletes it', async () => {
    const outOfBand = asEngine(new FlowlogProvider({ env: { CEN_FLOWLOG_ENDPOINT: ctx.emu.endpoint }, log: () => undefined }));
    const keys: Record<string, string> = { 'alicloud:accessKey': ctx.emu.accessKeyId, 'alicloud:secretKey': ctx.emu.accessKeySecret };
    await outOfBand.configure({ config: { get: (k: string) => keys[k] } });
    const { inputs } = await outOfBand.check(
      {},
      {
        regionId: EMULATOR_IDS.region,
        cenId: EMULATOR_IDS.cenId,
        transitRouterId: EMULATOR_IDS.transitRouterId,
        transitRouterAttachmentId: EMULATOR_IDS.vpcAttachmentId2,
        projectName: 'made-in-console',
        logStoreName: 'console-logstore',
        flowLogName: 'clicked-together',
      },
    );
    const existing = await outOfBand.create(inputs);

    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: stackName('adopt-example'), workDir: path.join(ROOT, 'examples', 'adopt') },
      { envVars: ctx.env(), pulumiCommand: ctx.cli },
    );
    stacks.push(stack);
    await stack.setAllConfig({ projectName: { value: 'made-in-console' }, logStoreName: { value: 'console-logstore' } });
    ctx.emu.resetRequestLog();
    const up = await stack.up();
    expect(up.outputs.flowLogId.value).toBe(existing.id);
    expect(writeCalls(ctx.emu)).not.toContain('CreateFlowlog');
    expect(ctx.emu.flowLogs()).toEqual([expect.objectContaining({ FlowLogId: existing.id, FlowLogName: 'adopted-by-pulumi' })]);
    await stack.destroy();
    expect(ctx.emu.flowLogs()).toEqual([]);
  });
});
