import { startEmulator, EMULATOR_IDS as I, type Emulator } from '../../src/emulator';
import { client, failure, FLOWLOG_WRITES, waitFor, type Call } from './helpers';

let emu: Emulator;
let call: Call;
beforeAll(async () => {
  emu = await startEmulator({ delays: { createMs: 0, modifyMs: 0, deleteMs: 0 } });
  call = client(emu);
});
afterAll(() => emu.close());

const R = { RegionId: I.region };
const BASE = { ...R, CenId: I.cenId, TransitRouterId: I.transitRouterId, TransitRouterAttachmentId: I.vpcAttachmentId2 };

describe('CreateFlowlog input rules', () => {
  it.each([
    ['a 129-character name', { FlowLogName: 'n'.repeat(129) }, 'InvalidParameter.FlowLogName'],
    ['a name starting with http://', { FlowLogName: 'http://x' }, 'InvalidParameter.FlowLogName'],
    ['a name starting with https://', { FlowLogName: 'https://x' }, 'InvalidParameter.FlowLogName'],
    ['a 257-character description', { Description: 'd'.repeat(257) }, 'InvalidParameter.Description'],
    ['a description starting with https://', { Description: 'https://x' }, 'InvalidParameter.Description'],
    ['an interval of 30', { Interval: 30 }, 'InvalidParameter.Interval'],
    ['a 2-character project', { ProjectName: 'ab' }, 'InvalidParameter.ProjectName'],
    ['a 64-character project', { ProjectName: 'p'.repeat(64) }, 'InvalidParameter.ProjectName'],
    ['an upper-case project', { ProjectName: 'My-project' }, 'InvalidParameter.ProjectName'],
    ['a project ending in -', { ProjectName: 'project-' }, 'InvalidParameter.ProjectName'],
    ['a project with _', { ProjectName: 'my_project' }, 'InvalidParameter.ProjectName'],
    ['our project in another region', { ProjectName: I.shanghaiProjectName }, 'InvalidParameter.ProjectName'],
    ['another account’s project', { ProjectName: I.foreignProjectName }, 'ProjectExist'],
    ['a logstore starting with _', { LogStoreName: '_store' }, 'InvalidParameter.LogStoreName'],
    ['a 2-character logstore', { LogStoreName: 'ls' }, 'InvalidParameter.LogStoreName'],
    ['a logstore with a dot', { LogStoreName: 'log.store' }, 'InvalidParameter.LogStoreName'],
    [
      'a log format not starting with the required fields',
      { LogFormatString: '${dstaddr}${srcaddr}${bytes}' },
      'InvalidParameter.LogFormatString',
    ],
    [
      'a log format with an unknown field',
      { LogFormatString: '${srcaddr}${dstaddr}${bytes}${colour}' },
      'InvalidParameter.LogFormatString',
    ],
    ['a log format with a repeated field', { LogFormatString: '${srcaddr}${dstaddr}${bytes}${bytes}' }, 'InvalidParameter.LogFormatString'],
    ['a log format that is not ${...}', { LogFormatString: 'srcaddr dstaddr bytes' }, 'InvalidParameter.LogFormatString'],
    ['an empty tag key', { Tag: [{ Key: '', Value: 'v' }] }, 'InvalidParameter.TagKey'],
    ['a 65-character tag key', { Tag: [{ Key: 'k'.repeat(65), Value: 'v' }] }, 'InvalidParameter.TagKey'],
    ['a tag key starting with aliyun', { Tag: [{ Key: 'aliyun-x', Value: 'v' }] }, 'InvalidParameter.TagKey'],
    ['a tag key starting with acs:', { Tag: [{ Key: 'acs:x', Value: 'v' }] }, 'InvalidParameter.TagKey'],
    ['a tag key containing http://', { Tag: [{ Key: 'a http://b', Value: 'v' }] }, 'InvalidParameter.TagKey'],
    ['a 129-character tag value', { Tag: [{ Key: 'k', Value: 'v'.repeat(129) }] }, 'InvalidParameter.TagValue'],
    ['a tag value containing https://', { Tag: [{ Key: 'k', Value: 'see https://x' }] }, 'InvalidParameter.TagValue'],
    ['a tag value starting with aliyun', { Tag: [{ Key: 'k', Value: 'aliyun' }] }, 'InvalidParameter.TagValue'],
    [
      'a repeated tag key',
      {
        Tag: [
          { Key: 'k', Value: '1' },
          { Key: 'k', Value: '2' },
        ],
      },
      'InvalidParameter.TagKey',
    ],
    ['21 tags', { Tag: Array.from({ length: 21 }, (_, i) => ({ Key: `k${i}`, Value: '' })) }, 'InvalidParameter.TagNum'],
    ['an unknown CEN', { CenId: 'cen-nope' }, 'InvalidParameter.CenId'],
    ['a transit router of another CEN', { CenId: I.cenId2 }, 'InvalidParameter.CenId'],
    ['an unknown transit router', { TransitRouterId: 'tr-nope', TransitRouterAttachmentId: '' }, 'InvalidOperation.TransitRouterNotExist'],
    ['a transit router in another region', { RegionId: I.region2 }, 'InvalidOperation.TransitRouterNotExist'],
    ['an unknown attachment', { TransitRouterAttachmentId: 'tr-attach-nope' }, 'InvalidTransitRouterAttachmentId.NotFound'],
    [
      'an attachment of another transit router',
      { TransitRouterAttachmentId: I.shanghaiVpcAttachmentId },
      'IllegalParam.TransitRouterAttachmentId',
    ],
    ['neither transit router nor attachment', { TransitRouterId: '', TransitRouterAttachmentId: '' }, 'InvalidParameter'],
    [
      'a Basic edition transit router',
      { CenId: I.cenId2, TransitRouterId: I.basicTransitRouterId, TransitRouterAttachmentId: '' },
      'OperationUnsupported.action',
    ],
  ])('refuses %s', async (_label, change, code) => {
    const err = await failure(call('CreateFlowlog', { ...BASE, ...change }));
    expect([err.code, err.statusCode]).toEqual([code, 400]);
    expect(err.data.Message.length).toBeGreaterThan(10);
    expect(emu.flowLogs()).toHaveLength(0);
  });

  it('says which parameter is missing when neither transit router nor attachment is given', async () => {
    const err = await failure(call('CreateFlowlog', { ...R, CenId: I.cenId }));
    expect(err.data.Message).toContain('TransitRouterId');
  });

  it('accepts the boundaries: 128-character name, 256-character description, 20 tags, 63-character names', async () => {
    const body = await call('CreateFlowlog', {
      ...BASE,
      FlowLogName: 'n'.repeat(128),
      Description: 'd'.repeat(256),
      Interval: 60,
      ProjectName: `p${'-'.repeat(61)}q`,
      LogStoreName: `l${'_'.repeat(61)}s`,
      LogFormatString: '${srcaddr}${dstaddr}${bytes}${srcport}',
      Tag: Array.from({ length: 20 }, (_, i) => ({ Key: `k${i}`, Value: '' })),
    });
    await call('DeleteFlowlog', { ...R, FlowLogId: body.FlowLogId });
    await waitFor(call, body.FlowLogId, 'gone');
  });

  it('finds the transit router from the attachment alone, and creates a missing project and logstore', async () => {
    const body = await call('CreateFlowlog', {
      ...R,
      CenId: I.cenId,
      TransitRouterAttachmentId: I.ecrAttachmentId,
      ProjectName: 'brand-new-project',
      LogStoreName: 'new-store',
    });
    const [item] = emu.flowLogs();
    expect(item).toMatchObject({
      FlowLogId: body.FlowLogId,
      TransitRouterId: I.transitRouterId,
      ProjectName: 'brand-new-project',
      LogStoreName: 'new-store',
      Interval: 600,
    });
    // The auto-created project is ours now: a second flow log may use it.
    const second = await call('CreateFlowlog', {
      ...R,
      CenId: I.cenId,
      TransitRouterId: I.transitRouterId,
      ProjectName: 'brand-new-project',
    });
    for (const id of [body.FlowLogId, second.FlowLogId]) {
      await call('DeleteFlowlog', { ...R, FlowLogId: id });
      await waitFor(call, id, 'gone');
    }
  });
});

