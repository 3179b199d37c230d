import { startEmulator, EMULATOR_IDS as I, type Emulator } from '../../src/emulator';
import { ApiError } from '../../src/emulator/errors';
import { Service } from '../../src/emulator/service';
import { buildTopology } from '../../src/emulator/topology';
import { FakeClock } from '../fixtures/fake-clock';
import { client, failure, FLOWLOG_WRITES, type Call } from './helpers';

const R = { RegionId: I.region };
const ON_ATTACHMENT = { ...R, CenId: I.cenId, TransitRouterAttachmentId: I.vpcAttachmentId };
const ON_ROUTER = { ...R, CenId: I.cenId, TransitRouterId: I.transitRouterId };

describe('ModifyFlowLogAttribute is asynchronous (virtual time)', () => {
  function service(clock: FakeClock, delays: Partial<Record<'modifyMs' | 'modifyAttributeMs', number>> = {}): Service {
    return new Service({
      topology: buildTopology(),
      now: () => clock.now(),
      delays: { createMs: 0, deleteMs: 0, modifyMs: 100, modifyAttributeMs: 400, ...delays },
    });
  }
  const status = (svc: Service, id: string): string | undefined => svc.views().find((v) => v.FlowLogId === id)?.Status;
  const run = (svc: Service, action: string, params: Record<string, string>): Record<string, unknown> => svc.run(action, params, 'ak');
  /** Advance the virtual clock without waiting. */
  const advance = async (clock: FakeClock, ms: number): Promise<void> => clock.sleep(ms);

  it.each([
    ['Active', 'Active'],
    ['Inactive', 'Inactive'],
  ])('an %s flow log is Modifying for modifyAttributeMs, then %s again', async (start, end) => {
    const clock = new FakeClock();
    const svc = service(clock);
    const id = run(svc, 'CreateFlowlog', ON_ATTACHMENT).FlowLogId as string;
    if (start === 'Inactive') {
      run(svc, 'DeactiveFlowLog', { ...R, FlowLogId: id });
      await advance(clock, 100);
    }
    expect(status(svc, id)).toBe(start);
    run(svc, 'ModifyFlowLogAttribute', { ...R, FlowLogId: id, FlowLogName: 'renamed' });
    expect(status(svc, id)).toBe('Modifying');
    await advance(clock, 399);
    expect(status(svc, id)).toBe('Modifying');
    await advance(clock, 1);
    expect(svc.views()[0]).toMatchObject({ FlowLogId: id, Status: end, FlowLogName: 'renamed' });
  });

  it('uses its own delay, independent of activate/deactivate', async () => {
    const clock = new FakeClock();
    const svc = service(clock, { modifyMs: 1000, modifyAttributeMs: 10 });
    const id = run(svc, 'CreateFlowlog', ON_ATTACHMENT).FlowLogId as string;
    run(svc, 'ModifyFlowLogAttribute', { ...R, FlowLogId: id, Interval: '60' });
    await advance(clock, 10);
    expect(status(svc, id)).toBe('Active');
    run(svc, 'DeactiveFlowLog', { ...R, FlowLogId: id });
    await advance(clock, 999);
    expect(status(svc, id)).toBe('Modifying');
  });

  it.each([
    ['an attachment flow log', 'IncorrectStatus.flowlog', ON_ATTACHMENT],
    ['a transit-router flow log', 'IncorrectStatus.TrFlowlog', ON_ROUTER],
  ])('refuses every other write to %s meanwhile with %s, as in Creating and Deleting', async (_label, code, where) => {
    const clock = new FakeClock();
    const svc = service(clock);
    const id = run(svc, 'CreateFlowlog', where).FlowLogId as string;
    run(svc, 'ModifyFlowLogAttribute', { ...R, FlowLogId: id, Description: 'd' });
    for (const [action, extra] of FLOWLOG_WRITES) {
      let thrown: unknown;
      try {
        run(svc, action, { ...R, FlowLogId: id, ...extra });
      } catch (err) {
        thrown = err;
      }
      expect([action, (thrown as ApiError | undefined)?.code]).toEqual([action, code]);
    }
    await advance(clock, 400);
    run(svc, 'DeleteFlowlog', { ...R, FlowLogId: id });
    expect(svc.views()).toEqual([]);
  });
});

describe('ModifyFlowLogAttribute over the wire', () => {
  let emu: Emulator;
  let call: Call;
  beforeAll(async () => {
    // A window far longer than the test: no race with the real clock.
    emu = await startEmulator({ delays: { createMs: 0, modifyMs: 0, modifyAttributeMs: 60_000, deleteMs: 0 } });
    call = client(emu);
  });
  afterAll(() => emu.close());

  it('answers queries and tag changes while Modifying, and refuses the flow log’s other writes', async () => {
    const { FlowLogId } = await call('CreateFlowlog', ON_ATTACHMENT);
    await call('ModifyFlowLogAttribute', { ...R, FlowLogId, FlowLogName: 'new' });
    const item = (await call('DescribeFlowlogs', { ...R, FlowLogId })).FlowLogs.FlowLog[0];
    expect(item).toMatchObject({ Status: 'Modifying', FlowLogName: 'new' });
    await call('TagResources', { ...R, ResourceType: 'Flowlog', ResourceId: [FlowLogId], Tag: [{ Key: 'k', Value: 'v' }] });
    await call('UntagResources', { ...R, ResourceType: 'Flowlog', ResourceId: [FlowLogId], TagKey: ['k'] });
    const err = await failure(call('DeactiveFlowLog', { ...R, FlowLogId }));
    expect([err.code, err.statusCode]).toEqual(['IncorrectStatus.flowlog', 400]);
    emu.deleteFlowLog(FlowLogId);
  });

  it('defaults modifyAttributeMs to modifyMs', async () => {
    const other = await startEmulator({ delays: { createMs: 0, modifyMs: 60_000, deleteMs: 0 } });
    try {
      const c = client(other);
      const { FlowLogId } = await c('CreateFlowlog', ON_ATTACHMENT);
      await c('ModifyFlowLogAttribute', { ...R, FlowLogId, Interval: 60 });
      expect(other.flowLogs()[0]!.Status).toBe('Modifying');
    } finally {
      await other.close();
    }
  });

  it('refuses a negative modifyAttributeMs naming it', async () => {
    await expect(startEmulator({ delays: { modifyAttributeMs: -1 } })).rejects.toThrow('delays.modifyAttributeMs');
  });
});
