import { startEmulator, EMULATOR_IDS as I, type Emulator } from '../../src/emulator';
import { client, failure, type Call, type Json } from './helpers';

let emu: Emulator;
let call: Call;
const ids: Record<string, string> = {};
const R = { RegionId: I.region };

beforeAll(async () => {
  emu = await startEmulator({ delays: { createMs: 0, modifyMs: 0, deleteMs: 0 } });
  call = client(emu, { algorithm: 'v2' });
  const make = async (name: string, extra: Record<string, unknown>): Promise<void> => {
    ids[name] = (await call('CreateFlowlog', { CenId: I.cenId, FlowLogName: name, ...extra })).FlowLogId;
  };
  await make('hz-tr', { ...R, TransitRouterId: I.transitRouterId, Interval: 60, Tag: [{ Key: 'env', Value: 'prod' }] });
  await make('hz-vpc', {
    ...R,
    TransitRouterAttachmentId: I.vpcAttachmentId,
    Description: 'vpc',
    Tag: [
      { Key: 'env', Value: 'dev' },
      { Key: 'team', Value: 'net' },
    ],
  });
  await make('hz-vbr', { ...R, TransitRouterAttachmentId: I.vbrAttachmentId, ProjectName: I.projectName, LogStoreName: I.logStoreName });
  await make('sh-tr', { RegionId: I.region2, TransitRouterId: I.transitRouterId2 });
  await call('DeactiveFlowLog', { ...R, FlowLogId: ids['hz-vbr'] });
});
afterAll(() => emu.close());

const names = (body: Record<string, Json>): string[] => body.FlowLogs.FlowLog.map((f: Json) => f.FlowLogName).sort();

describe('DescribeFlowlogs', () => {
  it.each([
    ['RegionId', { RegionId: I.region }, ['hz-tr', 'hz-vbr', 'hz-vpc']],
    ['CenId', { CenId: I.cenId }, ['hz-tr', 'hz-vbr', 'hz-vpc', 'sh-tr']],
    ['FlowLogName', { FlowLogName: 'hz-vpc' }, ['hz-vpc']],
    ['Description', { Description: 'vpc' }, ['hz-vpc']],
    ['ProjectName', { ProjectName: I.projectName }, ['hz-vbr']],
    ['LogStoreName', { LogStoreName: I.logStoreName }, ['hz-vbr']],
    ['TransitRouterId', { TransitRouterId: I.transitRouterId2 }, ['sh-tr']],
    ['TransitRouterAttachmentId', { TransitRouterAttachmentId: I.vbrAttachmentId }, ['hz-vbr']],
    ['Status', { Status: 'Inactive' }, ['hz-vbr']],
    ['Interval', { Interval: 60 }, ['hz-tr']],
    ['FlowLogVersion', { FlowLogVersion: '3' }, ['hz-tr', 'hz-vbr', 'hz-vpc', 'sh-tr']],
    ['a tag key and value', { Tag: [{ Key: 'env', Value: 'dev' }] }, ['hz-vpc']],
    ['a tag key alone', { Tag: [{ Key: 'env' }] }, ['hz-tr', 'hz-vpc']],
    ['several filters at once', { RegionId: I.region, Status: 'Active', Interval: 600 }, ['hz-vpc']],
  ])('filters by %s', async (_label, filter, expected) => {
    expect(names(await call('DescribeFlowlogs', filter))).toEqual(expected);
  });

  it('finds one flow log by id, and an unknown id is an empty list', async () => {
    expect(names(await call('DescribeFlowlogs', { ...R, FlowLogId: ids['hz-vpc'] }))).toEqual(['hz-vpc']);
    const none = await call('DescribeFlowlogs', { ...R, FlowLogId: 'flowlog-unknown0000000000000' });
    expect(none).toMatchObject({ Success: 'true', TotalCount: '0', FlowLogs: { FlowLog: [] } });
    expect((await call('DescribeFlowlogs', { RegionId: I.region2, FlowLogId: ids['hz-vpc'] })).TotalCount).toBe('0');
  });

  it('pages with PageNumber and PageSize, reporting them as strings', async () => {
    const first = await call('DescribeFlowlogs', { PageSize: 3 });
    const second = await call('DescribeFlowlogs', { PageSize: 3, PageNumber: 2 });
    expect(first).toMatchObject({ TotalCount: '4', PageNumber: '1', PageSize: '3' });
    expect(first.FlowLogs.FlowLog).toHaveLength(3);
    expect(second).toMatchObject({ TotalCount: '4', PageNumber: '2', PageSize: '3' });
    expect(second.FlowLogs.FlowLog).toHaveLength(1);
    expect(names(first).concat(names(second)).sort()).toEqual(['hz-tr', 'hz-vbr', 'hz-vpc', 'sh-tr']);
  });

  it.each([
    ['PageSize', 0],
    ['PageSize', 51],
    ['PageNumber', 0],
    ['PageNumber', 'x'],
  ])('refuses %s=%p', async (name, value) => {
    expect((await failure(call('DescribeFlowlogs', { [name]: value }))).code).toBe(`InvalidParameter.${name}`);
  });
});

