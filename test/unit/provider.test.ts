/**
 * The provider's orchestration against a fake API (the one seam) and a fake
 * clock: what a user would notice — the flow log that results, the state
 * recorded, the errors — not the order of calls.
 */
import { asEngine } from '../fixtures/engine';
import { FlowlogProvider } from '../../src/core/provider';
import { Account } from '../../src/core/session';
import { FakeCenApi, apiError, networkError } from '../fixtures/fake-api';
import { FakeClock } from '../fixtures/fake-clock';

const inputs = {
  regionId: 'cn-hangzhou',
  cenId: 'cen-fake',
  transitRouterId: 'tr-1',
  transitRouterAttachmentId: 'tr-attach-1',
  projectName: 'flowlog-project',
  logStoreName: 'flowlog-logstore',
  flowLogName: 'edge',
  tags: { team: 'net' },
  status: 'Active',
  __provider: 'shim text',
};

/** FakeCenApi numbers flow logs from 1. */
const FIRST_ID = 'flowlog-fake000001';

function setup() {
  const api = new FakeCenApi();
  const clock = new FakeClock();
  const lines: string[] = [];
  const account = new Account(api, clock);
  const provider = asEngine(
    new FlowlogProvider({
      clock,
      env: {},
      log: (l) => lines.push(l),
      sessions: (_settings, deadline) => account.session(deadline, (l) => lines.push(l)),
    }),
  );
  return { api, clock, provider, lines };
}

