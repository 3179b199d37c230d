/**
 * What either front door may ask of the core beyond the resource's inputs: an
 * operation's own deadline (customTimeouts), a read by id with no recorded
 * state (import), cancellation, and settings named as the door names them.
 */
import { FlowlogProvider } from '../../src/core/provider';
import { Account } from '../../src/core/session';
import { namedSettings, readSettings } from '../../src/core/settings';
import { FakeCenApi } from '../fixtures/fake-api';
import { FakeClock } from '../fixtures/fake-clock';
import type { NormalizedInputs } from '../../src/model/model';

const inputs: NormalizedInputs = {
  regionId: 'cn-hangzhou',
  cenId: 'cen-fake',
  transitRouterId: 'tr-1',
  projectName: 'flowlog-project',
  logStoreName: 'flowlog-logstore',
  tags: {},
  status: 'Active',
};

function setup(env: NodeJS.ProcessEnv = {}) {
  const api = new FakeCenApi();
  const clock = new FakeClock();
  const account = new Account(api, clock);
  const provider = new FlowlogProvider({
    clock,
    env,
    log: () => undefined,
    sessions: (_settings, deadline, signal) => account.session(deadline, () => undefined, signal),
  });
  return { api, clock, provider };
}

describe('an operation deadline given by the door (customTimeouts)', () => {
  it('ends a create wait at that deadline instead of `timeouts`, recording the flow log', async () => {
    const { api, clock, provider } = setup();
    api.createStatus = 'Creating';
    const started = clock.now();
    const err = await provider.create({ ...inputs, timeouts: { create: '1h' } }, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(clock.now() - started).toBeLessThanOrEqual(31_000);
    expect((err as { id?: string }).id).toBe([...api.flowLogs.keys()][0]);
  });

  it('ends a delete wait at that deadline', async () => {
    const { api, clock, provider } = setup();
    const { id, outs } = await provider.create(inputs);
    // The service keeps it Deleting: every read finds it there.
    const stuck = { ...api.flowLogs.get(id)!, Status: 'Deleting' };
    api.onCall = async (method) => {
      if (method === 'describeFlowlogs') api.add(stuck);
    };
    const started = clock.now();
    await expect(provider.delete(id, outs!, { timeoutMs: 20_000 })).rejects.toThrow(/Deleting/);
    expect(clock.now() - started).toBeLessThanOrEqual(21_000);
  });
});

describe('cancel', () => {
  it('ends a create wait at once; the flow log is recorded with the reason', async () => {
    const { api, provider } = setup();
    api.createStatus = 'Creating';
    api.onCall = async (method) => {
      if (method === 'describeFlowlogs') provider.cancel();
    };
    const err = (await provider.create(inputs).catch((e: unknown) => e)) as { id?: string; reasons?: string[] };
    expect(err.id).toBe([...api.flowLogs.keys()][0]);
    expect(err.reasons?.[0]).toMatch(/cancelled/);
  });
});

describe('read with no recorded state (import by id)', () => {
  it('finds the flow log in the configured region and returns inputs that check clean', async () => {
    const { api, provider } = setup({ ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou' });
    const { id } = await provider.create({ ...inputs, description: 'made elsewhere' });
    api.flowLogs.get(id)!.LogFormatString = '${version}${srcaddr}${dstaddr}${bytes}';
    const read = await provider.read(id);
    expect(read.id).toBe(id);
    const imported = read.inputs as unknown as Record<string, unknown>;
    expect(imported).toMatchObject({ regionId: 'cn-hangzhou', cenId: 'cen-fake', description: 'made elsewhere' });
    // The service's own default format breaks the declared rule: left unset, it keeps whatever the service has.
    expect(imported).not.toHaveProperty('logFormatString');
    expect((await provider.check({}, imported)).failures).toEqual([]);
  });

  it('fails naming the id and the region when there is no such flow log, or no region', async () => {
    await expect(setup({ ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou' }).provider.read('flowlog-ghost')).rejects.toMatchObject({
      code: 'FlowlogNotFound',
      message: expect.stringContaining('no flow log with this id exists in cn-hangzhou'),
    });
    await expect(setup().provider.read('flowlog-ghost')).rejects.toThrow(/no region to look in/);
  });
});

describe('settings named by the door', () => {
  it('reads each setting by its name and names it so in messages', () => {
    const config = namedSettings({ region: 'cn-shanghai', accessKey: 'AK', endpoint: 'http://127.0.0.1:9' }, 'cen-flowlog:');
    const settings = readSettings(config, {});
    expect(settings).toMatchObject({
      region: 'cn-shanghai',
      endpoint: { protocol: 'HTTP', host: '127.0.0.1:9' },
      credentials: { accessKey: 'AK' },
    });
    expect(() => readSettings(namedSettings({ requestsPerSecond: '-1' }, 'cen-flowlog:'), {})).toThrow(
      /\(from cen-flowlog:requestsPerSecond or CEN_FLOWLOG_REQUESTS_PER_SECOND\)/,
    );
  });

  it('falls back to the same environment variables', () => {
    const settings = readSettings(namedSettings({}), { ALIBABA_CLOUD_REGION_ID: 'cn-beijing', CEN_FLOWLOG_REQUEST_TIMEOUT: '5s' });
    expect(settings).toMatchObject({ region: 'cn-beijing', requestTimeoutMs: 5000 });
  });
});
