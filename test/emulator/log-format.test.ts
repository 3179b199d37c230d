import { startEmulator, EMULATOR_IDS as I, DEFAULT_LOG_FORMAT, type Emulator, type EmulatorOptions } from '../../src/emulator';
import { client } from './helpers';

const R = { RegionId: I.region };
const CREATE = { ...R, CenId: I.cenId, TransitRouterAttachmentId: I.vpcAttachmentId };
const GIVEN = '${srcaddr}${dstaddr}${bytes}${srcport}';

describe.each([
  ['by default', {}, DEFAULT_LOG_FORMAT],
  ["with defaultLogFormat 'fill'", { defaultLogFormat: 'fill' }, DEFAULT_LOG_FORMAT],
  ["with defaultLogFormat 'empty'", { defaultLogFormat: 'empty' }, ''],
] as Array<[string, EmulatorOptions, string]>)('a flow log created without LogFormatString, %s', (_label, options, expected) => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ ...options, delays: { createMs: 0 } });
  });
  afterAll(() => emu.close());

  it(`reports LogFormatString ${JSON.stringify(expected.slice(0, 20))}…`, async () => {
    const call = client(emu);
    const { FlowLogId } = await call('CreateFlowlog', CREATE);
    const item = (await call('DescribeFlowlogs', { ...R, FlowLogId })).FlowLogs.FlowLog[0];
    expect(item.LogFormatString).toBe(expected);
    expect(emu.seedFlowLogs(1).map((id) => emu.flowLogs().find((f) => f.FlowLogId === id)!.LogFormatString)).toEqual([expected]);
  });

  it('keeps a given LogFormatString as given', async () => {
    const call = client(emu);
    const { FlowLogId } = await call('CreateFlowlog', { ...R, CenId: I.cenId, TransitRouterId: I.transitRouterId, LogFormatString: GIVEN });
    expect((await call('DescribeFlowlogs', { ...R, FlowLogId })).FlowLogs.FlowLog[0].LogFormatString).toBe(GIVEN);
  });
});

it('refuses an unknown defaultLogFormat, naming the option', async () => {
  await expect(startEmulator({ defaultLogFormat: 'none' as never })).rejects.toThrow('`defaultLogFormat` to be fill or empty, got none');
});
