/**
 * What a user sees from `pulumi preview/up/refresh/destroy` for each kind of
 * change, through the real engine and the dynamic-provider plugin, with
 * inline programs (the program runs here; the provider in the plugin).
 */
import { asEngine } from '../fixtures/engine';
import { Stack } from '@pulumi/pulumi/automation';
import { CenFlowlog, CenFlowlogArgs, FlowlogProvider } from 'cen-flowlog';
import { EMULATOR_IDS } from 'cen-flowlog/emulator';
import { E2eContext, Steps, checkpointFlowLogs, inlineStack, stackName, useSuiteContext, writeCalls } from './harness';
import { DOORS } from './plugin-door';

jest.setTimeout(180_000);

const base = (): CenFlowlogArgs => ({
  regionId: EMULATOR_IDS.region,
  cenId: EMULATOR_IDS.cenId,
  transitRouterId: EMULATOR_IDS.transitRouterId,
  transitRouterAttachmentId: EMULATOR_IDS.vpcAttachmentId,
  projectName: 'e2e-project',
  logStoreName: 'e2e-logstore',
  flowLogName: 'edge',
  description: 'e2e flow log',
  interval: 600,
  tags: { team: 'net' },
});

/** A stack of one flow log `fl` whose args the test changes between operations. */
interface OneFlowlog {
  stack: Stack;
  args: CenFlowlogArgs;
}

async function oneFlowlogStack(ctx: E2eContext, what: string, args: CenFlowlogArgs): Promise<OneFlowlog> {
  const holder: OneFlowlog = { stack: undefined as unknown as Stack, args };
  holder.stack = await inlineStack(ctx, stackName(what), async () => {
    const fl = new CenFlowlog('fl', holder.args);
    return { id: fl.id, flowLogId: fl.flowLogId, status: fl.status };
  });
  return holder;
}

type EmulatorFlowLog = ReturnType<E2eContext['emu']['flowLogs']>[number];