describe('tags', () => {
  it.each(['Flowlog', 'flowlog', 'FLOWLOG'])('adds, lists and removes tags with ResourceType %s', async (type) => {
    const id = ids['hz-vbr']!;
    await call('TagResources', {
      ...R,
      ResourceType: type,
      ResourceId: [id],
      Tag: [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '' },
      ],
    });
    const listed = await call('ListTagResources', { ...R, ResourceType: type, ResourceId: [id] });
    expect(listed.TagResources.TagResource).toEqual([
      { ResourceId: id, ResourceType: 'Flowlog', TagKey: 'a', TagValue: '1' },
      { ResourceId: id, ResourceType: 'Flowlog', TagKey: 'b', TagValue: '' },
    ]);
    expect(listed.NextToken).toBe('');
    await call('UntagResources', { ...R, ResourceType: type, ResourceId: [id], TagKey: ['a'] });
    expect(emu.flowLogs().find((f) => f.FlowLogId === id)?.Tags.Tag).toEqual([{ Key: 'b', Value: '' }]);
    await call('UntagResources', { ...R, ResourceType: type, ResourceId: [id], All: true });
    expect(emu.flowLogs().find((f) => f.FlowLogId === id)?.Tags.Tag).toEqual([]);
  });

  const tagged = async (): Promise<string> => {
    const id = ids['hz-vbr']!;
    await call('TagResources', { ...R, ResourceType: 'Flowlog', ResourceId: [id], Tag: [{ Key: 'k', Value: 'v' }] });
    return id;
  };
  const tagsOf = (id: string) => emu.flowLogs().find((f) => f.FlowLogId === id)?.Tags.Tag;

  it.each(['true', 'True', 'TRUE', 'tRuE'])('UntagResources with All=%s removes every tag (Python sends True)', async (value) => {
    const id = await tagged();
    await call('UntagResources', { ...R, ResourceType: 'Flowlog', ResourceId: [id], All: value });
    expect(tagsOf(id)).toEqual([]);
  });

  it.each(['false', 'False', 'FALSE', ''])('UntagResources with All=%p removes only the keys named', async (value) => {
    const id = await tagged();
    await call('TagResources', { ...R, ResourceType: 'Flowlog', ResourceId: [id], Tag: [{ Key: 'keep', Value: '1' }] });
    await call('UntagResources', { ...R, ResourceType: 'Flowlog', ResourceId: [id], TagKey: ['k'], All: value });
    expect(tagsOf(id)).toEqual([{ Key: 'keep', Value: '1' }]);
    await call('UntagResources', { ...R, ResourceType: 'Flowlog', ResourceId: [id], All: true });
  });

  it.each(['yes', '1', 'on', 'truee', ' true'])('refuses All=%p with a 400 naming All, and removes nothing', async (value) => {
    const id = await tagged();
    const err = await failure(call('UntagResources', { ...R, ResourceType: 'Flowlog', ResourceId: [id], All: value }));
    expect([err.code, err.statusCode]).toEqual(['InvalidParameter.All', 400]);
    expect(err.data.Message).toContain('All');
    expect(err.data.RequestId).toEqual(expect.any(String));
    expect(tagsOf(id)).toEqual([{ Key: 'k', Value: 'v' }]);
    await call('UntagResources', { ...R, ResourceType: 'Flowlog', ResourceId: [id], All: true });
  });

  it('overwrites the value of an existing key', async () => {
    await call('TagResources', { ResourceType: 'Flowlog', ResourceId: [ids['hz-tr']], Tag: [{ Key: 'env', Value: 'staging' }] });
    expect(emu.flowLogs().find((f) => f.FlowLogId === ids['hz-tr'])?.Tags.Tag).toEqual([{ Key: 'env', Value: 'staging' }]);
    await call('TagResources', { ResourceType: 'Flowlog', ResourceId: [ids['hz-tr']], Tag: [{ Key: 'env', Value: 'prod' }] });
  });

  it('lists by tag filter and pages with NextToken', async () => {
    const byTag = await call('ListTagResources', { ResourceType: 'Flowlog', Tag: [{ Key: 'team', Value: 'net' }] });
    expect(byTag.TagResources.TagResource.map((t: Json) => t.ResourceId)).toEqual([ids['hz-vpc'], ids['hz-vpc']]);
    const page1 = await call('ListTagResources', { ResourceType: 'Flowlog', PageSize: 2 });
    expect(page1.TagResources.TagResource).toHaveLength(2);
    expect(page1.NextToken).not.toBe('');
    const page2 = await call('ListTagResources', { ResourceType: 'Flowlog', PageSize: 2, NextToken: page1.NextToken });
    expect(page2.TagResources.TagResource).toHaveLength(1);
    expect(page2.NextToken).toBe('');
  });

  it.each([
    [
      'another ResourceType',
      'TagResources',
      { ResourceType: 'Vpc', ResourceId: ['x'], Tag: [{ Key: 'a', Value: 'b' }] },
      'InvalidResourceType.NotSupported',
    ],
    ['no ResourceId', 'TagResources', { ResourceType: 'Flowlog', Tag: [{ Key: 'a', Value: 'b' }] }, 'MissingParameter'],
    ['no tags', 'TagResources', { ResourceType: 'Flowlog', ResourceId: ['ID'] }, 'MissingParameter'],
    [
      'an unknown flow log',
      'TagResources',
      { ResourceType: 'Flowlog', ResourceId: ['flowlog-x'], Tag: [{ Key: 'a', Value: 'b' }] },
      'InvalidFlowlogId.NotFound',
    ],
    [
      'a reserved tag key',
      'TagResources',
      { ResourceType: 'Flowlog', ResourceId: ['ID'], Tag: [{ Key: 'acs:x', Value: 'b' }] },
      'InvalidParameter.TagKey',
    ],
    [
      'more than 20 tags in all',
      'TagResources',
      { ResourceType: 'Flowlog', ResourceId: ['ID'], Tag: Array.from({ length: 20 }, (_, i) => ({ Key: `n${i}`, Value: '' })) },
      'InvalidParameter.TagNum',
    ],
    ['no ResourceType', 'ListTagResources', {}, 'MissingParameter'],
    ['a forged NextToken', 'ListTagResources', { ResourceType: 'Flowlog', NextToken: 'bm9wZQ' }, 'InvalidParameter.NextToken'],
  ])('refuses %s', async (_label, action, params, code) => {
    const withId = JSON.parse(JSON.stringify(params).replace('"ID"', JSON.stringify(ids['hz-vpc'])));
    expect((await failure(call(action, withId))).code).toBe(code);
  });
});

