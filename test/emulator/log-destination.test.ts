/**
 * A flow log whose Log Service project or Logstore was removed first: DeleteFlowlog answers
 * SourceProjectNotExist / ProjectOrLogstoreNotExist, and `deleteWithoutLogStore` chooses
 * whether the flow log goes all the same (the live behaviour is undocumented).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, EMULATOR_IDS as I, type Emulator } from '../../src/emulator';
import { client, failure, raw, type Call } from './helpers';

const R = { RegionId: I.region };
const CREATE = { ...R, CenId: I.cenId, TransitRouterAttachmentId: I.vpcAttachmentId, ProjectName: 'flows-prj', LogStoreName: 'flows-ls' };

describe.each(['remove', 'keep'] as const)('DeleteFlowlog without its log destination (deleteWithoutLogStore: %s)', (mode) => {
  let emu: Emulator;
  let call: Call;
  beforeEach(async () => {
    emu = await startEmulator({ delays: { createMs: 0, modifyMs: 0, deleteMs: 0 }, deleteWithoutLogStore: mode });
    call = client(emu, { timeoutMs: 1000 });
  });
  afterEach(() => emu.close());

  const listed = async (FlowLogId: string): Promise<number> => Number((await call('DescribeFlowlogs', { ...R, FlowLogId })).TotalCount);

  it.each([
    ['project', 'SourceProjectNotExist', (e: Emulator) => e.removeLogProject('flows-prj')],
    ['Logstore', 'ProjectOrLogstoreNotExist', (e: Emulator) => e.removeLogStore('flows-prj', 'flows-ls')],
  ])('answers a removed %s with %s (400)', async (_what, code, remove) => {
    const { FlowLogId } = await call('CreateFlowlog', CREATE);
    expect(remove(emu)).toBe(true);
    const err = await failure(call('DeleteFlowlog', { ...R, FlowLogId }));
    expect([err.code, err.statusCode]).toEqual([code, 400]);
    expect(await listed(FlowLogId)).toBe(mode === 'remove' ? 0 : 1);
    if (mode === 'keep') expect(emu.flowLogs()[0]!.Status).toBe('Active');
  });

  it('deletes as usual once the project and Logstore exist again', async () => {
    const { FlowLogId } = await call('CreateFlowlog', CREATE);
    emu.removeLogProject('flows-prj');
    // Another flow log into the same project and Logstore creates them again.
    await call('CreateFlowlog', { ...CREATE, TransitRouterAttachmentId: I.vpnAttachmentId });
    expect((await call('DeleteFlowlog', { ...R, FlowLogId })).Success).toBe('true');
  });

  it('removes a project or Logstore over the admin endpoint, and 404s an unknown one', async () => {
    const { FlowLogId } = await call('CreateFlowlog', CREATE);
    const del = (path: string) => raw(emu, { method: 'DELETE', path });
    expect((await del('/__admin/projects/flows-prj/logstores/flows-ls')).status).toBe(200);
    expect((await failure(call('DeleteFlowlog', { ...R, FlowLogId }))).code).toBe('ProjectOrLogstoreNotExist');
    expect((await del('/__admin/projects/no-such-prj')).status).toBe(404);
    expect((await del('/__admin/projects/flows-prj/logstores/no-such-ls')).status).toBe(404);
    expect((await del('/__admin/projects/flows-prj')).json).toEqual({ removed: { project: 'flows-prj' } });
  });
});

it('refuses a deleteWithoutLogStore that is neither remove nor keep', async () => {
  await expect(startEmulator({ deleteWithoutLogStore: 'maybe' as never })).rejects.toThrow(
    /deleteWithoutLogStore` to be remove or keep, got maybe/,
  );
});

it('keeps the removal a refused DeleteFlowlog made (remove) in the state file, and the removed project', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-destination-'));
  const stateFile = path.join(dir, 'state.json');
  try {
    const first = await startEmulator({ stateFile, delays: { createMs: 0, modifyMs: 0, deleteMs: 0 } });
    const call = client(first, { timeoutMs: 1000 });
    const kept = await call('CreateFlowlog', { ...CREATE, TransitRouterAttachmentId: I.vpnAttachmentId });
    const gone = await call('CreateFlowlog', CREATE);
    first.removeLogProject('flows-prj');
    expect((await failure(call('DeleteFlowlog', { ...R, FlowLogId: gone.FlowLogId }))).code).toBe('SourceProjectNotExist');
    await first.close();

    const second = await startEmulator({ stateFile, delays: { createMs: 0, modifyMs: 0, deleteMs: 0 } });
    try {
      expect(second.flowLogs().map((f) => f.FlowLogId)).toEqual([kept.FlowLogId]);
      const again = client(second, { timeoutMs: 1000 });
      expect((await failure(again('DeleteFlowlog', { ...R, FlowLogId: kept.FlowLogId }))).code).toBe('SourceProjectNotExist');
    } finally {
      await second.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
