/**
 * The provider plugin at the gRPC level: every RPC the engine calls, through
 * the client stub @pulumi/pulumi generates, against the plugin server in this
 * process and the emulator. What the engine would record and show is asserted,
 * and the emulator's request log says which calls reached the API.
 */
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_TOPOLOGY, Emulator, startEmulator } from '../../src/emulator';
import { UNKNOWN } from '../../src/model/check';
import { configure, emulatorConfig, Empty, initFailure, js, PluginHandle, provproto, startPlugin, struct } from '../fixtures/plugin-client';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

const ROOT = path.resolve(__dirname, '../..');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const TYPE = 'cen-flowlog:index:Flowlog';
const URN = `urn:pulumi:dev::proj::${TYPE}::one`;
const CEN = DEFAULT_TOPOLOGY.cens[0].cenId;
const TR = DEFAULT_TOPOLOGY.transitRouters.find((t) => t.regionId === 'cn-hangzhou' && t.edition === 'Enterprise')!.transitRouterId;
const VPCS = DEFAULT_TOPOLOGY.attachments.filter((a) => a.transitRouterId === TR && a.kind === 'VPC').map((a) => a.attachmentId);
const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const { DIFF_NONE, DIFF_SOME } = provproto.DiffResponse.DiffChanges;
const { UPDATE, UPDATE_REPLACE } = provproto.PropertyDiff.Kind;

const declared = { cenId: CEN, transitRouterId: TR, projectName: 'plugin-project', logStoreName: 'plugin-logstore', description: 'first' };
const writes = (emu: Emulator): string[] =>
  emu
    .requests()
    .map((r) => r.action)
    .filter((a) => !/^(Describe|List)/.test(a));

function checkRequest(news: object, olds: object = {}): provproto.CheckRequest {
  const req = new provproto.CheckRequest();
  req.setUrn(URN);
  req.setType(TYPE);
  req.setOlds(struct(olds));
  req.setNews(struct(news));
  return req;
}

function diffRequest(olds: object, news: object): provproto.DiffRequest {
  const req = new provproto.DiffRequest();
  req.setUrn(URN);
  req.setType(TYPE);
  req.setId(String((olds as { flowLogId?: string }).flowLogId ?? ''));
  req.setOlds(struct(olds));
  req.setNews(struct(news));
  return req;
}

function detailed(resp: provproto.DiffResponse): Record<string, number> {
  // toArray() gives each message in its array form: [kind, inputDiff].
  return Object.fromEntries((resp.getDetaileddiffMap().toArray() as unknown as [string, [number, boolean]][]).map(([k, d]) => [k, d[0]]));
}

function readRequest(id: string, properties: object): provproto.ReadRequest {
  const req = new provproto.ReadRequest();
  req.setId(id);
  req.setUrn(URN);
  req.setProperties(struct(properties));
  return req;
}

