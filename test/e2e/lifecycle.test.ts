/**
 * What a user sees from `pulumi preview/up/refresh/destroy` for each kind of
 * change, through the real engine and the dynamic-provider plugin, with
 * inline programs (the program runs here; the provider in the plugin).
 */
import { asEngine } from '../fixtures/engine';
import { Stack } from '@pulumi/pulumi/automation';
import { CenFlowlog, CenFlowlogArgs, FlowlogProvider } from 'cen-flowlog';
import { EMULATOR_IDS } from 'cen-flowlog/emulator';
import {
  E2eContext, Steps, checkpointFlowLogs, inlineStack, stackName, useSuiteContext, writeCalls,
} from './harness';

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
interface OneFlowlog { stack: Stack; args: CenFlowlogArgs }

async function oneFlowlogStack(ctx: E2eContext, what: string, args: CenFlowlogArgs): Promise<OneFlowlog> {
  const holder: OneFlowlog = { stack: undefined as unknown as Stack, args };
  holder.stack = await inlineStack(ctx, stackName(what), async () => {
    const fl = new CenFlowlog('fl', holder.args);
    return { id: fl.id, flowLogId: fl.flowLogId, status: fl.status };
  });
  return holder;
}

describe('the engine and the plugin against the emulator', () => {
  let ctx: E2eContext;
  const stacks = useSuiteContext((c) => { ctx = c; });

  /** Destroys the stack and checks that the emulator holds nothing of it. */
  async function destroyAll(s: Stack): Promise<void> {
    await s.destroy();
    expect(ctx.emu.flowLogs()).toEqual([]);
  }

  describe('updates in place', () => {
    let one: OneFlowlog;
    let id: string;

    beforeAll(async () => {
      one = await oneFlowlogStack(ctx, 'update', base());
      stacks.push(one.stack);
      id = (await one.stack.up()).outputs.flowLogId.value;
    });
    afterAll(async () => destroyAll(one.stack));

    // Each field's update-or-replace is table-tested in test/unit/diff.test.ts and against the emulator in
    // test/integration/provider.test.ts; here the engine sees all five in-place changes at once.
    it('a change of every in-place field previews as one update, keeps the id and applies each', async () => {
      const changes: [Partial<CenFlowlogArgs>, (f: ReturnType<E2eContext['emu']['flowLogs']>[number]) => unknown, unknown][] = [
        [{ flowLogName: 'core' }, (f) => f.FlowLogName, 'core'],
        [{ description: 'all VPC traffic' }, (f) => f.Description, 'all VPC traffic'],
        [{ interval: 60 }, (f) => f.Interval, 60],
        [{ status: 'Inactive' }, (f) => f.Status, 'Inactive'],
        [{ tags: { team: 'sec', owner: 'me' } }, (f) => Object.fromEntries(f.Tags.Tag.map((t) => [t.Key, t.Value])), { team: 'sec', owner: 'me' }],
      ];
      one.args = Object.assign({ ...one.args }, ...changes.map(([change]) => change));
      const steps = new Steps();
      await one.stack.preview({ onEvent: steps.onEvent });
      expect(steps.of('fl')).toEqual(['update']);

      const up = await one.stack.up({ onEvent: new Steps().onEvent });
      expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
      expect(up.outputs.flowLogId.value).toBe(id);
      expect(ctx.emu.flowLogs()).toHaveLength(1);
      for (const [, observe, expected] of changes) expect(observe(ctx.emu.flowLogs()[0]!)).toEqual(expected);
    });
  });

  describe('replaces', () => {
    let one: OneFlowlog;

    beforeAll(async () => {
      one = await oneFlowlogStack(ctx, 'replace', base());
      stacks.push(one.stack);
      await one.stack.up();
    });
    afterAll(async () => destroyAll(one.stack));

    // Which fields replace is table-tested in test/unit/diff.test.ts; here the engine replaces once for both.
    it('a change of replace-on-change fields previews as a replacement and deletes before it creates', async () => {
      const oldId = (await one.stack.outputs()).flowLogId.value;
      const change = { projectName: 'e2e-project-2', logFormatString: '${srcaddr}${dstaddr}${bytes}${packets}' };
      one.args = { ...one.args, ...change };
      const preview = new Steps();
      await one.stack.preview({ onEvent: preview.onEvent });
      expect(preview.of('fl')).toContain('replace');

      ctx.emu.resetRequestLog();
      const steps = new Steps();
      const up = await one.stack.up({ onEvent: steps.onEvent });
      expect(steps.of('fl')).toEqual(['delete-replaced', 'replace', 'create-replacement']);
      const newId = up.outputs.flowLogId.value;
      expect(newId).not.toBe(oldId);
      const writes = writeCalls(ctx.emu);
      expect(writes.indexOf('DeleteFlowlog')).toBeLessThan(writes.indexOf('CreateFlowlog'));
      expect(ctx.emu.requests().filter((r) => r.code === 'Flowlog.AlreayExist')).toEqual([]);
      expect(ctx.emu.flowLogs().map((f) => f.FlowLogId)).toEqual([newId]);
      expect(ctx.emu.flowLogs()[0]).toMatchObject({ ProjectName: 'e2e-project-2', LogFormatString: change.logFormatString });
    });
  });

  describe('refresh', () => {
    let one: OneFlowlog;

    beforeAll(async () => {
      one = await oneFlowlogStack(ctx, 'refresh', { ...base(), transitRouterAttachmentId: EMULATOR_IDS.vpcAttachmentId2 });
      stacks.push(one.stack);
    });
    afterAll(async () => destroyAll(one.stack));

    it('reports an out-of-band change as drift, and the next preview puts it back', async () => {
      const id = (await one.stack.up()).outputs.flowLogId.value;
      ctx.emu.updateFlowLog(id, { FlowLogName: 'changed-by-hand', Interval: 60 });
      const refresh = await one.stack.refresh();
      expect(refresh.summary.resourceChanges).toMatchObject({ update: 1 });
      const [resource] = await checkpointFlowLogs(one.stack);
      expect(resource?.outputs).toMatchObject({ flowLogName: 'changed-by-hand', interval: 60 });
      const steps = new Steps();
      await one.stack.preview({ onEvent: steps.onEvent });
      expect(steps.of('fl')).toEqual(['update']);
    });

    it('drops a flow log deleted out of band from the state', async () => {
      const id = (await one.stack.up()).outputs.flowLogId.value;
      expect(ctx.emu.deleteFlowLog(id)).toBe(true);
      const refresh = await one.stack.refresh();
      expect(refresh.summary.resourceChanges).toMatchObject({ delete: 1 });
      expect(await checkpointFlowLogs(one.stack)).toEqual([]);
      const steps = new Steps();
      await one.stack.preview({ onEvent: steps.onEvent });
      expect(steps.of('fl')).toEqual(['create']);
    });
  });

  it('adopts an existing flow log instead of creating a second one', async () => {
    const outOfBand = asEngine(new FlowlogProvider({ env: { CEN_FLOWLOG_ENDPOINT: ctx.emu.endpoint }, log: () => undefined }));
    const keys: Record<string, string> = { 'alicloud:accessKey': ctx.emu.accessKeyId, 'alicloud:secretKey': ctx.emu.accessKeySecret };
    await outOfBand.configure({ config: { get: (k: string) => keys[k] } });
    const declared = { ...base(), transitRouterAttachmentId: EMULATOR_IDS.vpnAttachmentId, flowLogName: 'made-by-hand' };
    const { inputs } = await outOfBand.check({}, declared as Record<string, unknown>);
    const existing = await outOfBand.create(inputs);

    const one = await oneFlowlogStack(ctx, 'adopt', { ...declared, flowLogName: 'adopted', adopt: true });
    stacks.push(one.stack);
    ctx.emu.resetRequestLog();
    const up = await one.stack.up();
    expect(up.outputs.flowLogId.value).toBe(existing.id);
    expect(writeCalls(ctx.emu)).not.toContain('CreateFlowlog');
    expect(ctx.emu.flowLogs()).toHaveLength(1);
    expect(ctx.emu.flowLogs()[0]).toMatchObject({ FlowLogId: existing.id, FlowLogName: 'adopted' });
    await destroyAll(one.stack);
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

  describe('faults during up', () => {
    afterEach(() => ctx.emu.faults.clear());

    it('ends with exactly one flow log per resource after a throttling burst and a response lost after the write', async () => {
      const holder = { stack: undefined as unknown as Stack };
      holder.stack = await inlineStack(ctx, stackName('faults'), async () => {
        const a = new CenFlowlog('a', { ...base(), transitRouterAttachmentId: EMULATOR_IDS.vpcAttachmentId });
        const b = new CenFlowlog('b', { ...base(), transitRouterAttachmentId: EMULATOR_IDS.vpcAttachmentId2 });
        const c = new CenFlowlog('c', { ...base(), transitRouterAttachmentId: undefined });
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
      expect(ctx.emu.flowLogs().map((f) => f.FlowLogId).sort()).toEqual([...ids].sort());
      expect((await checkpointFlowLogs(holder.stack)).map((r) => r.id).sort()).toEqual([...ids].sort());
      await destroyAll(holder.stack);
    });
  });
});
