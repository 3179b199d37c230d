/**
 * Bulk adoption end to end: `cen-flowlog generate` (the built bin, as a user runs
 * it) writes the program for 30 flow logs that no program made; the real Pulumi
 * CLI runs it through the language host. The first `up` writes nothing, the next
 * preview shows no change, and a renamed flow log updates in place.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { LocalWorkspace, Stack } from '@pulumi/pulumi/automation';
import * as pulumi from '@pulumi/pulumi';
import { getFlowlogs, getFlowlogsOutput } from 'cen-flowlog';
import { EMULATOR_IDS } from 'cen-flowlog/emulator';
import { E2eContext, ROOT, inlineStack, stackName, useSuiteContext, writeCalls } from './harness';

jest.setTimeout(300_000);

const run = promisify(execFile);
const CLI = path.join(ROOT, 'dist', 'cli', 'cli.js');

/** A Pulumi project folder inside the repository, so `cen-flowlog` and `@pulumi/pulumi` resolve from its node_modules. */
function projectDir(): string {
  const dir = fs.mkdtempSync(path.join(ROOT, '.e2e-generate-'));
  fs.writeFileSync(
    path.join(dir, 'Pulumi.yaml'),
    'name: cen-flowlog-generated\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n',
  );
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'generated', private: true, main: 'index.ts' }));
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { rootDir: '.', noEmit: true }, include: ['*.ts'] }),
  );
  return dir;
}