describe('ClientToken idempotency', () => {
  it('the same token and parameters return the same flow log and create nothing new', async () => {
    const params = { ...R, CenId: I.cenId, TransitRouterAttachmentId: I.vpnAttachmentId, ClientToken: 'token-1' };
    const first = await call('CreateFlowlog', params);
    const again = await client(emu)('CreateFlowlog', params);
    expect(again.FlowLogId).toBe(first.FlowLogId);
    expect(emu.flowLogs().filter((f) => f.TransitRouterAttachmentId === I.vpnAttachmentId)).toHaveLength(1);
  });

  it('the same token with other parameters is IdempotentParameterMismatch', async () => {
    const err = await failure(
      call('CreateFlowlog', {
        ...R,
        CenId: I.cenId,
        TransitRouterAttachmentId: I.vpnAttachmentId,
        ClientToken: 'token-1',
        FlowLogName: 'other',
      }),
    );
    expect([err.code, err.statusCode]).toEqual(['IdempotentParameterMismatch', 400]);
  });

  it('the same token on another action is independent', async () => {
    const id = emu.flowLogs().find((f) => f.TransitRouterAttachmentId === I.vpnAttachmentId)!.FlowLogId;
    await call('ModifyFlowLogAttribute', { ...R, FlowLogId: id, FlowLogName: 'm', ClientToken: 'token-1' });
    await call('ModifyFlowLogAttribute', { ...R, FlowLogId: id, FlowLogName: 'm', ClientToken: 'token-1' });
    expect(emu.flowLogs().find((f) => f.FlowLogId === id)?.FlowLogName).toBe('m');
  });

  it('without a token, a retried create is a new request (here refused as a duplicate)', async () => {
    await call('DeleteFlowlog', { RegionId: I.region2, FlowLogId: ids['sh-tr'] });
    const p = { RegionId: I.region2, CenId: I.cenId, TransitRouterAttachmentId: I.shanghaiVpcAttachmentId };
    await call('CreateFlowlog', p);
    expect((await failure(call('CreateFlowlog', p))).code).toBe('Flowlog.AlreayExist');
  });
});
