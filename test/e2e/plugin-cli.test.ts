/**
 * The provider plugin through the pinned CLI: a TypeScript program without a
 * generated SDK (`pulumi.CustomResource` of `cen-flowlog:index:Flowlog`,
 * `pulumi.ProviderResource` of `cen-flowlog`), the plugin found through
 * Pulumi.yaml `plugins.providers`. One stack walks through what a real
 * provider does and the dynamic resource cannot: explicit providers per
 * region and AccessKey, a preview that keeps the id known, per-property
 * diffs, `pulumi import`, `customTimeouts`; then refresh and destroy. Each
 * step asserts the emulator's request log.
 */
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { Stack } from '@pulumi/pulumi/automation';
import { EMULATOR_IDS as I } from 'cen-flowlog/emulator';
import { FlowlogProvider } from 'cen-flowlog';
import { asEngine } from '../fixtures/engine';
import { Emulator, startEmulator } from '../../src/emulator';
import {
  CLI_ROOT,
  ROOT,
  E2eContext,
  Steps,
  checkpointFlowLogs,
  cliEnv,
  pulumiCli,
  readCheckpointFile,
  removeStack,
  stackName,
} from './harness';
import { PLUGIN_DIR, PLUGIN_FLOWLOG_TYPE, PluginProvider, pluginFlowlog, pluginStack, requirePluginBuild } from './plugin-door';

jest.setTimeout(240_000);

/** The second account: its own AccessKey, in its own region, through its own explicit provider. */
const SECOND = { accessKeyId: 'second-account-key-id', accessKeySecret: 'second-account-key-secret' };

const flowlogArgs = (over: pulumi.Inputs = {}): pulumi.Inputs => ({
  cenId: I.cenId,
  transitRouterId: I.transitRouterId,
  projectName: 'plugin-project',
  logStoreName: 'plugin-logstore',
  ...over,
});

/** What the program declares; the tests change it between operations. */
interface Program {
  hzDescription: string;
  shProject: string;
  /** Declared with the inputs `pulumi import` recorded (what `--generate-code` writes). */
  imported?: pulumi.Inputs;
  /** A flow log whose create has a `customTimeouts`. */
  slow?: { create: string };
}

