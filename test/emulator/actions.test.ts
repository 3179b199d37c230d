import { startEmulator, EMULATOR_IDS as I, DEFAULT_LOG_FORMAT, type Emulator } from '../../src/emulator';
import { client, failure, waitFor, type Call } from './helpers';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ delays: { createMs: 300, modifyMs: 300, deleteMs: 300 } });
});
afterAll(() => emu.close());

const R = { RegionId: I.region };

async function expectStatus(call: Call, id: string, status: string): Promise<void> {
  const body = await call('DescribeFlowlogs', { ...R, FlowLogId: id });
  expect(body.FlowLogs.FlowLog[0]?.Status).toBe(status);
}

describe.each(['v3', 'v2'] as const)('with %s signatures', (algorithm) => {
  let call: Call;
  beforeAll(() => {
    call = client(emu, { algorithm });
  });

  it('walks a flow log through its whole lifecycle', async () => {
    const attachment = algorithm === 'v3' ? I.vpcAttachmentId : I.vpnAttachmentId;
    const created = await call('CreateFlowlog', {
      ...R,
      CenId: I.cenId,
      TransitRouterId: I.transitRouterId,
      TransitRouterAttachmentId: attachment,
      FlowLogName: 'fl',
      Description: 'd',
      ProjectName: I.projectName,
      LogStoreName: I.logStoreName,
      Interval: 60,
      Tag: [{ Key: 'env', Value: 'test' }],
    });
    expect(created).toEqual({ RequestId: expect.any(String), Success: 'true', FlowLogId: expect.stringMatching(/^flowlog-[a-z0-9]{20}$/) });
    const id = created.FlowLogId as string;
    const first = await call('DescribeFlowlogs', { ...R, FlowLogId: id });
    expect(first).toMatchObject({ Success: 'true', TotalCount: '1', PageNumber: '1', PageSize: '20' });
    expect(first.FlowLogs.FlowLog[0]).toEqual({
      FlowLogId: id,
      FlowLogName: 'fl',
      Description: 'd',
      CenId: I.cenId,
      RegionId: I.region,
      Status: 'Creating',
      ProjectName: I.projectName,
      LogStoreName: I.logStoreName,
      Interval: 60,
      LogFormatString: DEFAULT_LOG_FORMAT,
      FlowLogVersion: '3',
      TransitRouterId: I.transitRouterId,
      TransitRouterAttachmentId: attachment,
      CreationTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      Tags: { Tag: [{ Key: 'env', Value: 'test' }] },
    });
    await waitFor(call, id, 'Active');
    await call('DeactiveFlowLog', { ...R, FlowLogId: id });
    await expectStatus(call, id, 'Modifying');
    await waitFor(call, id, 'Inactive');
    await call('ActiveFlowLog', { ...R, FlowLogId: id, CenId: I.cenId });
    await expectStatus(call, id, 'Modifying');
    await waitFor(call, id, 'Active');
    await call('ModifyFlowLogAttribute', { ...R, FlowLogId: id, FlowLogName: 'renamed', Interval: 600 });
    const modified = (await call('DescribeFlowlogs', { ...R, FlowLogId: id })).FlowLogs.FlowLog[0];
    expect(modified).toMatchObject({ FlowLogName: 'renamed', Interval: 600, Description: 'd', Status: 'Modifying' });
    await waitFor(call, id, 'Active');
    await call('DeleteFlowlog', { ...R, FlowLogId: id });
    await expectStatus(call, id, 'Deleting');
    await waitFor(call, id, 'gone');
    expect((await failure(call('DeleteFlowlog', { ...R, FlowLogId: id }))).code).toBe('InvalidFlowlogId.NotFound');
  });

  it('tags, lists and untags a flow log', async () => {
    const attachment = algorithm === 'v3' ? I.vbrAttachmentId : I.ecrAttachmentId;
    const { FlowLogId } = await call('CreateFlowlog', { ...R, CenId: I.cenId, TransitRouterAttachmentId: attachment });
    await call('TagResources', { ...R, ResourceType: 'Flowlog', ResourceId: [FlowLogId], Tag: [{ Key: 'owner', Value: 'me' }] });
    const listed = await call('ListTagResources', { ...R, ResourceType: 'flowlog', ResourceId: [FlowLogId] });
    expect(listed).toEqual({
      RequestId: expect.any(String),
      NextToken: '',
      TagResources: { TagResource: [{ ResourceId: FlowLogId, ResourceType: 'Flowlog', TagKey: 'owner', TagValue: 'me' }] },
    });
    await call('UntagResources', { ...R, ResourceType: 'Flowlog', ResourceId: [FlowLogId], TagKey: ['owner'] });
    expect((await call('ListTagResources', { ...R, ResourceType: 'Flowlog', ResourceId: [FlowLogId] })).TagResources.TagResource).toEqual(
      [],
    );
  });
});
