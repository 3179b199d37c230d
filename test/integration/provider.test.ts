/**
 * The provider's methods against the emulator through the real
 * @alicloud/openapi-client: the lifecycle a user drives with pulumi up,
 * refresh and destroy, and every fault the emulator injects.
 */
import { asEngine, type EngineView } from '../fixtures/engine';
import { DEFAULT_TOPOLOGY, Emulator, startEmulator } from '../../src/emulator';
import { FlowlogProvider } from '../../src/core/provider';
import { diffFlowlog } from '../../src/model/diff';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

const REGION = 'cn-hangzhou';
const CEN = DEFAULT_TOPOLOGY.cens[0].cenId;
const TR = DEFAULT_TOPOLOGY.transitRouters.find((t) => t.regionId === REGION && t.edition === 'Enterprise')!.transitRouterId;
const VPCS = DEFAULT_TOPOLOGY.attachments.filter((a) => a.transitRouterId === TR && a.kind === 'VPC').map((a) => a.attachmentId);

function providerFor(emu: Emulator, extraConfig: Record<string, string> = {}): EngineView {
  const provider = asEngine(new FlowlogProvider({ env: { CEN_FLOWLOG_ENDPOINT: emu.endpoint }, log: () => undefined }));
  const config: Record<string, string> = {
    'alicloud:accessKey': emu.accessKeyId,
    'alicloud:secretKey': emu.accessKeySecret,
    ...extraConfig,
  };
  void provider.configure({ config: { get: (k) => config[k] } });
  return provider;
}

async function checked(provider: EngineView, raw: Record<string, unknown>) {
  const { inputs, failures } = await provider.check({}, { __provider: 'shim', ...raw });
  expect(failures).toEqual([]);
  return { ...inputs, __provider: 'shim' } as Record<string, unknown>;
}

const base = (attachment: string | null = VPCS[0]) => ({
  regionId: REGION,
  cenId: CEN,
  transitRouterId: TR,
  ...(attachment ? { transitRouterAttachmentId: attachment } : {}),
  projectName: 'integration-project',
  logStoreName: 'integration-logstore',
  flowLogName: 'edge',
  tags: { team: 'net', env: 'test' },
});

const writes = (emu: Emulator) => emu.requests().filter((r) => r.action !== 'DescribeFlowlogs');