describe('the provider plugin through the CLI', () => {
  let emu: Emulator;
  let ctx: E2eContext;
  let stack: Stack;
  const program: Program = { hzDescription: 'first', shProject: 'shanghai-project' };
  const ids: Record<string, string> = {};
  const writes = () => ctx.emu.requests().filter((r) => !/^(Describe|List)/.test(r.action));

  /** The pinned CLI, in the stack's folder, as a user types it. */
  const cli = (...args: string[]): Promise<{ code: number; output: string }> =>
    new Promise((resolve) => {
      execFile(
        path.join(CLI_ROOT, 'bin', 'pulumi'),
        [...args, '--stack', stack.name, '--non-interactive', '--color', 'never'],
        { cwd: stack.workspace.workDir, env: { ...ctx.env(), HOME: os.homedir() }, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: stdout + stderr }),
      );
    });

  beforeAll(async () => {
    requirePluginBuild();
    const cliCommand = await pulumiCli();
    // `keep`: a delete refused for a removed Logstore leaves the flow log listed, the case a destroy cannot settle alone.
    emu = await startEmulator({
      delays: { createMs: 300, modifyMs: 200, deleteMs: 200 },
      extraKeys: [SECOND],
      deleteWithoutLogStore: 'keep',
    });
    const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-e2e-backend-'));
    ctx = {
      emu,
      cli: cliCommand,
      backendDir,
      env: (withCredentials = true) => cliEnv(emu, backendDir, withCredentials),
      close: async () => {
        await emu.close();
        fs.rmSync(backendDir, { recursive: true, force: true });
      },
    };
    stack = await pluginStack(ctx, stackName('plugin'), async () => {
      // Two explicit providers: each region with its own account, endpoint and budget.
      const hangzhou = new PluginProvider('hangzhou', {
        region: I.region,
        endpoint: emu.endpoint,
        accessKey: emu.accessKeyId,
        secretKey: emu.accessKeySecret,
      });
      const shanghai = new PluginProvider('shanghai', {
        region: I.region2,
        endpoint: emu.endpoint,
        accessKey: SECOND.accessKeyId,
        secretKey: SECOND.accessKeySecret,
      });
      const hz = pluginFlowlog('hz', flowlogArgs({ description: program.hzDescription }), { provider: hangzhou });
      const sh = pluginFlowlog('sh', flowlogArgs({ transitRouterId: I.transitRouterId2, projectName: program.shProject }), {
        provider: shanghai,
      });
      const out: Record<string, unknown> = { hz: hz.flowLogId, hzCreated: hz.creationTime, sh: sh.flowLogId };
      // The default provider: stack config cen-flowlog:region, credentials from the environment.
      if (program.imported) out.imported = pluginFlowlog('imported', program.imported).flowLogId;
      if (program.slow) {
        const slow = pluginFlowlog('slow', flowlogArgs({ transitRouterAttachmentId: I.vpcAttachmentId2, logStoreName: 'slow-logstore' }), {
          customTimeouts: program.slow,
        });
        out.slow = slow.flowLogId;
      }
      return out;
    });
    await stack.setConfig('cen-flowlog:region', { value: I.region });
  });

  afterAll(async () => {
    if (stack) removeStack(stack);
    await ctx?.close();
  });

  it('up creates each flow log through its own provider: its region, its AccessKey; the secret key stored encrypted', async () => {
    emu.resetRequestLog();
    const up = await stack.up();
    ids.hz = up.outputs.hz.value;
    ids.sh = up.outputs.sh.value;
    const creates = writes().map((r) => [r.action, r.params.RegionId, r.accessKeyId]);
    expect(creates.sort()).toEqual([
      ['CreateFlowlog', I.region, emu.accessKeyId],
      ['CreateFlowlog', I.region2, SECOND.accessKeyId],
    ]);
    expect(emu.flowLogs().map((f) => [f.FlowLogId, f.RegionId, f.Status])).toEqual(
      expect.arrayContaining([
        [ids.hz, I.region, 'Active'],
        [ids.sh, I.region2, 'Active'],
      ]),
    );
    // The checkpoint as the backend wrote it: neither secret in clear, each provider's secretKey a ciphertext.
    const text = readCheckpointFile(ctx, stack.name);
    expect(text).not.toContain(emu.accessKeySecret);
    expect(text).not.toContain(SECOND.accessKeySecret);
    const state = JSON.parse(text) as { checkpoint: { latest: { resources: { type: string; inputs: Record<string, unknown> }[] } } };
    const providers = state.checkpoint.latest.resources.filter((r) => r.type === 'pulumi:providers:cen-flowlog');
    expect(providers).toHaveLength(2);
    for (const p of providers) expect(p.inputs.secretKey).toMatchObject({ ciphertext: expect.any(String) });
    // Nothing the engine printed (the plugin's output included) holds a secret either.
    expect(up.stdout + up.stderr).not.toMatch(new RegExp(`${emu.accessKeySecret}|${SECOND.accessKeySecret}`));
  });

  it('a preview of a description change shows `~ description`, with flowLogId and creationTime known, and writes nothing', async () => {
    program.hzDescription = 'second';
    emu.resetRequestLog();
    const steps = new Steps();
    const preview = await stack.preview({ onEvent: steps.onEvent, diff: true });
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    expect(preview.stdout).toContain('~ description: "first" => "second"');
    const hz = steps.events.map((e) => e.resourcePreEvent?.metadata).find((m) => m?.urn.endsWith('::hz'))!;
    expect(hz.op).toBe('update');
    expect(hz.diffs).toEqual(['description']);
    expect(hz.detailedDiff).toEqual({ description: { diffKind: 'update', inputDiff: true } });
    // What the plugin previewed as the flow log's outputs: known, the same id and creation time as before.
    const outputs = steps.events.map((e) => e.resOutputsEvent?.metadata).find((m) => m?.urn.endsWith('::hz'))?.new?.outputs;
    expect(outputs).toMatchObject({ flowLogId: ids.hz, creationTime: expect.stringMatching(/^20\d\d-/), description: 'second' });
    expect(writes()).toEqual([]);
  });

  it('up applies the description in place and replaces on a project change (delete first: one flow log per location)', async () => {
    program.shProject = 'shanghai-project-2';
    emu.resetRequestLog();
    const steps = new Steps();
    const up = await stack.up({ onEvent: steps.onEvent });
    expect(up.outputs.hz.value).toBe(ids.hz);
    const sh = steps.events.map((e) => e.resourcePreEvent?.metadata).filter((m) => m?.urn.endsWith('::sh'));
    expect(sh.map((m) => m!.op)).toEqual(['delete-replaced', 'replace', 'create-replacement']);
    expect(sh.find((m) => m!.op === 'replace')!.detailedDiff).toEqual({ projectName: { diffKind: 'update-replace', inputDiff: true } });
    const byRegion = (region: string) =>
      writes()
        .filter((r) => r.params.RegionId === region)
        .map((r) => r.action);
    expect(byRegion(I.region)).toEqual(['ModifyFlowLogAttribute']);
    expect(byRegion(I.region2)).toEqual(['DeleteFlowlog', 'CreateFlowlog']);
    ids.sh = up.outputs.sh.value;
    expect(emu.flowLogs().find((f) => f.FlowLogId === ids.hz)?.Description).toBe('second');
  });

  it('pulumi import: an unknown id fails clearly and records nothing; a real one is read by id with no write call', async () => {
    const outOfBand = asEngine(new FlowlogProvider({ env: { CEN_FLOWLOG_ENDPOINT: emu.endpoint }, log: () => undefined }));
    const keys: Record<string, string> = { 'alicloud:accessKey': emu.accessKeyId, 'alicloud:secretKey': emu.accessKeySecret };
    await outOfBand.configure({ config: { get: (k: string) => keys[k] } });
    const made = await outOfBand.create(
      (
        await outOfBand.check(
          {},
          { ...flowlogArgs({ transitRouterAttachmentId: I.vpcAttachmentId, flowLogName: 'console' }), regionId: I.region },
        )
      ).inputs,
    );
    emu.resetRequestLog();

    const unknown = await cli('import', PLUGIN_FLOWLOG_TYPE, 'ghost', 'flowlog-doesnotexist', '--yes', '--generate-code=false');
    expect(unknown.code).not.toBe(0);
    expect(unknown.output).toContain('Cannot import flow log flowlog-doesnotexist: no flow log with this id exists in cn-hangzhou');
    const imported = await cli('import', PLUGIN_FLOWLOG_TYPE, 'imported', made.id, '--yes', '--generate-code=false');
    expect(imported.code).toBe(0);
    expect(writes()).toEqual([]);
    const recorded = (await checkpointFlowLogs(stack, PLUGIN_FLOWLOG_TYPE)).find((r) => r.id === made.id)!;
    expect(recorded.inputs).toMatchObject({ flowLogName: 'console', transitRouterAttachmentId: I.vpcAttachmentId, regionId: I.region });
    expect((await checkpointFlowLogs(stack, PLUGIN_FLOWLOG_TYPE)).map((r) => r.id)).not.toContain('flowlog-doesnotexist');

    // The program now declares it with the recorded inputs (what --generate-code writes): no change.
    const { __defaults: _d, ...declared } = recorded.inputs;
    program.imported = declared;
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 6 });
    expect(writes()).toEqual([]);
  });

  it('customTimeouts: a create that outlives its timeout is recorded as a partial failure, and the next up completes it', async () => {
    // Reads answer after 3 s, the create may take 1 s: the wait runs out after the flow log exists.
    emu.faults.latency('DescribeFlowlogs', 3_000);
    program.slow = { create: '1s' };
    emu.resetRequestLog();
    const failed = await stack.up().catch((err: Error) => err);
    emu.faults.clear();
    expect(failed).toBeInstanceOf(Error);
    expect(String(failed)).toMatch(/exists but the operation did not finish/);
    const slow = emu.flowLogs().find((f) => f.LogStoreName === 'slow-logstore')!;
    expect(writes().map((r) => r.action)).toEqual(['CreateFlowlog']);
    expect((await checkpointFlowLogs(stack, PLUGIN_FLOWLOG_TYPE)).map((r) => r.id)).toContain(slow.FlowLogId);

    program.slow = { create: '5m' };
    emu.resetRequestLog();
    const up = await stack.up();
    expect(up.outputs.slow.value).toBe(slow.FlowLogId);
    expect(writes().map((r) => r.action)).not.toContain('CreateFlowlog');
    expect(emu.flowLogs().filter((f) => f.LogStoreName === 'slow-logstore')).toHaveLength(1);
  });

  it('destroy of a flow log whose Logstore went first fails at once, naming it, and keeps it; recreated, the next destroy works', async () => {
    const deployment = (await stack.exportStack()).deployment as { resources: Array<{ urn: string; type: string; id: string }> };
    const slow = deployment.resources.find((r) => r.type === PLUGIN_FLOWLOG_TYPE && r.urn.endsWith('::slow'))!;
    emu.removeLogStore('plugin-project', 'slow-logstore');
    emu.resetRequestLog();
    const failed = await stack.destroy({ target: [slow.urn] }).catch((err: Error) => err);
    expect(failed).toBeInstanceOf(Error);
    expect(String(failed)).toContain(`Flow log ${slow.id} cannot be deleted`);
    expect(String(failed)).toContain('project "plugin-project" or Logstore "slow-logstore" no longer exists');
    expect(String(failed)).toContain('pulumi state delete');
    // One refused delete, no retry or wait; the flow log stays in the service and in the stack.
    expect(writes().map((r) => [r.action, r.code])).toEqual([['DeleteFlowlog', 'ProjectOrLogstoreNotExist']]);
    expect(emu.flowLogs().map((f) => f.FlowLogId)).toContain(slow.id);
    expect((await checkpointFlowLogs(stack, PLUGIN_FLOWLOG_TYPE)).map((r) => r.id)).toContain(slow.id);

    // The Logstore made again (a flow log created into it makes it); the destroy below then deletes this one too.
    const outOfBand = asEngine(new FlowlogProvider({ env: { CEN_FLOWLOG_ENDPOINT: emu.endpoint }, log: () => undefined }));
    const keys: Record<string, string> = { 'alicloud:accessKey': emu.accessKeyId, 'alicloud:secretKey': emu.accessKeySecret };
    await outOfBand.configure({ config: { get: (k: string) => keys[k] } });
    const args = { ...flowlogArgs({ transitRouterAttachmentId: I.vpnAttachmentId, logStoreName: 'slow-logstore' }), regionId: I.region };
    const remade = await outOfBand.create((await outOfBand.check({}, args)).inputs);
    await outOfBand.delete(remade.id, remade.outs);
  });

  it('refresh records drift with reads only; destroy deletes every flow log through its provider', async () => {
    emu.updateFlowLog(ids.hz!, { FlowLogName: 'renamed-in-console' });
    emu.resetRequestLog();
    await stack.refresh();
    expect(writes()).toEqual([]);
    const hz = (await checkpointFlowLogs(stack, PLUGIN_FLOWLOG_TYPE)).find((r) => r.id === ids.hz)!;
    expect(hz.outputs.flowLogName).toBe('renamed-in-console');

    emu.resetRequestLog();
    await stack.destroy();
    expect(emu.flowLogs()).toEqual([]);
    const deletes = writes().map((r) => [r.action, r.params.RegionId, r.accessKeyId]);
    expect(deletes).toEqual(expect.arrayContaining([['DeleteFlowlog', I.region2, SECOND.accessKeyId]]));
    expect(deletes.every(([action]) => action === 'DeleteFlowlog')).toBe(true);
    expect(deletes).toHaveLength(4);
  });
});

