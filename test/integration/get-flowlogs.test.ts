/**
 * getFlowlogs and the generator's CLI against the emulator through the real
 * @alicloud/openapi-client, the shared session (budget, retries) and paging.
 */
import { asEngine, type EngineView } from '../fixtures/engine';
import { runCli } from '../../src/cli/cli';
import { CenApiError } from '../../src/errors';
import { DEFAULT_TOPOLOGY, EMULATOR_IDS, Emulator, FlowLogView, startEmulator } from '../../src/emulator';
import { getFlowlogs, type GetFlowlogsOptions } from '../../src/lookup/get-flowlogs';
import type { GetFlowlogsArgs } from '../../src/core/lookup';
import { FlowlogProvider } from '../../src/core/provider';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

const SEEDED = 73;
const SH_TR = DEFAULT_TOPOLOGY.transitRouters.find((t) => t.regionId === 'cn-shanghai')!;
/** A flow log on the whole transit router, made by the provider; getFlowlogs reports it with these fields. */
const WHOLE_ROUTER = {
  regionId: 'cn-hangzhou',
  cenId: EMULATOR_IDS.cenId,
  transitRouterId: EMULATOR_IDS.transitRouterId,
  projectName: 'made-by-provider',
  logStoreName: 'router-store',
  flowLogName: 'core',
  description: 'whole router',
  logFormatString: '${srcaddr}${dstaddr}${bytes}${protocol}',
  tags: { team: 'core' },
};