describe('the provider plugin over gRPC', () => {
  let emu: Emulator;
  let plugin: PluginHandle;

  async function check(news: object): Promise<Record<string, unknown>> {
    const resp = await plugin.rpc.check(checkRequest(news));
    expect(resp.getFailuresList().map((f) => f.getReason())).toEqual([]);
    return js(resp.getInputs());
  }

  async function create(news: object, timeoutSeconds = 0) {
    const req = new provproto.CreateRequest();
    req.setUrn(URN);
    req.setType(TYPE);
    req.setProperties(struct(await check(news)));
    req.setTimeout(timeoutSeconds);
    const resp = await plugin.rpc.create(req);
    return { id: resp.getId(), outs: js(resp.getProperties()) };
  }

  beforeAll(async () => {
    emu = await startEmulator({ delays: { createMs: 150, modifyMs: 100, deleteMs: 100 } });
    plugin = await startPlugin();
    await configure(plugin, emulatorConfig(emu));
  });
  afterAll(async () => {
    await plugin.close();
    await emu.close();
  });
  beforeEach(() => emu.resetRequestLog());

  it('reports the npm version and serves the schema it was built from', async () => {
    expect((await plugin.rpc.getPluginInfo(new Empty())).getVersion()).toBe(VERSION);
    const schema = JSON.parse((await plugin.rpc.getSchema(new provproto.GetSchemaRequest())).getSchema());
    expect(schema.name).toBe('cen-flowlog');
    expect(schema.version).toBe(VERSION);
    expect(Object.keys(schema.resources)).toEqual([TYPE]);
    expect(Object.keys(schema.functions)).toEqual(['cen-flowlog:index:getFlowlogs']);
    expect(schema.provider.inputProperties.secretKey.secret).toBe(true);
  });

  it('answers the handshake and Configure with what it supports', async () => {
    const hs = await plugin.rpc.handshake(new provproto.ProviderHandshakeRequest());
    expect(hs.getAcceptSecrets()).toBe(false);
    const resp = await configure(plugin, emulatorConfig(emu));
    expect(resp.getSupportspreview()).toBe(true);
    expect(resp.getAcceptsecrets()).toBe(false);
  });

  it('CheckConfig names each bad setting and returns the credentials as secrets', async () => {
    const bad = await plugin.rpc.checkConfig(
      checkRequest({ region: 'Hangzhou', endpoint: 'http://cbn.example.com', requestsPerSecond: -1, requestTimeout: 'soon', colour: 'x' }),
    );
    const failures = Object.fromEntries(bad.getFailuresList().map((f) => [f.getProperty(), f.getReason()]));
    expect(Object.keys(failures).sort()).toEqual(['colour', 'endpoint', 'region', 'requestTimeout', 'requestsPerSecond']);
    expect(failures.endpoint).toContain('cen-flowlog:endpoint');
    expect(failures.endpoint).toContain('plain HTTP');
    expect(failures.requestTimeout).toContain('cen-flowlog:requestTimeout');
    expect(failures.region).toContain('cn-hangzhou');

    const good = await plugin.rpc.checkConfig(checkRequest({ ...emulatorConfig(emu), securityToken: 'sts-token' }));
    expect(good.getFailuresList()).toEqual([]);
    const recorded = js(good.getInputs());
    expect(recorded.secretKey).toEqual({ [SECRET_SIG]: '1b47061264138c4ac30d75fd1eb44270', value: emu.accessKeySecret });
    expect(recorded.securityToken).toEqual({ [SECRET_SIG]: '1b47061264138c4ac30d75fd1eb44270', value: 'sts-token' });
    expect(recorded.region).toBe('cn-hangzhou');
  });

  it('DiffConfig: another region is an update of the provider, never a replacement', async () => {
    const same = await plugin.rpc.diffConfig(diffRequest(emulatorConfig(emu), emulatorConfig(emu)));
    expect(same.getChanges()).toBe(DIFF_NONE);
    const moved = await plugin.rpc.diffConfig(diffRequest(emulatorConfig(emu), emulatorConfig(emu, 'cn-shanghai')));
    expect(moved.getChanges()).toBe(DIFF_SOME);
    expect(moved.getReplacesList()).toEqual([]);
    expect(detailed(moved)).toEqual({ region: UPDATE });
  });

  it('Check normalises inputs, fills the region from the provider, and names each bad property', async () => {
    const inputs = await check({ ...declared, interval: '60' });
    expect(inputs).toMatchObject({ regionId: 'cn-hangzhou', interval: 60, status: 'Active', tags: {} });
    const resp = await plugin.rpc.check(checkRequest({ ...declared, interval: 30, status: 'inactive', colour: 'x' }));
    const failures = Object.fromEntries(resp.getFailuresList().map((f) => [f.getProperty(), f.getReason()]));
    expect(Object.keys(failures).sort()).toEqual(['colour', 'interval', 'status']);
    expect(failures.status).toContain('did you mean "Inactive"?');
    // An unknown value (preview) is never an error.
    expect((await plugin.rpc.check(checkRequest({ ...declared, description: UNKNOWN }))).getFailuresList()).toEqual([]);
  });

  it('previews a create without any API call, the id unknown and the declared fields known', async () => {
    const req = new provproto.CreateRequest();
    req.setUrn(URN);
    req.setType(TYPE);
    req.setProperties(struct(await check(declared)));
    req.setPreview(true);
    const resp = await plugin.rpc.create(req);
    expect(resp.getId()).toBe('');
    expect(js(resp.getProperties())).toMatchObject({ description: 'first', flowLogId: UNKNOWN, creationTime: UNKNOWN, interval: UNKNOWN });
    expect(emu.requests()).toEqual([]);
  });

  it('creates, diffs per property, previews an update with the id known, updates, refreshes, imports, finds and deletes', async () => {
    const { id, outs } = await create(declared);
    expect(id).toMatch(/^flowlog-/);
    expect(outs).toMatchObject({ flowLogId: id, description: 'first', status: 'Active', interval: 600 });
    expect(writes(emu)).toEqual(['CreateFlowlog']);

    // Diff: an in-place change and a replacing one, each named with its kind.
    const edited = await check({ ...declared, description: 'second' });
    const inPlace = await plugin.rpc.diff(diffRequest(outs, edited));
    expect(inPlace.getChanges()).toBe(DIFF_SOME);
    expect(detailed(inPlace)).toEqual({ description: UPDATE });
    expect(inPlace.getReplacesList()).toEqual([]);
    expect(inPlace.getStablesList()).toEqual(expect.arrayContaining(['flowLogId', 'creationTime', 'cenId']));
    const moved = await plugin.rpc.diff(diffRequest(outs, await check({ ...declared, projectName: 'other-project' })));
    expect(detailed(moved)).toEqual({ projectName: UPDATE_REPLACE });
    expect(moved.getReplacesList()).toEqual(['projectName']);
    expect(moved.getDeletebeforereplace()).toBe(true);
    expect((await plugin.rpc.diff(diffRequest(outs, await check(declared)))).getChanges()).toBe(DIFF_NONE);

    // Update preview: every output but the changed one stays as recorded; nothing is sent.
    emu.resetRequestLog();
    const update = (preview: boolean, news: object) => {
      const req = new provproto.UpdateRequest();
      req.setUrn(URN);
      req.setType(TYPE);
      req.setId(id);
      req.setOlds(struct(outs));
      req.setNews(struct(news));
      req.setPreview(preview);
      return plugin.rpc.update(req);
    };
    const preview = js((await update(true, edited)).getProperties());
    expect(preview).toEqual({ ...outs, description: 'second' });
    expect(emu.requests()).toEqual([]);
    const updated = js((await update(false, edited)).getProperties());
    expect(updated).toMatchObject({ flowLogId: id, creationTime: outs.creationTime, description: 'second' });
    expect(writes(emu)).toEqual(['ModifyFlowLogAttribute']);

    // Refresh: the recorded outputs in, the service's view out.
    emu.updateFlowLog(id, { FlowLogName: 'renamed' });
    const read = (properties: object) => {
      const req = new provproto.ReadRequest();
      req.setId(id);
      req.setUrn(URN);
      req.setProperties(struct(properties));
      req.setInputs(struct({}));
      return plugin.rpc.read(req);
    };
    const refreshed = await read(updated);
    expect(refreshed.getId()).toBe(id);
    expect(js(refreshed.getProperties())).toMatchObject({ flowLogName: 'renamed', description: 'second' });

    // Import: no recorded state; the inputs it returns check clean and diff as no change; nothing is written.
    emu.resetRequestLog();
    const imported = await read({});
    const importedInputs = js(imported.getInputs());
    expect(importedInputs).toMatchObject({ regionId: 'cn-hangzhou', cenId: CEN, transitRouterId: TR, description: 'second' });
    expect(importedInputs).not.toHaveProperty('flowLogId');
    const rechecked = await check(importedInputs);
    expect((await plugin.rpc.diff(diffRequest(js(imported.getProperties()), rechecked))).getChanges()).toBe(DIFF_NONE);
    expect(writes(emu)).toEqual([]);

    // getFlowlogs through Invoke, with the provider's region as the default filter.
    const invoke = new provproto.InvokeRequest();
    invoke.setTok('cen-flowlog:index:getFlowlogs');
    invoke.setArgs(struct({ cenId: CEN }));
    const found = js((await plugin.rpc.invoke(invoke)).getReturn());
    expect(found.ids).toEqual([id]);
    invoke.setArgs(struct({ interval: 30 }));
    const refused = await plugin.rpc.invoke(invoke);
    expect(refused.getFailuresList().map((f) => f.getProperty())).toEqual(['interval']);

    // Delete, then a refresh finds it gone.
    emu.resetRequestLog();
    const del = new provproto.DeleteRequest();
    del.setId(id);
    del.setUrn(URN);
    del.setProperties(struct(updated));
    await plugin.rpc.delete(del);
    expect(writes(emu)).toEqual(['DeleteFlowlog']);
    expect(emu.flowLogs()).toEqual([]);
    expect((await read(updated)).getId()).toBe('');
  });

  it('import of an unknown id fails clearly, naming the id and the region', async () => {
    const req = new provproto.ReadRequest();
    req.setId('flowlog-doesnotexist');
    req.setUrn(URN);
    await expect(plugin.rpc.read(req)).rejects.toThrow(/flowlog-doesnotexist.*no flow log with this id exists in cn-hangzhou/);
    expect(writes(emu)).toEqual([]);
  });

  it('refuses what this package does not have: another type, another function, parameters', async () => {
    await expect(
      plugin.rpc.check(
        (() => {
          const r = checkRequest(declared);
          r.setType('cen-flowlog:index:Other');
          return r;
        })(),
      ),
    ).rejects.toThrow(/manages cen-flowlog:index:Flowlog only/);
    const invoke = new provproto.InvokeRequest();
    invoke.setTok('cen-flowlog:index:getOther');
    await expect(plugin.rpc.invoke(invoke)).rejects.toThrow(/no function cen-flowlog:index:getOther/);
    await expect(plugin.rpc.parameterize(new provproto.ParameterizeRequest())).rejects.toThrow(/takes no parameters/);
    expect((await plugin.rpc.getMappings(new provproto.GetMappingsRequest())).getProvidersList()).toEqual([]);
  });
});