describe('one flow log per transit router and per attachment', () => {
  it('answers InvalidFlowlogId.exist for a second transit-router flow log and Flowlog.AlreayExist for a second attachment flow log', async () => {
    const tr = await call('CreateFlowlog', { ...R, CenId: I.cenId, TransitRouterId: I.transitRouterId });
    const att = await call('CreateFlowlog', { ...BASE });
    expect((await failure(call('CreateFlowlog', { ...R, CenId: I.cenId, TransitRouterId: I.transitRouterId }))).code).toBe(
      'InvalidFlowlogId.exist',
    );
    expect((await failure(call('CreateFlowlog', { ...BASE }))).code).toBe('Flowlog.AlreayExist');
    for (const id of [tr.FlowLogId, att.FlowLogId]) {
      await call('DeleteFlowlog', { ...R, FlowLogId: id });
      await waitFor(call, id, 'gone');
    }
    const again = await call('CreateFlowlog', { ...BASE });
    await call('DeleteFlowlog', { ...R, FlowLogId: again.FlowLogId });
    await waitFor(call, again.FlowLogId, 'gone');
  });
});

describe('writes on an unknown id', () => {
  it.each([
    ['ModifyFlowLogAttribute', { FlowLogName: 'x' }],
    ['ActiveFlowLog', {}],
    ['DeactiveFlowLog', {}],
    ['DeleteFlowlog', {}],
  ])('%s answers InvalidFlowlogId.NotFound', async (action, extra) => {
    const err = await failure(call(action, { ...R, FlowLogId: 'flowlog-00000000000000000000', ...extra }));
    expect([err.code, err.statusCode]).toEqual(['InvalidFlowlogId.NotFound', 400]);
  });

  it('TagResources answers InvalidFlowlogId.NotFound', async () => {
    const err = await failure(
      call('TagResources', { ...R, ResourceType: 'Flowlog', ResourceId: ['flowlog-nope'], Tag: [{ Key: 'a', Value: 'b' }] }),
    );
    expect(err.code).toBe('InvalidFlowlogId.NotFound');
  });

  it('a flow log in another region or CEN is not found', async () => {
    const body = await call('CreateFlowlog', { ...BASE });
    expect((await failure(call('DeleteFlowlog', { RegionId: I.region2, FlowLogId: body.FlowLogId }))).code).toBe(
      'InvalidFlowlogId.NotFound',
    );
    expect((await failure(call('DeleteFlowlog', { ...R, CenId: I.cenId2, FlowLogId: body.FlowLogId }))).code).toBe(
      'InvalidFlowlogId.NotFound',
    );
    expect(emu.deleteFlowLog(body.FlowLogId)).toBe(true);
  });
});

