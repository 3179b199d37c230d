import { startEmulator, EMULATOR_IDS as I, type Emulator } from '../../src/emulator';
import { client, failure, raw, signedV2Query, type Call, type Json } from './helpers';

let emu: Emulator;
let call: Call;
let hz: string;
let sh: string;
beforeAll(async () => {
  emu = await startEmulator({ delays: { createMs: 0, modifyMs: 0, modifyAttributeMs: 0, deleteMs: 0 } });
  call = client(emu);
  const tagged = async (RegionId: string, TransitRouterAttachmentId: string, site: string): Promise<string> =>
    (await call('CreateFlowlog', { RegionId, CenId: I.cenId, TransitRouterAttachmentId, Tag: [{ Key: 'site', Value: site }] })).FlowLogId;
  hz = await tagged(I.region, I.vpcAttachmentId, 'hz');
  sh = await tagged(I.region2, I.shanghaiVpcAttachmentId, 'sh');
});
afterAll(() => emu.close());

const ids = (n: number, real: () => string): string[] =>
  Array.from({ length: n }, (_, i) => (i === 0 ? real() : `flowlog-${String(i).padStart(20, '0')}`));
const filters = (n: number): Array<{ Key: string; Value: string }> => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: '' }));

describe('per-call limits from the SDK models', () => {
  it.each([
    ['TagResources', 'ResourceId', { ResourceType: 'Flowlog', Tag: [{ Key: 'a', Value: 'b' }] }],
    ['UntagResources', 'ResourceId', { ResourceType: 'Flowlog', All: true }],
    ['ListTagResources', 'ResourceId', { ResourceType: 'Flowlog' }],
  ])('%s refuses 21 %s with InvalidParameter.ResourceId (400)', async (action, _name, params) => {
    const err = await failure(call(action, { ...params, ResourceId: ids(21, () => hz) }));
    expect([err.code, err.statusCode]).toEqual(['InvalidParameter.ResourceId', 400]);
    expect(err.data.Message).toContain('At most 20 ResourceId');
  });

  it('20 ResourceId are within the limit: the answer is about the unknown ids, not the count', async () => {
    const err = await failure(
      call('TagResources', { ResourceType: 'Flowlog', ResourceId: ids(20, () => hz), Tag: [{ Key: 'a', Value: 'b' }] }),
    );
    expect(err.code).toBe('InvalidFlowlogId.NotFound');
  });

  it.each([
    ['DescribeFlowlogs', {}],
    ['ListTagResources', { ResourceType: 'Flowlog' }],
  ])('%s takes 20 Tag filters and refuses 21 with InvalidParameter.TagNum (400)', async (action, params) => {
    await call(action, { ...params, Tag: filters(20) });
    const err = await failure(call(action, { ...params, Tag: filters(21) }));
    expect([err.code, err.statusCode]).toEqual(['InvalidParameter.TagNum', 400]);
    expect(err.data.Message).toContain('20 Tag filters');
  });
});

describe('RegionId scopes the Flowlog resources of the tag actions', () => {
  it.each([
    ['TagResources', { Tag: [{ Key: 'a', Value: 'b' }] }],
    ['UntagResources', { All: true }],
    ['ListTagResources', {}],
  ])('%s answers InvalidFlowlogId.NotFound for a flow log in another region', async (action, extra) => {
    const err = await failure(call(action, { RegionId: I.region2, ResourceType: 'Flowlog', ResourceId: [hz], ...extra }));
    expect(err.code).toBe('InvalidFlowlogId.NotFound');
    expect(emu.flowLogs().find((f) => f.FlowLogId === hz)!.Tags.Tag).toEqual([{ Key: 'site', Value: 'hz' }]);
  });

  it('ListTagResources without ResourceId lists only the region’s flow logs, and every region without RegionId', async () => {
    const list = async (params: Record<string, unknown>): Promise<string[]> =>
      (await call('ListTagResources', { ResourceType: 'Flowlog', ...params })).TagResources.TagResource.map((t: Json) => t.ResourceId);
    expect(await list({ RegionId: I.region })).toEqual([hz]);
    expect(await list({ RegionId: I.region2 })).toEqual([sh]);
    expect((await list({})).sort()).toEqual([hz, sh].sort());
  });
});

describe('tags are data: keys named like Object.prototype members', () => {
  const KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

  it.each(KEYS)('a tag key %s is stored, listed, filtered and removed like Json other', async (key) => {
    await call('TagResources', { RegionId: I.region, ResourceType: 'Flowlog', ResourceId: [hz], Tag: [{ Key: key, Value: 'v' }] });
    expect(emu.flowLogs().find((f) => f.FlowLogId === hz)!.Tags.Tag).toContainEqual({ Key: key, Value: 'v' });
    const listed = await call('ListTagResources', { ResourceType: 'Flowlog', Tag: [{ Key: key, Value: 'v' }] });
    expect(listed.TagResources.TagResource.map((t: Json) => t.ResourceId)).toEqual([hz, hz]);
    expect(listed.TagResources.TagResource).toContainEqual({ ResourceId: hz, ResourceType: 'Flowlog', TagKey: key, TagValue: 'v' });
    const described = await call('DescribeFlowlogs', { Tag: [{ Key: key }] });
    expect(described.FlowLogs.FlowLog.map((f: Json) => f.FlowLogId)).toEqual([hz]);
    expect((await call('DescribeFlowlogs', { Tag: [{ Key: key, Value: 'other' }] })).TotalCount).toBe('0');
    await call('UntagResources', { RegionId: I.region, ResourceType: 'Flowlog', ResourceId: [hz], TagKey: [key] });
    expect(emu.flowLogs().find((f) => f.FlowLogId === hz)!.Tags.Tag).toEqual([{ Key: 'site', Value: 'hz' }]);
    expect((await call('DescribeFlowlogs', { Tag: [{ Key: key }] })).TotalCount).toBe('0');
  });

  it('a flow log created with such keys keeps them all, and they survive an admin change', async () => {
    const tags = KEYS.map((Key, i) => ({ Key, Value: String(i) }));
    const { FlowLogId } = await call('CreateFlowlog', {
      RegionId: I.region,
      CenId: I.cenId,
      TransitRouterAttachmentId: I.vbrAttachmentId,
      Tag: tags,
    });
    expect(emu.flowLogs().find((f) => f.FlowLogId === FlowLogId)!.Tags.Tag).toEqual(tags);
    emu.updateFlowLog(FlowLogId, { Tags: [...tags].reverse() });
    expect(emu.flowLogs().find((f) => f.FlowLogId === FlowLogId)!.Tags.Tag).toEqual([...tags].reverse());
    emu.deleteFlowLog(FlowLogId);
  });

  it('a parameter named __proto__ is an ordinary parameter: recorded, not a prototype', async () => {
    const params = JSON.parse('{"__proto__": "y", "RegionId": "cn-hangzhou"}') as Record<string, string>;
    const res = await raw(emu, { path: `/?${signedV2Query(emu, 'DescribeFlowlogs', params)}` });
    expect([res.status, res.json.TotalCount]).toEqual([200, '1']);
    const logged = emu.requests().at(-1)!.params;
    expect([Object.hasOwn(logged, '__proto__'), logged.RegionId]).toEqual([true, 'cn-hangzhou']);
  });
});
