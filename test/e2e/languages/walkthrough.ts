/**
 * One stack per language through the life a user gives it, with the plugin `pulumi-resource-cen-flowlog` and the
 * real CLI against the emulator. Every language's program declares the same three flow logs (see yaml/Pulumi.yaml):
 * `fl` on the default provider, `shfl` on an explicit provider with its own region and AccessKey, and `imported`,
 * matching a flow log made outside Pulumi. Each step asserts the calls the emulator saw, not only exit codes.
 * A few CLI operations per language, on purpose: each costs seconds of CPU on the 2-core machines.
 */
import { FlowlogProvider } from 'cen-flowlog';
import { EMULATOR_IDS, RequestLogEntry } from 'cen-flowlog/emulator';
import { asEngine } from '../../fixtures/engine';
import { readCheckpointFile, stackName } from '../harness';
import { FLOWLOG, LanguageContext, ProgramStack, SECOND_KEY, startLanguageContext } from './toolchain';

export interface LanguageSetup {
  /** The program's folder (Pulumi.yaml with `plugins.providers` pointing at the repository's bin/). */
  programDir: string;
  /** Makes the language's toolchain ready (hosts, SDK, venv); throws, naming what is missing. */
  prepare(): Promise<void>;
  /** Environment the language's host needs besides the harness's. */
  env?: Record<string, string>;
  /** What `pulumi import` prints as the code to paste, in the program's language (undefined: no code asked for). */
  generatedCode?: RegExp;
}

/** The flow log a user made by hand before adopting Pulumi: `imported` in every program. */
const byHand = {
  regionId: EMULATOR_IDS.region,
  cenId: EMULATOR_IDS.cenId,
  transitRouterId: EMULATOR_IDS.transitRouterId,
  transitRouterAttachmentId: EMULATOR_IDS.vpnAttachmentId,
  projectName: 'e2e-project',
  logStoreName: 'e2e-logstore',
  flowLogName: 'made-by-hand',
};

const WRITES = /^(Create|Modify|Active|Deactive|Delete|Tag|Untag)/;