describe('cen-flowlog generate, then pulumi up', () => {
  let ctx: E2eContext;
  const stacks = useSuiteContext((c) => {
    ctx = c;
  });
  let dir: string;
  let stack: Stack;
  let seeded: string[];
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeAll(async () => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the e2e tests.`);
    seeded = ctx.emu.seedFlowLogs(30);
    // What console users set on them, out of band: names (two alike), descriptions, tags, a short interval, Inactive.
    seeded.forEach((id, i) => {
      if (i < 20) {
        ctx.emu.updateFlowLog(id, {
          FlowLogName: i === 11 ? 'VPC edge 10' : `VPC edge ${i}`,
          Description: i % 5 === 0 ? `edge ${i}, made in the console` : undefined,
          Interval: i % 3 === 0 ? 60 : 600,
          Status: i % 7 === 6 ? 'Inactive' : 'Active',
          Tags:
            i % 2 === 0
              ? [
                  { Key: 'team', Value: 'net' },
                  { Key: 'cost-center', Value: `cc-${i}` },
                ]
              : [],
        });
      }
    });
    dir = projectDir();
  });

  it('generates one adopted CenFlowlog per flow log, to a file and, the same, to stdout', async () => {
    const args = ['generate', '--cen-id', EMULATOR_IDS.cenId, '--region', EMULATOR_IDS.region];
    const toFile = await run(process.execPath, [CLI, ...args, '--out', path.join(dir, 'index.ts')], { env: ctx.env(), cwd: ROOT });
    expect(toFile.stderr).toBe(`Wrote 30 flow logs to ${path.join(dir, 'index.ts')}\n`);
    const program = fs.readFileSync(path.join(dir, 'index.ts'), 'utf8');
    expect(program.match(/new CenFlowlog\(/g)).toHaveLength(30);
    for (const id of seeded) expect(program).toContain(`adopt: "${id}",`);
    // Two flow logs named "VPC edge 10", created at the same time: the lower id keeps the plain name.
    const [first, second] = [seeded[10]!, seeded[11]!].sort();
    const nameOf = new Map([...program.matchAll(/"([^"]+)": new CenFlowlog\("\1", \{[\s\S]*?adopt: "([^"]+)"/g)].map((m) => [m[2], m[1]]));
    expect(nameOf.size).toBe(30);
    expect(nameOf.get(first)).toBe('vpc-edge-10');
    expect(nameOf.get(second)).toBe(`vpc-edge-10-${second.slice('flowlog-'.length)}`);
    expect(nameOf.get(seeded[29]!)).toBe(seeded[29]);

    const toStdout = await run(process.execPath, [CLI, ...args], { env: ctx.env(), cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    expect(toStdout.stdout).toBe(program);
  });

  it('the first up adopts all 30 with no write call, and changes none of them', async () => {
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName: stackName('generated'), workDir: dir },
      { envVars: ctx.env(), pulumiCommand: ctx.cli },
    );
    stacks.push(stack);
    const before = ctx.emu.flowLogs();
    ctx.emu.resetRequestLog();

    const up = await stack.up();
    // 30 flow logs and the stack itself: recorded in the stack, created in the cloud by nobody.
    expect(up.summary.resourceChanges).toEqual({ create: 31 });
    const counts = ctx.emu.callCounts();
    for (const write of [
      'CreateFlowlog',
      'ModifyFlowLogAttribute',
      'TagResources',
      'UntagResources',
      'DeleteFlowlog',
      'ActiveFlowLog',
      'DeactiveFlowLog',
    ]) {
      expect([write, counts[write] ?? 0]).toEqual([write, 0]);
    }
    expect(writeCalls(ctx.emu)).toEqual([]);
    expect(ctx.emu.flowLogs()).toEqual(before);
    expect(Object.values(up.outputs.flowLogIds!.value as Record<string, string>).sort()).toEqual([...seeded].sort());
  });

  it('the next preview shows no changes', async () => {
    ctx.emu.resetRequestLog();
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 31 });
    expect(writeCalls(ctx.emu)).toEqual([]);
  });

  it('a name changed in the generated program updates that flow log in place', async () => {
    const file = path.join(dir, 'index.ts');
    const program = fs.readFileSync(file, 'utf8');
    expect(program).toContain('flowLogName: "VPC edge 3",');
    fs.writeFileSync(file, program.replace('flowLogName: "VPC edge 3",', 'flowLogName: "VPC edge 3 (core)",'));
    ctx.emu.resetRequestLog();

    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 30, update: 1 });
    expect(writeCalls(ctx.emu)).toEqual(['ModifyFlowLogAttribute']);
    expect(ctx.emu.flowLogs().find((f) => f.FlowLogId === seeded[3])).toMatchObject({ FlowLogName: 'VPC edge 3 (core)' });
    expect(ctx.emu.flowLogs()).toHaveLength(30);
  });

  it("generate --stack reads the endpoint, region and credentials from that stack's config, with none in the environment", async () => {
    const configured = await LocalWorkspace.createOrSelectStack(
      { stackName: stackName('config'), workDir: dir },
      { envVars: ctx.env(), pulumiCommand: ctx.cli },
    );
    stacks.push(configured);
    await configured.setAllConfig({
      'cenFlowlog:endpoint': { value: ctx.emu.endpoint },
      'alicloud:region': { value: EMULATOR_IDS.region },
      'alicloud:accessKey': { value: ctx.emu.accessKeyId },
      'alicloud:secretKey': { value: ctx.emu.accessKeySecret, secret: true },
    });
    // Only what the Pulumi CLI needs to find the stack: no endpoint, region or key.
    const { CEN_FLOWLOG_ENDPOINT: _e, ALIBABA_CLOUD_ACCESS_KEY_ID: _i, ALIBABA_CLOUD_ACCESS_KEY_SECRET: _s, ...pulumiEnv } = ctx.env();
    expect(Object.keys(pulumiEnv).filter((k) => /ALICLOUD|ALIBABA_CLOUD_(ACCESS|REGION)|CEN_FLOWLOG/.test(k))).toEqual([]);
    ctx.emu.resetRequestLog();

    const generated = await run(process.execPath, [CLI, 'generate', '--cen-id', EMULATOR_IDS.cenId, '--stack', configured.name], {
      env: { ...pulumiEnv, HOME: process.env.HOME ?? os.homedir() },
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(generated.stdout.match(/new CenFlowlog\(/g)).toHaveLength(30);
    for (const id of seeded) expect(generated.stdout).toContain(`adopt: "${id}",`);
    expect(ctx.emu.requests().map((r) => [r.accessKeyId, r.params.RegionId])).toContainEqual([ctx.emu.accessKeyId, EMULATOR_IDS.region]);
    expect(generated.stdout + generated.stderr).not.toContain(ctx.emu.accessKeySecret);
  });

  it('getFlowlogs in a program reads the endpoint, region and credentials from the stack config', async () => {
    // The inline program runs in this process, whose environment has neither the endpoint nor the keys.
    const lookup = await inlineStack(ctx, stackName('lookup'), async () => {
      const all = await getFlowlogs({ cenId: EMULATOR_IDS.cenId });
      const inactive = getFlowlogsOutput({ cenId: pulumi.output(EMULATOR_IDS.cenId), status: 'Inactive' });
      return { count: all.ids.length, regions: [...new Set(all.flowlogs.map((f) => f.regionId))], inactive: inactive.ids };
    });
    stacks.push(lookup);
    await lookup.setAllConfig({
      'cenFlowlog:endpoint': { value: ctx.emu.endpoint },
      'alicloud:region': { value: EMULATOR_IDS.region },
      'alicloud:accessKey': { value: ctx.emu.accessKeyId },
      'alicloud:secretKey': { value: ctx.emu.accessKeySecret, secret: true },
    });
    const up = await lookup.up();
    expect(up.outputs.count!.value).toBe(30);
    expect(up.outputs.regions!.value).toEqual([EMULATOR_IDS.region]);
    expect([...(up.outputs.inactive!.value as string[])].sort()).toEqual(
      ctx.emu
        .flowLogs()
        .filter((f) => f.Status === 'Inactive')
        .map((f) => f.FlowLogId)
        .sort(),
    );
  });
});