describe('create', () => {
  it('creates, waits until Active and returns every output', async () => {
    const { api, provider } = setup();
    api.createStatus = 'Creating';
    api.scriptStatuses(FIRST_ID, ['Creating', 'Creating', 'Active']);
    const { id: created, outs } = await provider.create(inputs);
    expect(created).toMatch(/^flowlog-/);
    expect(outs).toMatchObject({ flowLogId: created, status: 'Active', flowLogName: 'edge', tags: { team: 'net' }, interval: 600 });
    expect(api.flowLogs.size).toBe(1);
  });

  it('sends tags with the create call and never a second TagResources', async () => {
    const { api, provider } = setup();
    await provider.create(inputs);
    expect(api.count('tagResources')).toBe(0);
    expect([...api.flowLogs.values()][0].Tags).toEqual([{ Key: 'team', Value: 'net' }]);
  });

  it('creates an Inactive flow log by deactivating it once Active', async () => {
    const { api, provider } = setup();
    const { outs } = await provider.create({ ...inputs, status: 'Inactive' });
    expect(outs.status).toBe('Inactive');
    expect([...api.flowLogs.values()][0].Status).toBe('Inactive');
  });

  it('retries a lost create response with the same ClientToken: exactly one flow log', async () => {
    const { api, provider } = setup();
    const real = api.createFlowlog.bind(api);
    let first = true;
    api.createFlowlog = async (req) => {
      const res = await real(req);
      if (first) {
        first = false;
        throw networkError('ECONNRESET', 'CreateFlowlog');
      }
      return res;
    };
    const { id } = await provider.create(inputs);
    expect(api.flowLogs.size).toBe(1);
    const tokens = api.calls.filter((c) => c.method === 'createFlowlog').map((c) => (c.req as { ClientToken: string }).ClientToken);
    expect(tokens).toHaveLength(2);
    expect(new Set(tokens).size).toBe(1);
    expect(api.flowLogs.has(id)).toBe(true);
  });

  it('records the flow log when the create answer is lost and the service fails until the deadline', async () => {
    const { api, provider } = setup();
    const real = api.createFlowlog.bind(api);
    let calls = 0;
    api.createFlowlog = async (req) => {
      calls++;
      if (calls === 1) {
        await real(req);
        throw networkError('ECONNRESET', 'CreateFlowlog');
      }
      throw apiError('ServiceUnavailable', 503, 'CreateFlowlog');
    };
    const err = await provider.create({ ...inputs, timeouts: { create: '20s' } }).catch((e) => e);
    expect(api.flowLogs.size).toBe(1);
    expect(err.id).toBe([...api.flowLogs.keys()][0]);
    expect(err.properties).toMatchObject({ flowLogId: err.id, __provider: 'shim text' });
    expect(err.reasons[0]).toMatch(/exists but the operation did not finish/);
  });

  it('does not take over a flow log on the location that another tool made', async () => {
    const { api, provider } = setup();
    api.add({
      FlowLogId: 'flowlog-other',
      TransitRouterId: 'tr-1',
      TransitRouterAttachmentId: 'tr-attach-1',
      ProjectName: 'someone-else',
      LogStoreName: 'theirs',
    });
    api.failNext('createFlowlog', ...Array.from({ length: 200 }, () => networkError('ETIMEDOUT', 'CreateFlowlog')));
    const err = await provider.create({ ...inputs, timeouts: { create: '10s' } }).catch((e) => e);
    expect(err.id).toBeUndefined();
    expect(err.code).toBe('ETIMEDOUT');
  });

  it('never lets one HTTP attempt run past the create timeout', async () => {
    const { api, provider, clock } = setup();
    const timeouts: number[] = [];
    const real = api.createFlowlog.bind(api);
    api.createFlowlog = async (req, opts) => {
      timeouts.push(opts?.timeoutMs ?? Number.POSITIVE_INFINITY);
      await clock.sleep(opts?.timeoutMs ?? 60_000);
      if (timeouts.length < 3) throw networkError('RequestTimeout', 'CreateFlowlog');
      return real(req);
    };
    const start = clock.now();
    await provider.create({ ...inputs, timeouts: { create: '3s' } }).catch(() => undefined);
    expect(timeouts.length).toBeGreaterThan(0);
    expect(Math.max(...timeouts)).toBeLessThanOrEqual(3_000);
    expect(clock.now() - start).toBeLessThanOrEqual(3_000 + 15_000); // the timeout, then the short look for the flow log
  });

  it('retries throttling and 5xx, then succeeds', async () => {
    const { api, provider, lines } = setup();
    api.failNext('createFlowlog', apiError('Throttling.User'), apiError('ServiceUnavailable', 503));
    await provider.create(inputs);
    expect(api.flowLogs.size).toBe(1);
    expect(lines.join('\n')).toMatch(/Throttling.User, retrying/);
  });

  it('never retries a parameter error', async () => {
    const { api, provider } = setup();
    api.failNext('createFlowlog', apiError('InvalidParameter.LogFormatString'));
    await expect(provider.create(inputs)).rejects.toMatchObject({ code: 'InvalidParameter.LogFormatString' });
    expect(api.count('createFlowlog')).toBe(1);
  });

  it('records the flow log (partial failure with id and __provider) when the wait times out', async () => {
    const { api, provider } = setup();
    api.createStatus = 'Creating';
    const err = await provider.create({ ...inputs, timeouts: { create: '30s' } }).catch((e) => e);
    expect(err.id).toMatch(/^flowlog-/);
    expect(err.properties).toMatchObject({ flowLogId: err.id, __provider: 'shim text', projectName: 'flowlog-project' });
    expect(err.reasons[0]).toMatch(/Creating/);
    expect(err.reasons[0]).toMatch(/30s|30\.0s|30 s/);
  });

  it('fails fast when the flow log turns up in a status that cannot become Active', async () => {
    const { api, provider, clock } = setup();
    const start = clock.now();
    api.createStatus = 'Creating';
    api.scriptStatuses(FIRST_ID, ['Creating', 'Deleting']);
    const err = await provider.create(inputs).catch((e) => e);
    expect(err.id).toBe(FIRST_ID);
    expect(err.message).toMatch(/Deleting/);
    expect(clock.now() - start).toBeLessThan(60_000);
  });

  it('names the existing flow log and how to adopt it when the attachment already has one', async () => {
    const { api, provider } = setup();
    api.add({ FlowLogId: 'flowlog-there', CenId: 'cen-fake', TransitRouterId: 'tr-1', TransitRouterAttachmentId: 'tr-attach-1' });
    api.failNext('createFlowlog', apiError('Flowlog.AlreayExist'));
    const err = await provider.create(inputs).catch((e) => e);
    expect(err.message).toMatch(/flowlog-there/);
    expect(err.message).toMatch(/adopt: "flowlog-there"/);
  });
});

