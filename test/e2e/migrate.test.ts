/**
 * The move from the dynamic resource to the package on the real CLI: a
 * TypeScript project with three dynamic flow logs (one Inactive, one with tags,
 * one on a whole transit router), credentials in the stack config, then
 * `cen-flowlog migrate --stack` and the steps it prints, followed as a user
 * does. Through the whole move the emulator sees no write call; afterwards a
 * preview shows no change and an update in place goes through the package.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EngineEvent, LocalWorkspace, Stack } from '@pulumi/pulumi/automation';
import { EMULATOR_IDS as I } from '../../src/emulator';
import { E2eContext, FLOWLOG_TYPE, ROOT, removeStack, stackName, startContext } from './harness';
import { PLUGIN_DIR, PLUGIN_FLOWLOG_TYPE, requirePluginBuild } from './plugin-door';

jest.setTimeout(300_000);

const DYNAMIC_PROGRAM = `import { CenFlowlog } from 'cen-flowlog';

const where = { cenId: '${I.cenId}', transitRouterId: '${I.transitRouterId}', projectName: '${I.projectName}', logStoreName: '${I.logStoreName}' };

new CenFlowlog('paused', { ...where, transitRouterAttachmentId: '${I.vpcAttachmentId}', flowLogName: 'paused', status: 'Inactive' });
new CenFlowlog('tagged', { ...where, transitRouterAttachmentId: '${I.vpcAttachmentId2}', flowLogName: 'tagged', interval: 60, tags: { team: 'network', env: 'prod' } });
new CenFlowlog('whole-router', { ...where, flowLogName: 'whole-router', description: 'every attachment' });
`;

/** The program of the way back: the same flow logs as dynamic resources that adopt the ones the stack forgot. */
const adoptingProgram = (ids: Record<string, string>): string =>
  DYNAMIC_PROGRAM.replace("status: 'Inactive' }", `status: 'Inactive', adopt: '${ids.paused}' }`)
    .replace("env: 'prod' } }", `env: 'prod' }, adopt: '${ids.tagged}' }`)
    .replace("description: 'every attachment' }", `description: 'moved to the package', adopt: '${ids['whole-router']}' }`);

const PROJECT_YAML = ['name: cen-flowlog-migrate-e2e', 'runtime:', '  name: nodejs', '  options:', '    typescript: true', ''].join('\n');

/**
 * node_modules as `npm install cen-flowlog` lays it out: the packages (this checkout's, linked) and
 * `.bin/pulumi-resource-cen-flowlog`, so the Pulumi.yaml lines that migrate prints work as printed.
 */
function installPackages(workDir: string): void {
  const modules = path.join(workDir, 'node_modules');
  fs.mkdirSync(path.join(modules, '.bin'), { recursive: true });
  for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry !== '.bin') fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(modules, entry));
  }
  fs.symlinkSync(path.join(PLUGIN_DIR, 'pulumi-resource-cen-flowlog'), path.join(modules, '.bin', 'pulumi-resource-cen-flowlog'));
}

/** The indented block of a printed step, e.g. the Pulumi.yaml lines under "1. Pulumi.yaml …". */
function printedBlock(steps: string, heading: RegExp): string {
  const lines = steps.split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) throw new Error(`No step matching ${heading} in:\n${steps}`);
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('     ')) break;
    block.push(line.slice(5));
  }
  return `${block.join('\n')}\n`;
}

/** The calls that change something, among the requests the emulator logged from `from` on. */
const writesSince = (ctx: E2eContext, from: number) =>
  ctx.emu
    .requests()
    .slice(from)
    .filter((r) => !/^(Describe|List)/.test(r.action))
    .map((r) => ({ action: r.action, flowLogId: r.flowLogId ?? r.params.FlowLogId }));

interface Recorded {
  type: string;
  urn: string;
  id: string;
  provider?: string;
}