describe('the quota', () => {
  let small: Emulator;
  beforeAll(async () => {
    small = await startEmulator({ quota: 1, delays: { createMs: 0, modifyMs: 0, deleteMs: 0 } });
  });
  afterAll(() => small.close());

  it('answers QuotaExceeded.FlowlogCount past the quota', async () => {
    const c = client(small);
    await c('CreateFlowlog', { ...BASE });
    const err = await failure(c('CreateFlowlog', { ...R, CenId: I.cenId, TransitRouterId: I.transitRouterId }));
    expect([err.code, err.statusCode]).toEqual(['QuotaExceeded.FlowlogCount', 400]);
  });
});

describe('transitional statuses', () => {
  it.each([
    ['Creating', 'IncorrectStatus.flowlog', BASE],
    ['Modifying', 'IncorrectStatus.flowlog', BASE],
    ['Deleting', 'IncorrectStatus.TrFlowlog', { ...R, CenId: I.cenId, TransitRouterId: I.transitRouterId }],
  ])('while %s, every write answers %s but queries work', async (status, code, params) => {
    const { FlowLogId } = await call('CreateFlowlog', params);
    emu.faults.stick(FlowLogId, status);
    for (const [action, extra] of FLOWLOG_WRITES) {
      const err = await failure(call(action, { ...R, FlowLogId, ...extra }));
      expect([action, err.code]).toEqual([action, code]);
    }
    const item = (await call('DescribeFlowlogs', { ...R, FlowLogId })).FlowLogs.FlowLog[0];
    expect(item.Status).toBe(status);
    emu.faults.unstick(FlowLogId);
    await waitFor(call, FlowLogId, 'Active');
    emu.deleteFlowLog(FlowLogId);
  });
});