describe('the engine and the plugin against the emulator', () => {
  let ctx: E2eContext;
  const stacks = useSuiteContext((c) => {
    ctx = c;
  });

  /** Destroys the stack and checks that the emulator holds nothing of it. */
  async function destroyAll(s: Stack): Promise<void> {
    await s.destroy();
    expect(ctx.emu.flowLogs()).toEqual([]);
  }

  // One stack through its life, three flow logs each playing one part: `upd` is changed in place, `rep` is
  // replaced, `adopted` takes over a flow log made outside Pulumi; then refresh sees drift on `upd` and `rep`
  // deleted out of band. One stack instead of four: every CLI operation costs seconds of CPU, and the engine
  // steps each resource on its own, so the parts do not see each other. Which field updates and which
  // replaces is table-tested in test/unit/diff.test.ts and against the emulator in test/integration/provider.test.ts.
  describe('a stack through its life', () => {
    // `rep` sets neither status nor tags: its stack outputs of both still hold the service's values.
    const { tags, ...untagged } = base();
    const args: Record<'upd' | 'rep' | 'adopted', CenFlowlogArgs> = {
      upd: base(),
      rep: { ...untagged, transitRouterAttachmentId: EMULATOR_IDS.vpcAttachmentId2 },
      adopted: { ...base(), transitRouterAttachmentId: EMULATOR_IDS.vpnAttachmentId, flowLogName: 'adopted', adopt: true },
    };
    let stack: Stack;
    const ids: Record<string, string> = {};
    const byId = (id: string): EmulatorFlowLog | undefined => ctx.emu.flowLogs().find((f) => f.FlowLogId === id);

    beforeAll(async () => {
      stack = await inlineStack(ctx, stackName('life'), async () => {
        const out: Record<string, unknown> = {};
        for (const [name, a] of Object.entries(args)) {
          const fl = new CenFlowlog(name, a);
          out[name] = fl.flowLogId;
          out[`${name}Status`] = fl.status;
          out[`${name}Tags`] = fl.tags;
        }
        return out;
      });
      stacks.push(stack);
    });

    it('creates two and adopts an existing flow log instead of creating a second one', async () => {
      const outOfBand = asEngine(new FlowlogProvider({ env: { CEN_FLOWLOG_ENDPOINT: ctx.emu.endpoint }, log: () => undefined }));
      const keys: Record<string, string> = { 'alicloud:accessKey': ctx.emu.accessKeyId, 'alicloud:secretKey': ctx.emu.accessKeySecret };
      await outOfBand.configure({ config: { get: (k: string) => keys[k] } });
      const { inputs } = await outOfBand.check({}, { ...args.adopted, flowLogName: 'made-by-hand', adopt: undefined } as Record<
        string,
        unknown
      >);
      const existing = await outOfBand.create(inputs);

      ctx.emu.resetRequestLog();
      const up = await stack.up();
      for (const name of ['upd', 'rep', 'adopted']) ids[name] = up.outputs[name]!.value;
      expect(ids.adopted).toBe(existing.id);
      const creates = ctx.emu.requests().filter((r) => r.action === 'CreateFlowlog' && r.statusCode === 200);
      expect(creates.map((r) => r.params.TransitRouterAttachmentId).sort()).toEqual([
        EMULATOR_IDS.vpcAttachmentId,
        EMULATOR_IDS.vpcAttachmentId2,
      ]);
      expect(ctx.emu.flowLogs()).toHaveLength(3);
      expect(byId(existing.id)).toMatchObject({ FlowLogName: 'adopted' });
      // Every output holds what the service reports, whether the program set the field or not.
      expect(byId(ids.rep!)).toMatchObject({ Status: 'Active', Tags: { Tag: [] } });
      expect(up.outputs.repStatus?.value).toBe('Active');
      expect(up.outputs.repTags?.value).toEqual({});
      expect(up.outputs.updTags?.value).toEqual(tags);
    });

    it('previews a change of every in-place field as one update and a change of replace-on-change fields as a replacement', async () => {
      const inPlace: [Partial<CenFlowlogArgs>, (f: EmulatorFlowLog) => unknown, unknown][] = [
        [{ flowLogName: 'core' }, (f) => f.FlowLogName, 'core'],
        [{ description: 'all VPC traffic' }, (f) => f.Description, 'all VPC traffic'],
        [{ interval: 60 }, (f) => f.Interval, 60],
        [{ status: 'Inactive' }, (f) => f.Status, 'Inactive'],
        [
          { tags: { team: 'sec', owner: 'me' } },
          (f) => Object.fromEntries(f.Tags.Tag.map((t) => [t.Key, t.Value])),
          { team: 'sec', owner: 'me' },
        ],
      ];
      args.upd = Object.assign({ ...args.upd }, ...inPlace.map(([change]) => change));
      const replaceChange = { projectName: 'e2e-project-2', logFormatString: '${srcaddr}${dstaddr}${bytes}${packets}' };
      args.rep = { ...args.rep, ...replaceChange };
      const preview = new Steps();
      await stack.preview({ onEvent: preview.onEvent });
      expect(preview.of('upd')).toEqual(['update']);
      expect(preview.of('rep')).toContain('replace');
      expect(preview.of('adopted')).toEqual(['same']);

      ctx.emu.resetRequestLog();
      const steps = new Steps();
      const up = await stack.up({ onEvent: steps.onEvent });
      expect(up.summary.resourceChanges).toMatchObject({ update: 1, replace: 1 });
      // In place: the same id, every change applied.
      expect(up.outputs.upd!.value).toBe(ids.upd);
      for (const [, observe, expected] of inPlace) expect(observe(byId(ids.upd!)!)).toEqual(expected);
      // Replaced: deleted before it is created, so the new one cannot collide with the old on its location.
      expect(steps.of('rep')).toEqual(['delete-replaced', 'replace', 'create-replacement']);
      const newRep = up.outputs.rep!.value;
      expect(newRep).not.toBe(ids.rep);
      const writes = writeCalls(ctx.emu);
      expect(writes.indexOf('DeleteFlowlog')).toBeLessThan(writes.indexOf('CreateFlowlog'));
      expect(ctx.emu.requests().filter((r) => r.code === 'Flowlog.AlreayExist')).toEqual([]);
      expect(byId(ids.rep!)).toBeUndefined();
      expect(byId(newRep)).toMatchObject({ ProjectName: 'e2e-project-2', LogFormatString: replaceChange.logFormatString });
      ids.rep = newRep;
      expect(ctx.emu.flowLogs()).toHaveLength(3);
    });

    it('refresh reports an out-of-band change as drift and drops a flow log deleted out of band; the next preview puts both back', async () => {
      ctx.emu.updateFlowLog(ids.upd!, { FlowLogName: 'changed-by-hand', Interval: 600 });
      expect(ctx.emu.deleteFlowLog(ids.rep!)).toBe(true);
      const refresh = await stack.refresh();
      expect(refresh.summary.resourceChanges).toMatchObject({ update: 1, delete: 1 });
      const resources = await checkpointFlowLogs(stack);
      expect(resources.map((r) => r.id).sort()).toEqual([ids.upd, ids.adopted].sort());
      expect(resources.find((r) => r.id === ids.upd)?.outputs).toMatchObject({ flowLogName: 'changed-by-hand', interval: 600 });
      const steps = new Steps();
      await stack.preview({ onEvent: steps.onEvent });
      expect(steps.of('upd')).toEqual(['update']);
      expect(steps.of('rep')).toEqual(['create']);
      expect(steps.of('adopted')).toEqual(['same']);
    });

    it('destroy deletes every flow log of the stack, the adopted one included', async () => destroyAll(stack));
  });

  it('fails the preview of an invalid input with the field and the reason, before any API call', async () => {
    const one = await oneFlowlogStack(ctx, 'invalid', { ...base(), projectName: 'Bad_Project', interval: 30 });
    stacks.push(one.stack);
    ctx.emu.resetRequestLog();
    const steps = new Steps();
    await expect(one.stack.preview({ onEvent: steps.onEvent })).rejects.toThrow();
    const errors = steps.errors();
    expect(errors).toMatch(/projectName/);
    expect(errors).toMatch(/lowercase letters, digits and hyphens/);
    expect(errors).toMatch(/interval.*must be 60 or 600.*30/s);
    expect(ctx.emu.requests()).toEqual([]);
  });

  // The same run through each front door: both share the core, and both must end with nothing orphaned or doubled.
  describe.each(DOORS)('faults during up, through the $name door', (door) => {
    afterEach(() => ctx.emu.faults.clear());

    it('ends with exactly one flow log per resource after a throttling burst and a response lost after the write; a re-run and a refresh change nothing', async () => {
      const holder = { stack: undefined as unknown as Stack };
      holder.stack = await door.stack(ctx, stackName(`faults-${door.name}`), async () => {
        const a = door.declare('a', { ...base(), transitRouterAttachmentId: EMULATOR_IDS.vpcAttachmentId });
        const b = door.declare('b', { ...base(), transitRouterAttachmentId: EMULATOR_IDS.vpcAttachmentId2 });
        const c = door.declare('c', { ...base(), transitRouterAttachmentId: undefined });
        return { a: a.flowLogId, b: b.flowLogId, c: c.flowLogId };
      });
      stacks.push(holder.stack);
      ctx.emu.faults.failNext('*', 6, 'Throttling.User', 400, 'Request was denied due to user flow control.');
      ctx.emu.faults.dropResponse('CreateFlowlog', 2, 'reset');
      ctx.emu.resetRequestLog();

      const up = await holder.stack.up();
      expect(up.summary.result).toBe('succeeded');
      expect(ctx.emu.requests().filter((r) => r.fault !== undefined).length).toBeGreaterThanOrEqual(8);
      const ids = [up.outputs.a.value, up.outputs.b.value, up.outputs.c.value];
      expect(new Set(ids).size).toBe(3);
      const live = () =>
        ctx.emu
          .flowLogs()
          .map((f) => f.FlowLogId)
          .sort();
      expect(live()).toEqual([...ids].sort());
      expect((await checkpointFlowLogs(holder.stack, door.type)).map((r) => r.id).sort()).toEqual([...ids].sort());

      ctx.emu.resetRequestLog();
      const again = await holder.stack.up();
      expect(again.summary.resourceChanges).toEqual({ same: 4 });
      const refresh = await holder.stack.refresh();
      expect(refresh.summary.result).toBe('succeeded');
      expect(writeCalls(ctx.emu)).toEqual([]);
      expect(live()).toEqual([...ids].sort());
      expect((await checkpointFlowLogs(holder.stack, door.type)).map((r) => r.id).sort()).toEqual([...ids].sort());
      await destroyAll(holder.stack);
    });
  });
});