describe('provider against the emulator', () => {
  let emu: Emulator;
  let provider: EngineView;

  beforeEach(async () => {
    emu = await startEmulator({ delays: { createMs: 150, modifyMs: 100, deleteMs: 100 } });
    provider = providerFor(emu);
  });
  afterEach(async () => emu.close());

  it('creates, reads, updates every mutable field, toggles status, edits tags, replaces and deletes', async () => {
    const inputs = await checked(provider, base());
    const { id, outs } = await provider.create(inputs);
    expect(outs).toMatchObject({ flowLogId: id, status: 'Active', interval: 600, tags: { env: 'test', team: 'net' } });
    expect(outs.logFormatString).toMatch(/^\$\{/);
    expect(emu.flowLogs()).toHaveLength(1);

    const read = await provider.read(id, outs);
    expect(read.props).toEqual(outs);
    expect(diffFlowlog(read.props, inputs).changes).toBe(false);

    const renamed = await checked(provider, { ...base(), flowLogName: 'core', description: 'all VPC traffic', interval: 60 });
    const u1 = await provider.update(id, outs, renamed);
    expect(u1.outs).toMatchObject({ flowLogName: 'core', description: 'all VPC traffic', interval: 60 });

    const off = await provider.update(id, u1.outs, { ...renamed, status: 'Inactive' });
    expect(off.outs?.status).toBe('Inactive');
    expect(emu.flowLogs()[0].Status).toBe('Inactive');
    const on = await provider.update(id, off.outs, { ...renamed, status: 'Active' });
    expect(on.outs?.status).toBe('Active');

    emu.resetRequestLog();
    const retagged = await checked(provider, {
      ...base(),
      flowLogName: 'core',
      description: 'all VPC traffic',
      interval: 60,
      tags: { team: 'sec', owner: 'me' },
    });
    const u2 = await provider.update(id, on.outs, retagged);
    expect(u2.outs?.tags).toEqual({ owner: 'me', team: 'sec' });
    expect(emu.flowLogs()[0].Tags.Tag).toEqual(
      expect.arrayContaining([
        { Key: 'team', Value: 'sec' },
        { Key: 'owner', Value: 'me' },
      ]),
    );
    expect(
      writes(emu)
        .map((r) => r.action)
        .sort(),
    ).toEqual(['TagResources', 'UntagResources']);

    // A replacement on the same attachment: the engine deletes first (the diff says so), then creates.
    const moved = await checked(provider, { ...base(), projectName: 'other-project' });
    const plan = diffFlowlog(u2.outs!, moved);
    expect(plan).toMatchObject({ replaces: ['projectName'], deleteBeforeReplace: true });
    await provider.delete(id, u2.outs!);
    const replacement = await provider.create(moved);
    expect(replacement.id).not.toBe(id);
    expect(emu.flowLogs().map((f) => f.ProjectName)).toEqual(['other-project']);

    await provider.delete(replacement.id, replacement.outs);
    expect(emu.flowLogs()).toEqual([]);
  });

  it('creates an Inactive flow log on the whole transit router', async () => {
    const { outs } = await provider.create(await checked(provider, { ...base(null), status: 'Inactive' }));
    expect(outs).toMatchObject({ status: 'Inactive' });
    expect(outs.transitRouterAttachmentId).toBeUndefined();
    expect(emu.flowLogs()[0].Status).toBe('Inactive');
  });

  it('edits an Inactive flow log and leaves it Inactive, without waiting for Active', async () => {
    const inputs = await checked(provider, { ...base(), status: 'Inactive' });
    const { id, outs } = await provider.create(inputs);
    const started = Date.now();
    const res = await provider.update(id, outs, { ...inputs, description: 'paused' });
    expect(res.outs).toMatchObject({ status: 'Inactive', description: 'paused' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('drops a flow log deleted out of band on read, and explains an update of it', async () => {
    const { id, outs } = await provider.create(await checked(provider, base()));
    emu.deleteFlowLog(id);
    expect(await provider.read(id, outs)).toEqual({});
    await expect(provider.update(id, outs, { ...outs, flowLogName: 'x' })).rejects.toThrow(/deleted outside Pulumi.*pulumi refresh/);
  });

  it('reports drift made out of band', async () => {
    const { id, outs } = await provider.create(await checked(provider, base()));
    emu.updateFlowLog(id, { FlowLogName: 'renamed by hand', Interval: 60 });
    const read = await provider.read(id, outs);
    expect(read.props).toMatchObject({ flowLogName: 'renamed by hand', interval: 60 });
    expect(diffFlowlog(read.props, await checked(provider, base())).updates).toEqual(['flowLogName']);
  });

  it('refuses a second flow log on the same attachment, naming the existing one and how to adopt it', async () => {
    const { id } = await provider.create(await checked(provider, base()));
    const err = await provider.create(await checked(provider, { ...base(), flowLogName: 'second' })).catch((e) => e);
    expect(err.message).toContain(id);
    expect(err.message).toContain(`adopt: "${id}"`);
    expect(emu.flowLogs()).toHaveLength(1);
  });

  it.each([
    ['by id', true],
    ['by location', false],
  ])('adopts an existing flow log %s', async (_how, byId) => {
    const other = providerFor(emu);
    const existing = await other.create(await checked(other, { ...base(), flowLogName: 'made elsewhere', tags: { legacy: 'yes' } }));
    emu.resetRequestLog();
    const adopted = await provider.create(await checked(provider, { ...base(), adopt: byId ? existing.id : true }));
    expect(adopted.id).toBe(existing.id);
    expect(adopted.outs).toMatchObject({ flowLogName: 'edge', tags: { env: 'test', team: 'net' } });
    expect(emu.callCounts().CreateFlowlog ?? 0).toBe(0);
    expect(emu.flowLogs()).toHaveLength(1);
  });

  it('adopts and updates a flow log carrying system tags: never untags them, outputs and refresh leave them out', async () => {
    const other = providerFor(emu);
    const existing = await other.create(await checked(other, { ...base(), tags: { legacy: 'yes', team: 'net' } }));
    const system = [
      { Key: 'acs:rm:rgId', Value: 'rg-acfm2' },
      { Key: 'aliyun-creator', Value: 'ros' },
    ];
    emu.setSystemTags(existing.id, system);
    emu.resetRequestLog();

    // Adoption drops `legacy`, keeps `team`, adds `env`: the system tags are nobody's to change.
    const adopted = await provider.create(await checked(provider, { ...base(), adopt: existing.id }));
    expect(adopted.outs.tags).toEqual({ env: 'test', team: 'net' });
    const untagged = () => emu.requests().filter((r) => r.action === 'UntagResources');
    expect(untagged().map((r) => r.params)).toEqual([expect.objectContaining({ 'TagKey.1': 'legacy' })]);
    expect(untagged().every((r) => r.statusCode === 200 && !('TagKey.2' in r.params))).toBe(true);

    const read = await provider.read(adopted.id, adopted.outs);
    expect(read.props).toEqual(adopted.outs);
    expect(diffFlowlog(read.props, await checked(provider, base())).changes).toBe(false);

    emu.resetRequestLog();
    const updated = await provider.update(adopted.id, read.props, await checked(provider, { ...base(), tags: { env: 'prod' } }));
    expect(updated.outs?.tags).toEqual({ env: 'prod' });
    expect(untagged().map((r) => r.params)).toEqual([expect.objectContaining({ 'TagKey.1': 'team' })]);
    expect(untagged().every((r) => r.statusCode === 200 && !('TagKey.2' in r.params))).toBe(true);
    expect(emu.flowLogs()[0]!.Tags.Tag).toEqual(expect.arrayContaining(system));
    expect(emu.flowLogs()[0]!.Tags.Tag).toHaveLength(3);
  });

  it('refuses to adopt a flow log whose replace-on-change fields differ', async () => {
    const existing = await provider.create(await checked(provider, base()));
    await expect(
      provider.create(await checked(provider, { ...base(), logStoreName: 'another-store', adopt: existing.id })),
    ).rejects.toThrow(/logStoreName: declared "another-store", flow log has "integration-logstore"/);
  });

  it('surfaces a service-side rule with its code, cause and fix', async () => {
    const basic = DEFAULT_TOPOLOGY.transitRouters.find((t) => t.edition === 'Basic')!;
    const err = await provider
      .create(
        await checked(provider, { ...base(null), transitRouterId: basic.transitRouterId, regionId: basic.regionId, cenId: basic.cenId }),
      )
      .catch((e) => e);
    expect(err.code).toMatch(/^OperationUnsupported/);
    expect(err.message).toMatch(/Enterprise/);
    expect(err.requestId).toBeTruthy();
  });
});

describe('a destroy after the Log Service project or Logstore went first', () => {
  let emu: Emulator | undefined;
  afterEach(async () => emu?.close());

  async function withFlowLog(deleteWithoutLogStore: 'remove' | 'keep') {
    emu = await startEmulator({ delays: { createMs: 100, modifyMs: 100, deleteMs: 100 }, deleteWithoutLogStore });
    const provider = providerFor(emu);
    const { id, outs } = await provider.create(await checked(provider, base()));
    return { emu, provider, id, outs };
  }

  it('succeeds when the refused delete removed the flow log (no longer listed)', async () => {
    const { emu, provider, id, outs } = await withFlowLog('remove');
    emu.removeLogProject('integration-project');
    await expect(provider.delete(id, outs)).resolves.toBeUndefined();
    expect(emu.flowLogs()).toEqual([]);
    expect(emu.requests().find((r) => r.action === 'DeleteFlowlog')).toMatchObject({ code: 'SourceProjectNotExist', statusCode: 400 });
  });

  it('fails at once, naming the project, Logstore and ways out, when the service still lists it; recreated, the next destroy works', async () => {
    const { emu, provider, id, outs } = await withFlowLog('keep');
    emu.removeLogStore('integration-project', 'integration-logstore');
    const start = Date.now();
    const err = await provider.delete(id, outs).catch((e: unknown) => e);
    expect(Date.now() - start).toBeLessThan(10_000);
    expect(err).toMatchObject({ code: 'FlowlogLogDestinationGone', flowLogId: id });
    expect((err as Error).message).toMatch(
      /"integration-project" or Logstore "integration-logstore" no longer exists.*pulumi state delete/,
    );
    expect(emu.flowLogs().map((f) => f.FlowLogId)).toEqual([id]);
    // The first way out: the Logstore exists again (a flow log created into it makes it), and destroy runs again.
    const other = providerFor(emu);
    const second = await other.create(await checked(other, base(VPCS[1]!)));
    await expect(provider.delete(id, outs)).resolves.toBeUndefined();
    expect(emu.flowLogs().map((f) => f.FlowLogId)).toEqual([second.id]);
  });
});

describe('provider under injected faults', () => {
  let emu: Emulator;
  let provider: EngineView;

  beforeEach(async () => {
    emu = await startEmulator({ delays: { createMs: 100, modifyMs: 100, deleteMs: 100 } });
    provider = providerFor(emu, { 'cenFlowlog:requestTimeout': '1s' });
  });
  afterEach(async () => emu.close());

  it('rides out a throttling burst', async () => {
    emu.faults.failNext('CreateFlowlog', 3, 'Throttling.User', 400);
    const { id } = await provider.create(await checked(provider, base()));
    expect(emu.flowLogs().map((f) => f.FlowLogId)).toEqual([id]);
    expect(emu.callCounts().CreateFlowlog).toBe(4);
  });

  it('rides out 5xx answers on every kind of call', async () => {
    emu.faults.failNext('*', 2, 'ServiceUnavailable', 503);
    const inputs = await checked(provider, base());
    const { id, outs } = await provider.create(inputs);
    emu.faults.failNext('ModifyFlowLogAttribute', 2, 'InternalError', 500);
    await provider.update(id, outs, { ...inputs, flowLogName: 'x' });
    emu.faults.failNext('DeleteFlowlog', 2, 'ServiceUnavailable', 503);
    await provider.delete(id, outs);
    expect(emu.flowLogs()).toEqual([]);
  });

  it.each(['reset', 'hang'] as const)('makes exactly one flow log when the create response is lost (%s)', async (mode) => {
    emu.faults.dropResponse('CreateFlowlog', 1, mode);
    const { id } = await provider.create(await checked(provider, base()));
    expect(emu.flowLogs().map((f) => f.FlowLogId)).toEqual([id]);
    const tokens = new Set(
      emu
        .requests()
        .filter((r) => r.action === 'CreateFlowlog')
        .map((r) => r.params.ClientToken),
    );
    expect(emu.callCounts().CreateFlowlog).toBe(2);
    expect(tokens.size).toBe(1);
  });

  it('retries a connection reset before the write', async () => {
    emu.faults.resetConnection('CreateFlowlog', 2);
    await provider.create(await checked(provider, base()));
    expect(emu.flowLogs()).toHaveLength(1);
  });

  it('deletes despite a lost delete response', async () => {
    const { id, outs } = await provider.create(await checked(provider, base()));
    emu.faults.dropResponse('DeleteFlowlog', 1, 'reset');
    await provider.delete(id, outs);
    expect(emu.flowLogs()).toEqual([]);
  });

  it('records the id when the flow log stays Creating past the timeout', async () => {
    await emu.close();
    emu = await startEmulator({ delays: { createMs: 60 * 60_000 } });
    provider = providerFor(emu);
    const err = await provider.create(await checked(provider, { ...base(), timeouts: { create: '1s' } })).catch((e) => e);
    const [only] = emu.flowLogs();
    expect(only.Status).toBe('Creating');
    expect(err.id).toBe(only.FlowLogId);
    expect(err.properties).toMatchObject({ flowLogId: only.FlowLogId, __provider: 'shim' });
    expect(err.message).toMatch(/Creating/);
  });

  it('waits out a flow log stuck Modifying before an update, then applies it', async () => {
    const inputs = await checked(provider, base());
    const { id, outs } = await provider.create(inputs);
    emu.faults.stick(id, 'Modifying');
    setTimeout(() => emu.faults.unstick(id), 700);
    const res = await provider.update(id, outs, { ...inputs, flowLogName: 'after the wait' });
    expect(res.outs).toMatchObject({ flowLogName: 'after the wait', status: 'Active' });
  });
});