describe('adoption', () => {
  const existing = {
    FlowLogId: 'flowlog-old',
    CenId: 'cen-fake',
    TransitRouterId: 'tr-1',
    TransitRouterAttachmentId: 'tr-attach-1',
    ProjectName: 'flowlog-project',
    LogStoreName: 'flowlog-logstore',
    FlowLogName: 'legacy',
    Tags: [{ Key: 'old', Value: '1' }],
  };

  it.each([
    ['by id', 'flowlog-old'],
    ['by location', true],
  ])('takes over an existing flow log %s and converges it', async (_how, adopt) => {
    const { api, provider } = setup();
    api.add(existing);
    const { id, outs } = await provider.create({ ...inputs, adopt });
    expect(id).toBe('flowlog-old');
    expect(api.count('createFlowlog')).toBe(0);
    expect(outs).toMatchObject({ flowLogName: 'edge', tags: { team: 'net' } });
  });

  it('adopts a flow log carrying system tags without untagging them, and leaves them out of the outputs', async () => {
    const { api, provider } = setup();
    const system = [
      { Key: 'acs:rm:rgId', Value: 'rg-1' },
      { Key: 'aliyun-creator', Value: 'ros' },
    ];
    api.add({ ...existing, Tags: [...system, { Key: 'team', Value: 'net' }] });
    const { outs } = await provider.create({ ...inputs, adopt: 'flowlog-old' });
    expect(outs.tags).toEqual({ team: 'net' });
    expect(api.count('untagResources') + api.count('tagResources')).toBe(0);
    expect(api.flowLogs.get('flowlog-old')!.Tags).toEqual(expect.arrayContaining(system));
  });

  it('refuses when a replace-on-change field differs, naming it', async () => {
    const { api, provider } = setup();
    api.add({ ...existing, ProjectName: 'other-project' });
    await expect(provider.create({ ...inputs, adopt: 'flowlog-old' })).rejects.toThrow(
      /projectName: declared "flowlog-project", flow log has "other-project"/,
    );
  });

  it('says so when there is nothing to adopt', async () => {
    const { provider } = setup();
    await expect(provider.create({ ...inputs, adopt: true })).rejects.toThrow(/no flow log exists on attachment tr-attach-1/);
  });
});

describe('read', () => {
  it('returns the service view and the inputs, so refresh shows real drift only', async () => {
    const { api, provider } = setup();
    const { id, outs } = await provider.create(inputs);
    api.flowLogs.get(id)!.FlowLogName = 'changed outside';
    const res = await provider.read(id, outs);
    expect(res.id).toBe(id);
    expect(res.props).toMatchObject({ flowLogName: 'changed outside', tags: { team: 'net' } });
    expect(res.inputs).toMatchObject({ flowLogName: 'changed outside', projectName: 'flowlog-project' });
  });

  it('returns an empty result when the flow log is gone', async () => {
    const { api, provider } = setup();
    const { id, outs } = await provider.create(inputs);
    api.flowLogs.delete(id);
    expect(await provider.read(id, outs)).toEqual({});
  });

  it('treats a transient error as an error, never as gone', async () => {
    const { api, provider } = setup();
    const { id, outs } = await provider.create(inputs);
    api.failNext('describeFlowlogs', ...Array.from({ length: 500 }, () => apiError('ServiceUnavailable', 503)));
    await expect(provider.read(id, outs)).rejects.toMatchObject({ code: 'ServiceUnavailable' });
  });
});