describe('the provider plugin: a Delete after the Log Service project or Logstore went first', () => {
  let emu: Emulator | undefined;
  let plugin: PluginHandle | undefined;
  afterEach(async () => {
    await plugin?.close();
    await emu?.close();
  });

  /** A flow log made through the plugin, on an emulator that answers a refused delete as told. */
  async function withFlowLog(deleteWithoutLogStore: 'remove' | 'keep') {
    emu = await startEmulator({ delays: { createMs: 100, modifyMs: 100, deleteMs: 100 }, deleteWithoutLogStore });
    plugin = await startPlugin();
    await configure(plugin, emulatorConfig(emu));
    const { id, outs } = await createThrough(plugin, declared);
    return { emu, plugin, id, outs };
  }

  async function createThrough(plugin: PluginHandle, news: object) {
    const checked = await plugin.rpc.check(checkRequest(news));
    expect(checked.getFailuresList().map((f) => f.getReason())).toEqual([]);
    const req = new provproto.CreateRequest();
    req.setUrn(URN);
    req.setType(TYPE);
    req.setProperties(checked.getInputs());
    const resp = await plugin.rpc.create(req);
    return { id: resp.getId(), outs: js(resp.getProperties()) };
  }

  /** The engine's Delete, with a customTimeouts delete of ten minutes. */
  function deleteRequest(id: string, outs: object): provproto.DeleteRequest {
    const del = new provproto.DeleteRequest();
    del.setId(id);
    del.setUrn(URN);
    del.setType(TYPE);
    del.setProperties(struct(outs));
    del.setTimeout(600);
    return del;
  }

  it('succeeds when the refused delete removed the flow log (no longer listed)', async () => {
    const { emu, plugin, id, outs } = await withFlowLog('remove');
    emu.removeLogProject(declared.projectName);
    emu.resetRequestLog();
    await expect(plugin.rpc.delete(deleteRequest(id, outs))).resolves.toBeInstanceOf(Empty);
    expect(emu.flowLogs()).toEqual([]);
    expect(emu.requests().find((r) => r.action === 'DeleteFlowlog')).toMatchObject({ code: 'SourceProjectNotExist', statusCode: 400 });
    expect(emu.requests().map((r) => r.action)).toContain('DescribeFlowlogs');
  });

  it('fails at once with the project and Logstore named when the service still lists it; recreated, the next Delete works', async () => {
    const { emu, plugin, id, outs } = await withFlowLog('keep');
    emu.removeLogStore(declared.projectName, declared.logStoreName);
    const started = Date.now();
    const err = (await plugin.rpc.delete(deleteRequest(id, outs)).catch((e: unknown) => e)) as grpc.ServiceError;
    expect(Date.now() - started).toBeLessThan(10_000);
    // What the engine shows: the gRPC status's text, naming the flow log, the project, the Logstore and the ways out.
    expect(err.code).toBe(grpc.status.UNKNOWN);
    expect(err.details).toMatch(
      new RegExp(`${id} cannot be deleted: .*"plugin-project" or Logstore "plugin-logstore" no longer exists.*pulumi state delete`),
    );
    // Not a partial failure: the engine keeps the flow log in the stack as it was.
    expect(initFailure(err)).toBeUndefined();
    expect(emu.flowLogs().map((f) => f.FlowLogId)).toEqual([id]);

    // The first way out: a flow log created into the same project and Logstore makes them again.
    const second = await createThrough(plugin, { ...declared, transitRouterAttachmentId: VPCS[0]! });
    await expect(plugin.rpc.delete(deleteRequest(id, outs))).resolves.toBeInstanceOf(Empty);
    expect(emu.flowLogs().map((f) => f.FlowLogId)).toEqual([second.id]);
  });
});