describe('the provider plugin in YAML projects: get-schema, import --generate-code, Ctrl-C', () => {
  let emu: Emulator;
  let backendDir: string;
  let projectDir: string;
  const run = (...args: string[]): Promise<{ code: number; output: string }> =>
    new Promise((resolve) => {
      execFile(
        path.join(CLI_ROOT, 'bin', 'pulumi'),
        [...args, '--non-interactive', '--color', 'never'],
        { cwd: projectDir, env: { ...cliEnv(emu, backendDir), HOME: os.homedir() }, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: stdout + stderr }),
      );
    });

  beforeAll(async () => {
    requirePluginBuild();
    await pulumiCli();
    // The Node.js host built here (sdk v3.68) has no GenerateProgram; the YAML host generates the declaration.
    const yamlHost = path.join(CLI_ROOT, 'bin', 'pulumi-language-yaml');
    if (!fs.existsSync(yamlHost))
      throw new Error(
        `import --generate-code is checked with ${yamlHost}, missing: build the language hosts beside the CLI (scripts/get-language-hosts.sh)`,
      );
    emu = await startEmulator({ delays: { createMs: 100, modifyMs: 100, deleteMs: 100 } });
    backendDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-e2e-backend-'));
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-e2e-import-'));
    fs.writeFileSync(
      path.join(projectDir, 'Pulumi.yaml'),
      `name: cen-flowlog-import\nruntime: yaml\nplugins:\n  providers:\n    - name: cen-flowlog\n      path: ${PLUGIN_DIR}\n`,
    );
  });

  afterAll(async () => {
    for (const dir of [projectDir, backendDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await emu?.close();
  });

  it('pulumi package get-schema of the executable prints the committed schema.json', async () => {
    const printed = await run('package', 'get-schema', path.join(PLUGIN_DIR, 'pulumi-resource-cen-flowlog'));
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.output)).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, 'schema.json'), 'utf8')));
  });

  it('import --generate-code writes a declaration that, run as the program, previews no change', async () => {
    const outOfBand = asEngine(new FlowlogProvider({ env: { CEN_FLOWLOG_ENDPOINT: emu.endpoint }, log: () => undefined }));
    const keys: Record<string, string> = { 'alicloud:accessKey': emu.accessKeyId, 'alicloud:secretKey': emu.accessKeySecret };
    await outOfBand.configure({ config: { get: (k: string) => keys[k] } });
    const made = await outOfBand.create(
      (await outOfBand.check({}, { ...flowlogArgs({ description: 'made elsewhere', tags: { team: 'net' } }), regionId: I.region })).inputs,
    );
    expect((await run('stack', 'init', 'import')).code).toBe(0);
    expect((await run('config', 'set', 'cen-flowlog:region', I.region)).code).toBe(0);
    emu.resetRequestLog();
    const generated = path.join(projectDir, 'generated.yaml');
    const imported = await run('import', PLUGIN_FLOWLOG_TYPE, 'imported', made.id, '--yes', '--out', generated);
    expect(imported.code).toBe(0);
    const declaration = fs.readFileSync(generated, 'utf8');
    expect(declaration).toContain('description: made elsewhere');
    expect(declaration).toContain(`cenId: ${I.cenId}`);
    fs.appendFileSync(path.join(projectDir, 'Pulumi.yaml'), declaration);
    const preview = await run('preview', '--expect-no-changes');
    expect(preview.code).toBe(0);
    expect(emu.requests().filter((r) => !/^(Describe|List)/.test(r.action))).toEqual([]);
    expect(emu.flowLogs().map((f) => f.FlowLogId)).toEqual([made.id]);
  });

  it('Ctrl-C during a create wait ends the up at once with the flow log recorded; the next up finishes it without a second create', async () => {
    // A separate project (and stack) of one flow log; its status reads hang, so only a cancel ends the wait soon.
    const cancelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-e2e-cancel-'));
    fs.writeFileSync(
      path.join(cancelDir, 'Pulumi.yaml'),
      [
        'name: cen-flowlog-cancel',
        'runtime: yaml',
        'plugins:',
        '  providers:',
        '    - name: cen-flowlog',
        `      path: ${PLUGIN_DIR}`,
        'resources:',
        '  slow:',
        '    type: cen-flowlog:index:Flowlog',
        '    properties:',
        `      cenId: ${I.cenId}`,
        `      transitRouterId: ${I.transitRouterId}`,
        `      transitRouterAttachmentId: ${I.vpcAttachmentId2}`,
        '      projectName: cancel-project',
        '      logStoreName: cancel-logstore',
        'outputs:',
        '  id: ${slow.flowLogId}',
        '',
      ].join('\n'),
    );
    const env = { ...cliEnv(emu, backendDir), HOME: os.homedir() };
    const cancelRun = (...args: string[]) => {
      const previous = projectDir;
      projectDir = cancelDir;
      return run(...args).finally(() => (projectDir = previous));
    };
    try {
      expect((await cancelRun('stack', 'init', 'cancel')).code).toBe(0);
      expect((await cancelRun('config', 'set', 'cen-flowlog:region', I.region)).code).toBe(0);
      emu.faults.latency('DescribeFlowlogs', 60_000);
      emu.resetRequestLog();
      const up = spawn(path.join(CLI_ROOT, 'bin', 'pulumi'), ['up', '--yes', '--skip-preview', '--non-interactive', '--color', 'never'], {
        cwd: cancelDir,
        env,
      });
      let output = '';
      up.stdout.on('data', (d) => (output += d));
      up.stderr.on('data', (d) => (output += d));
      const exited = new Promise<number | null>((resolve) => up.on('exit', (code) => resolve(code)));
      const deadline = Date.now() + 60_000;
      while (!emu.flowLogs().some((f) => f.LogStoreName === 'cancel-logstore')) {
        if (Date.now() > deadline) throw new Error(`no create reached the emulator; pulumi up printed:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 1_000)); // inside the wait for Active
      const interrupted = Date.now();
      up.kill('SIGINT');
      expect(await exited).not.toBe(0);
      expect(Date.now() - interrupted).toBeLessThan(10_000);
      const id = emu.flowLogs().find((f) => f.LogStoreName === 'cancel-logstore')!.FlowLogId;
      expect(output).toContain(`Flow log ${id} exists but the operation did not finish: The operation was cancelled`);

      emu.faults.clear();
      emu.resetRequestLog();
      const again = await cancelRun('up', '--yes', '--skip-preview');
      expect(again).toMatchObject({ code: 0, output: expect.stringContaining(id) });
      expect(emu.requests().filter((r) => r.action === 'CreateFlowlog')).toEqual([]);
      expect(emu.flowLogs().filter((f) => f.LogStoreName === 'cancel-logstore')).toHaveLength(1);
    } finally {
      emu.faults.clear();
      fs.rmSync(cancelDir, { recursive: true, force: true });
    }
  });
});