describe('update', () => {
  async function created(extra: Record<string, unknown> = {}) {
    const ctx = setup();
    const { id, outs } = await ctx.provider.create({ ...inputs, ...extra });
    return { ...ctx, id, outs };
  }

  it('changes name, description and interval with one ModifyFlowLogAttribute', async () => {
    const { api, provider, id, outs } = await created();
    const res = await provider.update(id, outs, { ...inputs, flowLogName: 'core', description: 'd', interval: 60 });
    expect(res.outs).toMatchObject({ flowLogName: 'core', description: 'd', interval: 60 });
    expect(api.count('modifyFlowLogAttribute')).toBe(1);
    expect(api.count('tagResources') + api.count('untagResources')).toBe(0);
  });

  it('tags and untags only the difference', async () => {
    const { api, provider, id, outs } = await created({ tags: { keep: '1', change: 'a', drop: 'x' } });
    const res = await provider.update(id, outs, { ...inputs, tags: { keep: '1', change: 'b', add: 'n' } });
    expect(res.outs?.tags).toEqual({ add: 'n', change: 'b', keep: '1' });
    const tagged = api.calls.filter((c) => c.method === 'tagResources').map((c) => (c.req as { Tags: unknown }).Tags);
    const untagged = api.calls.filter((c) => c.method === 'untagResources').map((c) => (c.req as { TagKeys: unknown }).TagKeys);
    expect(tagged).toHaveLength(1);
    expect(tagged[0]).toEqual(
      expect.arrayContaining([
        { Key: 'add', Value: 'n' },
        { Key: 'change', Value: 'b' },
      ]),
    );
    expect(tagged[0]).toHaveLength(2);
    expect(untagged).toEqual([['drop']]);
  });

  it('untags only the removed user tag, never the system tags the platform put on the flow log', async () => {
    const { api, provider, id, outs } = await created({ tags: { team: 'net', drop: 'x' } });
    const system = [{ Key: 'acs:rm:rgId', Value: 'rg-1' }];
    api.flowLogs.get(id)!.Tags.push(...system);
    const res = await provider.update(id, outs, { ...inputs, tags: { team: 'net' } });
    expect(res.outs?.tags).toEqual({ team: 'net' });
    const untagged = api.calls.filter((c) => c.method === 'untagResources').map((c) => (c.req as { TagKeys: unknown }).TagKeys);
    expect(untagged).toEqual([['drop']]);
    expect(api.flowLogs.get(id)!.Tags).toEqual(expect.arrayContaining(system));
  });

  it('deactivates and reactivates', async () => {
    const { provider, id, outs } = await created();
    const off = await provider.update(id, outs, { ...inputs, status: 'Inactive' });
    expect(off.outs?.status).toBe('Inactive');
    const on = await provider.update(id, off.outs, { ...inputs, status: 'Active' });
    expect(on.outs?.status).toBe('Active');
  });

  it('edits an Inactive flow log without waiting for Active', async () => {
    const { api, provider, clock, id, outs } = await created({ status: 'Inactive' });
    const start = clock.now();
    const res = await provider.update(id, outs, { ...inputs, status: 'Inactive', flowLogName: 'renamed' });
    expect(res.outs).toMatchObject({ status: 'Inactive', flowLogName: 'renamed' });
    expect(api.count('activeFlowLog')).toBe(0);
    expect(clock.now() - start).toBeLessThan(5_000);
  });

  it('waits while a change of attributes is applied before changing the status', async () => {
    const { api, provider, clock, id, outs } = await created();
    // ModifyFlowLogAttribute is asynchronous: Modifying for 2 s, and other writes are refused meanwhile.
    const realModify = api.modifyFlowLogAttribute.bind(api);
    api.modifyFlowLogAttribute = async (req) => {
      const res = await realModify(req);
      const fl = api.flowLogs.get(id)!;
      fl.Status = 'Modifying';
      void clock.sleep(2_000).then(() => {
        fl.Status = 'Active';
      });
      return res;
    };
    const realDeactive = api.deactiveFlowLog.bind(api);
    let refused = 0;
    api.deactiveFlowLog = async (req) => {
      if (api.flowLogs.get(id)?.Status === 'Modifying') {
        refused++;
        throw apiError('IncorrectStatus.flowlog', 400, 'DeactiveFlowLog');
      }
      return realDeactive(req);
    };
    const res = await provider.update(id, outs, { ...inputs, flowLogName: 'renamed', status: 'Inactive' });
    expect(res.outs).toMatchObject({ flowLogName: 'renamed', status: 'Inactive' });
    expect(refused).toBe(0);
    expect(api.count('modifyFlowLogAttribute')).toBe(1);
    expect(api.count('deactiveFlowLog')).toBe(1);
  });

  it('explains how to recover when the flow log was deleted outside Pulumi', async () => {
    const { api, provider, id, outs } = await created();
    api.flowLogs.delete(id);
    await expect(provider.update(id, outs, { ...inputs, flowLogName: 'x' })).rejects.toThrow(/pulumi refresh/);
  });
});

