import * as pulumi from '@pulumi/pulumi';
import { checkInputs } from '../../src/model/check';
import type { ApiFlowLog, CenApi, DescribeFlowlogsRequest } from '../../src/transport/types';
import { lookupFlowlogs, lookupFlowlogsOutput } from '../../src/lookup/get-flowlogs';
import { checkFilters, toDescribeRequest, type GetFlowlogsArgs } from '../../src/core/lookup';
import { FlowlogFilterError } from '../../src/errors';
import { toOutputs } from '../../src/core/mapping';
import type { Session, SessionFactory } from '../../src/core/session';
import type { ProviderSettings } from '../../src/core/settings';
import { FakeCenApi } from '../fixtures/fake-api';

const KEYS = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret' };

/** A fake API behind the factory; every session it makes records the settings it was made for. */
function fakeSessions(api: Pick<CenApi, 'describeFlowlogs'>): { sessions: SessionFactory; settings: ProviderSettings[] } {
  const settings: ProviderSettings[] = [];
  const sessions: SessionFactory = (s, deadline) => {
    settings.push(s);
    return { api, deadline } as Partial<Session> as Session;
  };
  return { sessions, settings };
}

function seeded(count: number, more: (i: number) => Partial<ApiFlowLog> = () => ({})): FakeCenApi {
  const api = new FakeCenApi();
  for (let i = 0; i < count; i++) {
    api.add({
      FlowLogId: `flowlog-${String(i).padStart(4, '0')}`,
      FlowLogName: `fl-${i}`,
      TransitRouterId: 'tr-1',
      ProjectName: 'proj',
      LogStoreName: 'store',
      ...more(i),
    });
  }
  return api;
}

/** check()'s reason for this value of a resource argument. */
const checkReason = (field: string, value: unknown): string | undefined =>
  checkInputs({ [field]: value }).failures.find((f) => f.property === field)?.reason;