describe('getFlowlogs against the emulator', () => {
  let emu: Emulator;
  let opts: GetFlowlogsOptions;
  let seeded: string[];
  let shanghai: string;
  let wholeRouter: string;

  async function create(provider: EngineView, args: Record<string, unknown>): Promise<string> {
    const { inputs, failures } = await provider.check({}, args);
    expect(failures).toEqual([]);
    return (await provider.create(inputs)).id;
  }

  beforeAll(async () => {
    emu = await startEmulator({ delays: { createMs: 10, modifyMs: 10, deleteMs: 10 }, quota: 200 });
    const config: Record<string, string> = { 'alicloud:accessKey': emu.accessKeyId, 'alicloud:secretKey': emu.accessKeySecret };
    opts = { config: { get: (k) => config[k] }, env: { CEN_FLOWLOG_ENDPOINT: emu.endpoint } };
    seeded = emu.seedFlowLogs(SEEDED);
    // Some seeded flow logs get what a console user would set, out of band.
    seeded.slice(0, 30).forEach((id, i) =>
      emu.updateFlowLog(id, {
        FlowLogName: i % 3 === 0 ? `prod-${i}` : `dev-${i}`,
        Description: i < 5 ? 'first five' : undefined,
        Interval: i % 2 === 0 ? 60 : 600,
        Status: i >= 25 ? 'Inactive' : 'Active',
        Tags:
          i % 4 === 0
            ? [
                { Key: 'team', Value: 'net' },
                { Key: 'env', Value: 'prod' },
              ]
            : [],
      }),
    );
    const provider = asEngine(new FlowlogProvider({ env: { CEN_FLOWLOG_ENDPOINT: emu.endpoint }, log: () => undefined }));
    await provider.configure({ config: opts.config! });
    shanghai = await create(provider, {
      regionId: 'cn-shanghai',
      cenId: SH_TR.cenId,
      transitRouterId: SH_TR.transitRouterId,
      transitRouterAttachmentId: EMULATOR_IDS.shanghaiVpcAttachmentId,
      projectName: 'emu-flowlog-project-sh',
      logStoreName: 'sh-store',
      flowLogName: 'shanghai',
    });
    wholeRouter = await create(provider, WHOLE_ROUTER);
  });
  afterAll(async () => emu.close());

  const all = (): FlowLogView[] => emu.flowLogs();
  const idsWhere = (pred: (f: FlowLogView) => boolean): string[] =>
    all()
      .filter(pred)
      .map((f) => f.FlowLogId);

  it('returns every flow log of the region, 74 of them, paging past the first page', async () => {
    emu.resetRequestLog();
    const result = await getFlowlogs({ regionId: 'cn-hangzhou' }, opts);
    expect(result.ids).toEqual(idsWhere((f) => f.RegionId === 'cn-hangzhou'));
    expect(result.ids).toHaveLength(SEEDED + 1);
    expect(emu.callCounts()).toEqual({ DescribeFlowlogs: 2 });
  });

  it.each<[string, () => GetFlowlogsArgs, () => string[]]>([
    ['regionId', () => ({ regionId: 'cn-shanghai' }), () => [shanghai]],
    ['cenId', () => ({ regionId: 'cn-hangzhou', cenId: EMULATOR_IDS.cenId }), () => idsWhere((f) => f.RegionId === 'cn-hangzhou')],
    ['transitRouterId', () => ({ regionId: 'cn-shanghai', transitRouterId: SH_TR.transitRouterId }), () => [shanghai]],
    [
      'transitRouterAttachmentId of a real attachment',
      () => ({ regionId: 'cn-shanghai', transitRouterAttachmentId: EMULATOR_IDS.shanghaiVpcAttachmentId }),
      () => [shanghai],
    ],
    [
      'transitRouterAttachmentId',
      () => ({ regionId: 'cn-hangzhou', transitRouterAttachmentId: `tr-attach-seed${seeded[40]!.slice(8)}` }),
      () => [seeded[40]!],
    ],
    ['flowLogId', () => ({ regionId: 'cn-hangzhou', flowLogId: seeded[7] }), () => [seeded[7]!]],
    ['flowLogName', () => ({ regionId: 'cn-hangzhou', flowLogName: 'dev-4' }), () => [seeded[4]!]],
    ['description', () => ({ regionId: 'cn-hangzhou', description: 'first five' }), () => seeded.slice(0, 5)],
    ['projectName', () => ({ regionId: 'cn-hangzhou', projectName: 'made-by-provider' }), () => [wholeRouter]],
    ['logStoreName', () => ({ regionId: 'cn-hangzhou', logStoreName: 'emu-seed-logstore' }), () => seeded],
    ['status', () => ({ regionId: 'cn-hangzhou', status: 'Inactive' }), () => seeded.slice(25, 30)],
    ['interval', () => ({ regionId: 'cn-hangzhou', interval: 60 }), () => seeded.slice(0, 30).filter((_, i) => i % 2 === 0)],
    ['flowLogVersion', () => ({ regionId: 'cn-hangzhou', flowLogVersion: '3' }), () => idsWhere((f) => f.RegionId === 'cn-hangzhou')],
    [
      'tags',
      () => ({ regionId: 'cn-hangzhou', tags: { team: 'net', env: 'prod' } }),
      () => seeded.slice(0, 30).filter((_, i) => i % 4 === 0),
    ],
    [
      'tags with an empty value (any value)',
      () => ({ regionId: 'cn-hangzhou', tags: { team: '' } }),
      () => [...seeded.slice(0, 30).filter((_, i) => i % 4 === 0), wholeRouter],
    ],
    ['ids', () => ({ regionId: 'cn-hangzhou', ids: [seeded[72]!, wholeRouter, shanghai] }), () => [seeded[72]!, wholeRouter]],
    [
      'nameRegex',
      () => ({ regionId: 'cn-hangzhou', nameRegex: '^prod-(1|2)' }),
      () => [seeded[12]!, seeded[15]!, seeded[18]!, seeded[21]!, seeded[24]!, seeded[27]!],
    ],
    [
      'several at once, across pages',
      () => ({ regionId: 'cn-hangzhou', status: 'Active', projectName: 'emu-seed-project' }),
      () => seeded.filter((_, i) => i < 25 || i >= 30),
    ],
  ])('the %s filter returns exactly the matching flow logs', async (_what, args, expected) => {
    const result = await getFlowlogs(args(), opts);
    expect(result.ids).toEqual(expected());
  });

  it('reports each flow log in the resource output field names', async () => {
    const { flowlogs } = await getFlowlogs({ regionId: 'cn-hangzhou', flowLogId: wholeRouter }, opts);
    expect(flowlogs).toEqual([
      {
        flowLogId: wholeRouter,
        ...WHOLE_ROUTER,
        interval: 600,
        status: 'Active',
        creationTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        flowLogVersion: '3',
      },
    ]);
  });

  it('retries a throttled page, as the resource does, and still returns every flow log', async () => {
    emu.faults.failNext('DescribeFlowlogs', 2, 'Throttling.User', 400, 'Request was denied due to user flow control.');
    const result = await getFlowlogs({ regionId: 'cn-hangzhou' }, opts);
    expect(result.ids).toHaveLength(SEEDED + 1);
  });

  it('fails with the API error, its code and fix, for a wrong AccessKey secret', async () => {
    const config: Record<string, string> = { 'alicloud:accessKey': emu.accessKeyId, 'alicloud:secretKey': 'wrong' };
    const failure = getFlowlogs({}, { ...opts, config: { get: (k) => config[k] } });
    await expect(failure).rejects.toBeInstanceOf(CenApiError);
    await expect(failure).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', action: 'DescribeFlowlogs' });
    await expect(failure).rejects.toThrow(/alicloud:secretKey/);
  });

  it('the CLI writes the program for one transit router of the CEN, and nothing else', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const env = { CEN_FLOWLOG_ENDPOINT: emu.endpoint, ALICLOUD_ACCESS_KEY: emu.accessKeyId, ALICLOUD_SECRET_KEY: emu.accessKeySecret };
    const status = await runCli(
      ['generate', '--cen-id', SH_TR.cenId, '--transit-router-id', SH_TR.transitRouterId, '--region', 'cn-shanghai'],
      {
        env,
        stdout: (t) => {
          out.push(t);
        },
        stderr: (t) => {
          err.push(t);
        },
      },
    );
    expect(err.join('')).toBe('');
    expect(status).toBe(0);
    const text = out.join('');
    expect(text.match(/new CenFlowlog\(/g)).toHaveLength(1);
    expect(text).toContain(`"shanghai": new CenFlowlog("shanghai", {`);
    expect(text).toContain(`adopt: "${shanghai}",`);
  });
});