describe('the provider plugin: customTimeouts and Cancel', () => {
  let emu: Emulator;
  beforeAll(async () => {
    // Creates that take a minute: only a timeout or a cancel ends them.
    emu = await startEmulator({ delays: { createMs: 60_000, modifyMs: 100, deleteMs: 100 } });
  });
  afterAll(async () => emu.close());

  /** Each test's flow log on its own attachment: the service allows one flow log per location. */
  async function startCreate(plugin: PluginHandle, timeoutSeconds: number, logStoreName: string, attachment: string) {
    await configure(plugin, emulatorConfig(emu));
    const check = await plugin.rpc.check(checkRequest({ ...declared, logStoreName, transitRouterAttachmentId: attachment }));
    const req = new provproto.CreateRequest();
    req.setUrn(URN);
    req.setType(TYPE);
    req.setProperties(check.getInputs());
    req.setTimeout(timeoutSeconds);
    return plugin.rpc.create(req);
  }

  it('a create that outlives its customTimeouts is recorded as a partial failure with its id, never orphaned', async () => {
    const plugin = await startPlugin();
    try {
      const started = Date.now();
      const err = (await startCreate(plugin, 1, 'timeout-logstore', VPCS[0]!).catch((e: unknown) => e)) as grpc.ServiceError;
      expect(Date.now() - started).toBeLessThan(20_000);
      const detail = initFailure(err);
      const id = emu.flowLogs().find((f) => f.LogStoreName === 'timeout-logstore')!.FlowLogId;
      expect(detail?.getId()).toBe(id);
      expect(js(detail?.getProperties())).toMatchObject({ flowLogId: id, logStoreName: 'timeout-logstore' });
      expect(detail?.getReasonsList().join()).toContain(id);
    } finally {
      await plugin.close();
    }
  });

  it('customTimeouts for update and delete bound their waits; an update that runs out is recorded as a partial failure', async () => {
    const plugin = await startPlugin();
    try {
      await configure(plugin, emulatorConfig(emu));
      // A flow log that exists and is Active, then kept mid-transition: no wait on it can end.
      const seeded = { FlowLogId: emu.seedFlowLogs(1)[0]! };
      const outs = { ...js((await plugin.rpc.read(readRequest(seeded.FlowLogId, {}))).getProperties()) };
      emu.faults.stick(seeded.FlowLogId, 'Modifying');
      const update = new provproto.UpdateRequest();
      update.setId(seeded.FlowLogId);
      update.setUrn(URN);
      update.setOlds(struct(outs));
      update.setNews(struct({ ...outs, description: 'changed' }));
      update.setTimeout(1);
      const started = Date.now();
      const err = (await plugin.rpc.update(update).catch((e: unknown) => e)) as grpc.ServiceError;
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(initFailure(err)?.getId()).toBe(seeded.FlowLogId);

      emu.faults.stick(seeded.FlowLogId, 'Deleting');
      const del = new provproto.DeleteRequest();
      del.setId(seeded.FlowLogId);
      del.setUrn(URN);
      del.setProperties(struct(outs));
      del.setTimeout(1);
      await expect(plugin.rpc.delete(del)).rejects.toThrow(new RegExp(seeded.FlowLogId));
      expect(Date.now() - started).toBeLessThan(40_000);
    } finally {
      emu.faults.clear();
      await plugin.close();
    }
  });

  it('Cancel ends a create wait at once; the flow log is recorded as a partial failure', async () => {
    const plugin = await startPlugin();
    try {
      let settled = false;
      const pending = startCreate(plugin, 0, 'cancel-logstore', VPCS[1]!)
        .catch((e: unknown) => e as grpc.ServiceError)
        .finally(() => (settled = true));
      while (!settled && !emu.flowLogs().some((f) => f.LogStoreName === 'cancel-logstore')) await new Promise((r) => setTimeout(r, 20));
      expect(settled).toBe(false);
      const cancelledAt = Date.now();
      await plugin.rpc.cancel(new Empty());
      const err = (await pending) as grpc.ServiceError;
      expect(Date.now() - cancelledAt).toBeLessThan(2_000);
      expect(err.details).toContain('cancelled');
      const id = emu.flowLogs().find((f) => f.LogStoreName === 'cancel-logstore')!.FlowLogId;
      expect(initFailure(err)?.getId()).toBe(id);
    } finally {
      await plugin.close();
    }
  });
});