describe('getFlowlogs filters', () => {
  it.each<[string, unknown]>([
    ['regionId', 'Hangzhou'],
    ['cenId', 'cen 1'],
    ['transitRouterId', ''],
    ['transitRouterAttachmentId', 'tr attach'],
    ['flowLogName', 'https://example.com'],
    ['description', 'x'.repeat(257)],
    ['projectName', 'Bad_Project'],
    ['logStoreName', 'ab'],
    ['status', 'InActive'],
    ['interval', 30],
    ['tags', { 'acs:owner': 'me' }],
  ])('a bad %s fails with the same reason as check() gives the resource argument', (field, value) => {
    const expected = checkReason(field, value);
    expect(expected).toBeDefined();
    expect(() => checkFilters({ [field]: value })).toThrow(expected);
    try {
      checkFilters({ [field]: value });
    } catch (err) {
      expect(err).toBeInstanceOf(FlowlogFilterError);
      expect((err as FlowlogFilterError).failures).toEqual([{ property: field, reason: expected }]);
    }
  });

  it.each<[string, unknown, RegExp]>([
    ['flowLogId', 'flowlog 1', /flowLogId must be a flow-log id without spaces/],
    ['flowLogVersion', '', /flowLogVersion must be a version string/],
    ['ids', ['flowlog-1', 42], /ids must be a list of flow-log ids/],
    ['ids', 'flowlog-1', /ids must be a list of flow-log ids/],
    ['nameRegex', '(unclosed', /nameRegex is not a valid regular expression/],
    ['nameRegex', 7, /nameRegex must be a regular expression as a string/],
    ['cenID', 'cen-1', /cenID is not a getFlowlogs filter \(known: regionId, cenId/],
  ])('a bad %s fails naming the filter', (field, value, message) => {
    expect(() => checkFilters({ [field]: value })).toThrow(message);
  });

  it('reports every bad filter at once', () => {
    expect(() => checkFilters({ interval: 30, status: 'on', nameRegex: '[' })).toThrow(
      /interval must be 60 or 600.*status must be "Active" or "Inactive".*nameRegex is not a valid/,
    );
  });

  it('does not ask for the arguments a resource requires', () => {
    expect(checkFilters({ flowLogName: 'edge' })).toEqual({ flowLogName: 'edge' });
    expect(checkFilters(undefined)).toEqual({});
  });

  it('accepts an interval given as a string, as check() does, and sends a number', () => {
    expect(toDescribeRequest(checkFilters({ interval: '60' }))).toEqual({ Interval: 60 });
  });

  it.each<[keyof GetFlowlogsArgs, unknown, Partial<DescribeFlowlogsRequest>]>([
    ['regionId', 'cn-shanghai', { RegionId: 'cn-shanghai' }],
    ['cenId', 'cen-1', { CenId: 'cen-1' }],
    ['transitRouterId', 'tr-1', { TransitRouterId: 'tr-1' }],
    ['transitRouterAttachmentId', 'tr-attach-1', { TransitRouterAttachmentId: 'tr-attach-1' }],
    ['flowLogId', 'flowlog-1', { FlowLogId: 'flowlog-1' }],
    ['flowLogName', 'edge', { FlowLogName: 'edge' }],
    ['description', 'all traffic', { Description: 'all traffic' }],
    ['projectName', 'proj', { ProjectName: 'proj' }],
    ['logStoreName', 'store', { LogStoreName: 'store' }],
    ['status', 'Inactive', { Status: 'Inactive' }],
    ['interval', 600, { Interval: 600 }],
    ['flowLogVersion', '3', { FlowLogVersion: '3' }],
    [
      'tags',
      { team: 'net', env: '' },
      {
        Tags: [
          { Key: 'team', Value: 'net' },
          { Key: 'env', Value: '' },
        ],
      },
    ],
    ['ids', ['flowlog-1'], { FlowLogId: 'flowlog-1' }],
    ['ids', ['flowlog-1', 'flowlog-2'], {}],
    ['nameRegex', '^edge', {}],
  ])('the %s filter is sent to the service as %j', (field, value, request) => {
    expect(toDescribeRequest(checkFilters({ [field]: value }))).toEqual(request);
  });
});

describe('getFlowlogs', () => {
  it('returns every match across pages, beyond the first page of 20', async () => {
    const api = seeded(137);
    const { sessions } = fakeSessions(api);
    const result = await lookupFlowlogs({ regionId: 'cn-hangzhou' }, { env: KEYS, sessions });
    expect(result.ids).toHaveLength(137);
    expect(new Set(result.ids).size).toBe(137);
    expect(result.names[136]).toBe('fl-136');
  });

  it('returns every match when the service pages in smaller pages than asked', async () => {
    const api = seeded(45);
    const capped: Pick<CenApi, 'describeFlowlogs'> = {
      describeFlowlogs: (req) => api.describeFlowlogs({ ...req, PageSize: Math.min(req.PageSize ?? 20, 20) }),
    };
    const result = await lookupFlowlogs({ regionId: 'cn-hangzhou' }, { env: KEYS, sessions: fakeSessions(capped).sessions });
    expect(result.ids).toEqual([...api.flowLogs.keys()]);
  });

  it('lists each flow log once when one created between two pages shifts the rest', async () => {
    const api = seeded(60);
    const original = [...api.flowLogs.keys()];
    let pages = 0;
    const shifting: Pick<CenApi, 'describeFlowlogs'> = {
      async describeFlowlogs(req) {
        const page = await api.describeFlowlogs(req);
        if (++pages === 1) {
          // A new flow log lands in front: the second page now starts with the first page's last one.
          const entries = [...api.flowLogs];
          api.flowLogs.clear();
          api.add({ FlowLogId: 'flowlog-new' });
          for (const [k, v] of entries) api.flowLogs.set(k, v);
        }
        return page;
      },
    };
    const result = await lookupFlowlogs(
      {},
      { env: { ...KEYS, ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou' }, sessions: fakeSessions(shifting).sessions },
    );
    expect(result.ids).toEqual(original);
  });

  it('applies ids and nameRegex to every page', async () => {
    const api = seeded(80, (i) => ({ FlowLogName: i % 2 === 0 ? `prod-${i}` : `dev-${i}` }));
    const { sessions } = fakeSessions(api);
    const byRegex = await lookupFlowlogs({ nameRegex: '^prod-7' }, { env: KEYS, sessions });
    expect(byRegex.names).toEqual(['prod-70', 'prod-72', 'prod-74', 'prod-76', 'prod-78']);
    const byIds = await lookupFlowlogs({ ids: ['flowlog-0003', 'flowlog-0077', 'flowlog-missing'] }, { env: KEYS, sessions });
    expect(byIds.ids).toEqual(['flowlog-0003', 'flowlog-0077']);
  });

  it('gives each flow log the field names of the resource outputs', async () => {
    const api = new FakeCenApi();
    const raw = api.add({
      FlowLogId: 'flowlog-1',
      FlowLogName: 'edge',
      Description: 'd',
      TransitRouterId: 'tr-1',
      TransitRouterAttachmentId: 'tr-attach-1',
      ProjectName: 'proj',
      LogStoreName: 'store',
      LogFormatString: '${srcaddr}${dstaddr}${bytes}',
      FlowLogVersion: '3',
      CreationTime: '2025-01-01T00:00:00Z',
      Status: 'Inactive',
      Tags: [
        { Key: 'b', Value: '2' },
        { Key: 'a', Value: '1' },
      ],
    });
    const { flowlogs } = await lookupFlowlogs({}, { env: KEYS, sessions: fakeSessions(api).sessions });
    const outputs = toOutputs(raw, {
      regionId: 'x',
      cenId: 'x',
      transitRouterId: 'x',
      projectName: 'x',
      logStoreName: 'x',
      tags: {},
      status: 'Active',
    });
    expect(flowlogs).toEqual([outputs]);
    expect(flowlogs[0]).toMatchObject({ flowLogId: 'flowlog-1', status: 'Inactive', interval: 600, tags: { a: '1', b: '2' } });
  });

  it('takes endpoint, region and credentials from the stack config before the environment', async () => {
    const config: Record<string, string> = {
      'cenFlowlog:endpoint': 'http://127.0.0.1:9',
      'alicloud:region': 'cn-beijing',
      'alicloud:accessKey': 'ak',
      'alicloud:secretKey': 'sk',
    };
    const api = new FakeCenApi();
    const seen = fakeSessions(api);
    await lookupFlowlogs(
      {},
      {
        config: { get: (k) => config[k] },
        env: { CEN_FLOWLOG_ENDPOINT: 'http://127.0.0.1:1', ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou' },
        sessions: seen.sessions,
      },
    );
    expect(seen.settings[0]).toMatchObject({
      endpoint: { protocol: 'HTTP', host: '127.0.0.1:9' },
      region: 'cn-beijing',
      credentials: { accessKey: 'ak', secretKey: 'sk' },
    });
    expect(api.calls[0]!.req).toMatchObject({ RegionId: 'cn-beijing' });
  });

  it('fails on a bad filter before any API call', async () => {
    const api = new FakeCenApi();
    await expect(lookupFlowlogs({ interval: 30 }, { env: KEYS, sessions: fakeSessions(api).sessions })).rejects.toThrow(FlowlogFilterError);
    expect(api.calls).toEqual([]);
  });

  it('fails on a plain-HTTP endpoint that is not loopback, as the provider does', async () => {
    const api = new FakeCenApi();
    await expect(
      lookupFlowlogs({}, { env: { ...KEYS, CEN_FLOWLOG_ENDPOINT: 'http://cbn.example.com' }, sessions: fakeSessions(api).sessions }),
    ).rejects.toThrow(/plain HTTP to a host that is not loopback/);
  });

  it('rejects a bad timeout, naming it', async () => {
    await expect(lookupFlowlogs({}, { env: KEYS, timeout: 'soon', sessions: fakeSessions(new FakeCenApi()).sessions })).rejects.toThrow(
      'Expected `timeout` to be a duration like "90s" or "5m", got "soon"',
    );
  });
});

describe('getFlowlogsOutput', () => {
  it('resolves Input filters and gives the result as an Output', async () => {
    const api = seeded(3, (i) => ({ Tags: [{ Key: 'team', Value: i === 1 ? 'sec' : 'net' }] }));
    const out = lookupFlowlogsOutput(
      { flowLogName: pulumi.output('fl-1'), tags: { team: pulumi.output('sec') } },
      { env: KEYS, sessions: fakeSessions(api).sessions },
    );
    const value = await new Promise<unknown>((resolve) => out.apply(resolve));
    // The fake API ignores name and tag filters: what matters is what the service is asked.
    expect(value).toMatchObject({ ids: ['flowlog-0000', 'flowlog-0001', 'flowlog-0002'] });
    expect(api.calls[0]!.req).toMatchObject({ FlowLogName: 'fl-1', Tags: [{ Key: 'team', Value: 'sec' }] });
  });
});
