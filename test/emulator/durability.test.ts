import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, EMULATOR_IDS as I, type Emulator } from '../../src/emulator';
import { client, failure, raw } from './helpers';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cen-emu-durable-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const R = { RegionId: I.region };
const CREATE = { ...R, CenId: I.cenId, TransitRouterAttachmentId: I.vpcAttachmentId };
const fast = { createMs: 0, modifyMs: 0, modifyAttributeMs: 0, deleteMs: 0 };

/** Make every save fail (the temporary file's name is taken by a directory) until healed. */
function breakSaving(stateFile: string): () => void {
  const blocker = `${stateFile}.${process.pid}.tmp`;
  mkdirSync(blocker);
  return () => rmSync(blocker, { recursive: true, force: true });
}

describe('an acknowledged write is durable', () => {
  it('answers ServiceUnavailable when the save fails, changes nothing, and lets the retry really retry', async () => {
    const stateFile = join(dir, 'delete.json');
    const first = await startEmulator({ stateFile, delays: fast });
    const call = client(first);
    const { FlowLogId } = await call('CreateFlowlog', CREATE);
    const heal = breakSaving(stateFile);
    const del = { ...R, FlowLogId, ClientToken: 'delete-once' };
    for (let attempt = 0; attempt < 2; attempt++) {
      const err = await failure(call('DeleteFlowlog', del));
      expect([err.code, err.statusCode]).toEqual(['ServiceUnavailable', 503]);
      expect(first.flowLogs().map((f) => [f.FlowLogId, f.Status])).toEqual([[FlowLogId, 'Active']]);
    }
    heal();
    expect((await call('DeleteFlowlog', del)).Success).toBe('true');
    await first.close();
    const second = await startEmulator({ stateFile, delays: fast });
    expect(second.flowLogs()).toEqual([]);
    await second.close();
  });

  it('does not remember the ClientToken of a create that was not saved', async () => {
    const stateFile = join(dir, 'create.json');
    const emu = await startEmulator({ stateFile, delays: fast });
    const call = client(emu);
    const heal = breakSaving(stateFile);
    const params = { ...CREATE, ClientToken: 'create-once' };
    expect((await failure(call('CreateFlowlog', params))).statusCode).toBe(503);
    expect(emu.flowLogs()).toEqual([]);
    heal();
    const { FlowLogId } = await call('CreateFlowlog', params);
    expect(emu.flowLogs().map((f) => f.FlowLogId)).toEqual([FlowLogId]);
    await emu.close();
    const again = await startEmulator({ stateFile, delays: fast });
    expect(again.flowLogs().map((f) => f.FlowLogId)).toEqual([FlowLogId]);
    expect((await client(again)('CreateFlowlog', params)).FlowLogId).toBe(FlowLogId);
    await again.close();
  });

  it('rolls back an admin change that cannot be saved and answers 503', async () => {
    const stateFile = join(dir, 'admin.json');
    const emu = await startEmulator({ stateFile, delays: fast });
    const [id] = emu.seedFlowLogs(1);
    const heal = breakSaving(stateFile);
    try {
      const res = await raw(emu, { path: `/__admin/flowlogs/${id}`, body: JSON.stringify({ FlowLogName: 'drift' }) });
      expect([res.status, res.json.Code]).toEqual([503, 'ServiceUnavailable']);
      expect(emu.flowLogs()[0]!.FlowLogName).toBeUndefined();
      expect(() => emu.seedFlowLogs(2)).toThrow(/not saved/);
      expect(emu.flowLogs()).toHaveLength(1);
    } finally {
      heal();
      await emu.close();
    }
  });
});

describe('temporary state files', () => {
  it('removes the ones a killed emulator left at start, and keeps a live process’s', async () => {
    const stateFile = join(dir, 'temps.json');
    const dead = 2 ** 22 + 12345; // above Linux's pid_max: no such process
    writeFileSync(`${stateFile}.${dead}.tmp`, '{"half');
    writeFileSync(`${stateFile}.${process.ppid}.tmp`, '{"in progress');
    writeFileSync(join(dir, 'unrelated.json.1.tmp'), 'not ours');
    const emu = await startEmulator({ stateFile, delays: fast });
    await emu.close();
    expect(existsSync(`${stateFile}.${dead}.tmp`)).toBe(false);
    expect(existsSync(`${stateFile}.${process.ppid}.tmp`)).toBe(true);
    expect(readdirSync(dir)).toContain('unrelated.json.1.tmp');
  });
});

describe('admin input bounds', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ delays: fast });
  });
  afterAll(() => emu.close());

  it.each([
    ['more than 100000', 100_001],
    ['a huge number', 1e12],
    ['a fraction', 1.5],
    ['a string', '10'],
  ])('refuses a seed count of %s with a 400 naming count', async (_label, count) => {
    const res = await raw(emu, { path: '/__admin/seed', body: JSON.stringify({ count }) });
    expect([res.status, res.json.Code]).toEqual([400, 'InvalidAdminRequest']);
    expect(res.json.Message).toContain('`count`');
    expect(emu.flowLogs()).toEqual([]);
  });

  it.each(['%zz', '%E0%A4%A', '%'])('answers a malformed percent-escape %s in an admin path with 400', async (part) => {
    const res = await raw(emu, { path: `/__admin/flowlogs/${part}`, body: '{}' });
    expect([res.status, res.json.Code]).toEqual([400, 'InvalidAdminRequest']);
    expect(res.json.Message).toContain('percent-encoded');
  });
});