async function flowLogResources(stack: Stack): Promise<Recorded[]> {
  const resources = ((await stack.exportStack()).deployment.resources ?? []) as Recorded[];
  return resources.filter((r) => r.type === FLOWLOG_TYPE || r.type === PLUGIN_FLOWLOG_TYPE);
}

const idsByName = (resources: Recorded[]): Record<string, string> =>
  Object.fromEntries(resources.map((r) => [r.urn.split('::').pop()!, r.id]));

describe('moving a stack of dynamic flow logs to the package (cen-flowlog migrate)', () => {
  let ctx: E2eContext;
  let stack: Stack;
  let workDir: string;
  let before: Record<string, string>;
  /** The emulator's request log before the move began. */
  let from: number;

  beforeAll(async () => {
    requirePluginBuild();
    ctx = await startContext();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-e2e-migrate-'));
    installPackages(workDir);
    fs.writeFileSync(path.join(workDir, 'package.json'), JSON.stringify({ name: 'migrate-e2e', main: 'index.ts' }));
    fs.writeFileSync(path.join(workDir, 'Pulumi.yaml'), PROJECT_YAML);
    fs.writeFileSync(path.join(workDir, 'index.ts'), DYNAMIC_PROGRAM);
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName: stackName('migrate'), workDir },
      { envVars: ctx.env(false), pulumiCommand: ctx.cli },
    );
    // Credentials and region in the stack config, read by the dynamic provider: the move must carry them over.
    await stack.setAllConfig({
      'alicloud:accessKey': { value: ctx.emu.accessKeyId },
      'alicloud:secretKey': { value: ctx.emu.accessKeySecret, secret: true },
      'alicloud:region': { value: I.region },
    });
    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 4 });
    before = idsByName(await flowLogResources(stack));
  });

  afterAll(async () => {
    if (stack) removeStack(stack);
    await ctx?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('migrate writes the declarations and the steps, from the stack, and calls nothing', async () => {
    expect(Object.keys(before).sort()).toEqual(['paused', 'tagged', 'whole-router']);
    expect(ctx.emu.flowLogs().find((f) => f.FlowLogId === before.paused)?.Status).toBe('Inactive');
    from = ctx.emu.requests().length;
    const run = spawnSync('node', [path.join(ROOT, 'dist', 'cli', 'cli.js'), 'migrate', '--stack', stack.name, '--out', 'index.ts'], {
      cwd: workDir,
      env: { ...process.env, ...ctx.env(false) },
      encoding: 'utf8',
    });
    expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 0 });
    // The user's steps as printed: the plugin lines into Pulumi.yaml, then each config step.
    const pluginLines = printedBlock(run.stderr, /^1\. Pulumi\.yaml/);
    expect(pluginLines).toContain('path: ./node_modules/.bin');
    fs.appendFileSync(path.join(workDir, 'Pulumi.yaml'), pluginLines);
    const configSteps = run.stderr.split('\n').filter((l) => l.trim().startsWith('pulumi config set'));
    expect(configSteps.map((l) => / (cen-flowlog:\w+) /.exec(l)?.[1]).sort()).toEqual([
      'cen-flowlog:accessKey',
      'cen-flowlog:region',
      'cen-flowlog:secretKey',
    ]);
    // Never a credential in what it prints or writes.
    expect(run.stderr + run.stdout + fs.readFileSync(path.join(workDir, 'index.ts'), 'utf8')).not.toContain(ctx.emu.accessKeySecret);
    for (const step of configSteps) execFileSync('bash', ['-c', step], { cwd: workDir, env: { ...process.env, ...ctx.env(false) } });
    const config = await stack.getAllConfig();
    expect(config['cen-flowlog:secretKey']).toEqual({ value: ctx.emu.accessKeySecret, secret: true });
    expect(config['cen-flowlog:region']).toEqual({ value: I.region, secret: false });
    expect(writesSince(ctx, from)).toEqual([]);
  });

  it('the preview of the migrated program shows every flow log unchanged', async () => {
    const events: EngineEvent[] = [];
    const preview = await stack.preview({ onEvent: (e) => events.push(e) });
    const ops = events
      .map((e) => e.resourcePreEvent?.metadata)
      .filter((m) => m?.type === PLUGIN_FLOWLOG_TYPE)
      .map((m) => [m!.urn.split('::').pop(), m!.op]);
    expect(ops.sort()).toEqual([
      ['paused', 'same'],
      ['tagged', 'same'],
      ['whole-router', 'same'],
    ]);
    expect(preview.changeSummary).toEqual({ same: 4 });
    expect(writesSince(ctx, from)).toEqual([]);
  });

  it('pulumi up moves them: same ids, the package resource on its default provider, and no write call in the whole move', async () => {
    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 4 });
    const after = await flowLogResources(stack);
    expect(after.map((r) => r.type)).toEqual([PLUGIN_FLOWLOG_TYPE, PLUGIN_FLOWLOG_TYPE, PLUGIN_FLOWLOG_TYPE]);
    expect(idsByName(after)).toEqual(before);
    // The default provider: `default` on CLI 3.248, `default_<version>` on newer CLIs (which name it by the plugin's version).
    for (const r of after) expect(r.provider).toMatch(/::pulumi:providers:cen-flowlog::default(_\d+_\d+_\d+)?::/);
    expect(
      ctx.emu
        .flowLogs()
        .map((f) => [f.FlowLogId, f.Status])
        .sort(),
    ).toEqual(
      [
        [before.paused, 'Inactive'],
        [before.tagged, 'Active'],
        [before['whole-router'], 'Active'],
      ].sort(),
    );
    expect(writesSince(ctx, from)).toEqual([]);
  });

  it('afterwards pulumi preview shows no change', async () => {
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 4 });
    expect(writesSince(ctx, from)).toEqual([]);
  });

  it('an update in place goes through the package: one ModifyFlowLogAttribute, same id', async () => {
    const file = path.join(workDir, 'index.ts');
    const program = fs.readFileSync(file, 'utf8');
    expect(program).toContain('description: "every attachment"');
    fs.writeFileSync(file, program.replace('description: "every attachment"', 'description: "moved to the package"'));
    const start = ctx.emu.requests().length;
    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ update: 1, same: 3 });
    expect(writesSince(ctx, start)).toEqual([{ action: 'ModifyFlowLogAttribute', flowLogId: before['whole-router'] }]);
    expect(idsByName(await flowLogResources(stack))).toEqual(before);
    expect(ctx.emu.flowLogs().find((f) => f.FlowLogId === before['whole-router'])?.Description).toBe('moved to the package');
  });

  it('the way back: pulumi state delete, then CenFlowlog with adopt, makes no write call and keeps the ids', async () => {
    const program = adoptingProgram(before);
    expect(program.match(/adopt: 'flowlog-/g)).toHaveLength(3);
    const start = ctx.emu.requests().length;
    for (const name of Object.keys(before)) {
      const urn = `urn:pulumi:${stack.name}::cen-flowlog-migrate-e2e::${PLUGIN_FLOWLOG_TYPE}::${name}`;
      execFileSync('pulumi', ['state', 'delete', '--yes', '--stack', stack.name, urn], {
        cwd: workDir,
        env: { ...process.env, ...ctx.env(false) },
      });
    }
    fs.writeFileSync(path.join(workDir, 'index.ts'), program);
    const up = await stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 3 });
    const back = await flowLogResources(stack);
    expect(back.map((r) => r.type)).toEqual([FLOWLOG_TYPE, FLOWLOG_TYPE, FLOWLOG_TYPE]);
    expect(idsByName(back)).toEqual(before);
    expect(writesSince(ctx, start)).toEqual([]);
    expect((await stack.preview()).changeSummary).toEqual({ same: 4 });
  });
});