describe('delete', () => {
  it('deletes and waits until gone', async () => {
    const { api, provider } = setup();
    const { id, outs } = await provider.create(inputs);
    await provider.delete(id, outs);
    expect(api.flowLogs.size).toBe(0);
  });

  it('counts an already deleted flow log as success', async () => {
    const { api, provider } = setup();
    const { id, outs } = await provider.create(inputs);
    api.flowLogs.delete(id);
    await expect(provider.delete(id, outs)).resolves.toBeUndefined();
  });

  it.each(['ProjectOrLogstoreNotExist', 'SourceProjectNotExist'])(
    'counts a delete refused with %s as done when the service no longer lists the flow log',
    async (code) => {
      const { api, provider } = setup();
      const { id, outs } = await provider.create(inputs);
      api.onCall = (method) => {
        if (method === 'deleteFlowlog') api.flowLogs.delete(id);
      };
      api.failNext('deleteFlowlog', apiError(code, 400, 'DeleteFlowlog'));
      await expect(provider.delete(id, outs)).resolves.toBeUndefined();
    },
  );

  it.each(['ProjectOrLogstoreNotExist', 'SourceProjectNotExist'])(
    'fails a delete refused with %s at once, naming the project, Logstore and ways out, while the service still lists it',
    async (code) => {
      const { api, clock, provider } = setup();
      const { id, outs } = await provider.create(inputs);
      api.failNext('deleteFlowlog', apiError(code, 400, 'DeleteFlowlog'));
      const start = clock.now();
      const err = await provider.delete(id, outs).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'FlowlogLogDestinationGoneError', code: 'FlowlogLogDestinationGone', flowLogId: id });
      expect((err as Error).message).toMatch(
        /"flowlog-project" or Logstore "flowlog-logstore" no longer exists.*recreate that project and Logstore and run `pulumi destroy`.*`pulumi state delete <urn>`/,
      );
      expect((err as Error & { cause: { code: string } }).cause.code).toBe(code);
      expect(clock.now() - start).toBeLessThan(5_000);
      expect(api.flowLogs.has(id)).toBe(true);
    },
  );

  it('waits out a flow log the service shows Deleting after such a refusal (the delete took effect)', async () => {
    const { api, provider } = setup();
    const { id, outs } = await provider.create(inputs);
    api.failNext('deleteFlowlog', apiError('ProjectOrLogstoreNotExist', 400, 'DeleteFlowlog'));
    api.scriptStatuses(id, ['Deleting', 'Deleting', undefined]);
    await expect(provider.delete(id, outs)).resolves.toBeUndefined();
  });

  it('keeps one ClientToken across the retries of one delete', async () => {
    const { api, provider } = setup();
    const { id, outs } = await provider.create(inputs);
    api.failNext('deleteFlowlog', apiError('IncorrectStatus.flowlog'), networkError());
    await provider.delete(id, outs);
    const tokens = api.calls.filter((c) => c.method === 'deleteFlowlog').map((c) => (c.req as { ClientToken: string }).ClientToken);
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(1);
  });
});

describe('check and diff through the provider', () => {
  it('takes the default region from the stack config', async () => {
    const { provider } = setup();
    await provider.configure({ config: { get: (k: string) => (k === 'alicloud:region' ? 'cn-shanghai' : undefined) } });
    const { regionId: _r, ...rest } = inputs;
    const { inputs: checked, failures } = await provider.check({}, rest);
    expect(failures).toEqual([]);
    expect(checked.regionId).toBe('cn-shanghai');
  });
});