export function walkThrough(lang: string, setup: LanguageSetup): void {
  describe(`a ${lang} program through its life, through the plugin`, () => {
    let ctx: LanguageContext;
    let stack: ProgramStack;
    const ids: Record<'fl' | 'shfl' | 'imported', string> = { fl: '', shfl: '', imported: '' };
    /** Settings every step keeps: the explicit provider's endpoint and AccessKey, and the default provider's region. */
    let fixed: Record<string, string>;

    const log = (): RequestLogEntry[] => ctx.emu.requests();
    const writes = (): RequestLogEntry[] => log().filter((r) => WRITES.test(r.action) && r.statusCode === 200);
    const about = (id: string): RequestLogEntry[] => log().filter((r) => r.flowLogId === id || r.params.FlowLogId === id);
    const onEmulator = (id: string) => ctx.emu.flowLogs().find((f) => f.FlowLogId === id);
    const checkpoint = async (): Promise<Array<{ type: string; id: string; urn: string; outputs: Record<string, unknown> }>> =>
      ((await stack.stack.exportStack()).deployment.resources ?? []).filter((r: { type: string }) => r.type === FLOWLOG);

    beforeAll(async () => {
      await setup.prepare();
      ctx = await startLanguageContext(setup.env ?? {});
      stack = await ProgramStack.create(ctx, setup.programDir, stackName(lang));
      fixed = {
        'cen-flowlog:region': EMULATOR_IDS.region,
        shEndpoint: ctx.emu.endpoint,
        shAccessKey: SECOND_KEY.accessKeyId,
        shSecretKey: SECOND_KEY.accessKeySecret,
      };
      stack.setConfig(fixed);
    });
    afterAll(async () => {
      stack?.remove();
      await ctx?.close();
    });

    it('`pulumi import cen-flowlog:index:Flowlog` takes over a flow log made by hand with reads only', async () => {
      const outOfBand = asEngine(new FlowlogProvider({ env: { CEN_FLOWLOG_ENDPOINT: ctx.emu.endpoint }, log: () => undefined }));
      const keys: Record<string, string> = { 'alicloud:accessKey': ctx.emu.accessKeyId, 'alicloud:secretKey': ctx.emu.accessKeySecret };
      await outOfBand.configure({ config: { get: (k: string) => keys[k] } });
      ids.imported = (await outOfBand.create((await outOfBand.check({}, byHand)).inputs)).id;

      ctx.emu.resetRequestLog();
      const out = await stack.cli([
        'import',
        FLOWLOG,
        'imported',
        ids.imported,
        '--yes',
        '--protect=false',
        ...(setup.generatedCode ? [] : ['--generate-code=false']),
      ]);
      expect(writes()).toEqual([]);
      expect(
        log()
          .filter((r) => r.params.FlowLogId === ids.imported)
          .map((r) => r.action),
      ).toContain('DescribeFlowlogs');
      expect((await checkpoint()).map((r) => r.id)).toEqual([ids.imported]);
      if (setup.generatedCode) expect(out).toMatch(setup.generatedCode);
    });

    it('`pulumi up` creates `fl` with the default provider and `shfl` with the explicit one; `imported` shows no change', async () => {
      ctx.emu.resetRequestLog();
      const up = await stack.stack.up();
      ids.fl = up.outputs.flId!.value;
      ids.shfl = up.outputs.shflId!.value;
      expect(up.outputs.importedId!.value).toBe(ids.imported);
      expect(up.summary.resourceChanges).toMatchObject({ create: 3, same: 2 }); // fl, shfl, provider sh; stack, imported

      const creates = writes().map((r) => ({ action: r.action, key: r.accessKeyId, region: r.params.RegionId, id: r.flowLogId }));
      expect(creates).toEqual(
        expect.arrayContaining([
          { action: 'CreateFlowlog', key: ctx.emu.accessKeyId, region: EMULATOR_IDS.region, id: ids.fl },
          { action: 'CreateFlowlog', key: SECOND_KEY.accessKeyId, region: EMULATOR_IDS.region2, id: ids.shfl },
        ]),
      );
      expect(creates).toHaveLength(2);
      // Every call about shfl is signed with the explicit provider's AccessKey, in its region.
      expect(new Set(about(ids.shfl).map((r) => `${r.accessKeyId} ${r.params.RegionId}`))).toEqual(
        new Set([`${SECOND_KEY.accessKeyId} ${EMULATOR_IDS.region2}`]),
      );
      expect(about(ids.imported)).toEqual([]);
      expect(onEmulator(ids.fl)).toMatchObject({
        Status: 'Active',
        Description: 'e2e flow log',
        TransitRouterAttachmentId: EMULATOR_IDS.vpcAttachmentId,
      });
      expect(onEmulator(ids.shfl)).toMatchObject({ Status: 'Active', TransitRouterAttachmentId: EMULATOR_IDS.shanghaiVpcAttachmentId });
      // The explicit provider's secretKey is a secret: the checkpoint holds it encrypted only.
      expect(readCheckpointFile(ctx, stack.name)).not.toContain(SECOND_KEY.accessKeySecret);
    });

    it('an in-place change updates `fl` (same id) and a replace-on-change field replaces `shfl`', async () => {
      stack.setConfig({ ...fixed, description: 'changed in place', shProjectName: 'e2e-sh-project-2' });
      ctx.emu.resetRequestLog();
      const up = await stack.stack.up();
      expect(up.outputs.flId!.value).toBe(ids.fl);
      expect(up.outputs.flDescription!.value).toBe('changed in place');
      const newShfl: string = up.outputs.shflId!.value;
      expect(newShfl).not.toBe(ids.shfl);

      expect(
        writes()
          .filter((r) => r.flowLogId === ids.fl || r.params.FlowLogId === ids.fl)
          .map((r) => r.action),
      ).toEqual(['ModifyFlowLogAttribute']);
      // Same transit router and attachment: the old shfl is deleted before its replacement is created.
      const shflWrites = writes()
        .filter((r) => r.accessKeyId === SECOND_KEY.accessKeyId)
        .map((r) => `${r.action} ${r.action === 'CreateFlowlog' ? r.params.ProjectName : (r.params.FlowLogId ?? r.flowLogId)}`);
      expect(shflWrites).toEqual([`DeleteFlowlog ${ids.shfl}`, 'CreateFlowlog e2e-sh-project-2']);
      expect(about(ids.imported)).toEqual([]);
      expect(onEmulator(ids.fl)).toMatchObject({ Description: 'changed in place' });
      expect(onEmulator(ids.shfl)).toBeUndefined();
      ids.shfl = newShfl;
    });

    it("`customTimeouts` ends an update that cannot finish at the program's 15 s, and the flow log stays in the stack", async () => {
      ctx.emu.faults.stick(ids.fl, 'Modifying');
      stack.setConfig({ ...fixed, description: 'never applied', shProjectName: 'e2e-sh-project-2' });
      ctx.emu.resetRequestLog();
      const started = Date.now();
      const failure = await stack.stack.up().then(
        () => new Error('expected the update to time out'),
        (err: Error) => err,
      );
      const elapsed = (Date.now() - started) / 1000;
      ctx.emu.faults.unstick(ids.fl);

      expect(failure.message).toMatch(/Modifying/);
      // At least the 15 s the program gives the update; far below the 10-minute default it would wait otherwise.
      expect(elapsed).toBeGreaterThanOrEqual(15);
      expect(elapsed).toBeLessThan(120);
      expect(writes()).toEqual([]);
      const fl = (await checkpoint()).find((r) => r.id === ids.fl);
      expect(fl?.outputs.description).toBe('changed in place');
      expect(onEmulator(ids.fl)).toMatchObject({ Description: 'changed in place' });
    });

    it('`pulumi refresh` reads a change made by hand into the stack with reads only', async () => {
      ctx.emu.updateFlowLog(ids.imported, { Description: 'edited by hand' });
      ctx.emu.resetRequestLog();
      await stack.stack.refresh();
      expect(writes()).toEqual([]);
      const imported = (await checkpoint()).find((r) => r.id === ids.imported);
      expect(imported?.outputs.description).toBe('edited by hand');
    });

    it('`pulumi destroy` deletes the three flow logs, each with its own provider', async () => {
      ctx.emu.resetRequestLog();
      await stack.stack.destroy();
      const deletes = writes().map((r) => `${r.action} ${r.params.FlowLogId ?? r.flowLogId} ${r.accessKeyId}`);
      expect(deletes.sort()).toEqual(
        [
          `DeleteFlowlog ${ids.fl} ${ctx.emu.accessKeyId}`,
          `DeleteFlowlog ${ids.shfl} ${SECOND_KEY.accessKeyId}`,
          `DeleteFlowlog ${ids.imported} ${ctx.emu.accessKeyId}`,
        ].sort(),
      );
      expect(ctx.emu.flowLogs()).toEqual([]);
      expect(await checkpoint()).toEqual([]);
    });
  });
}
