import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, EMULATOR_IDS as I } from '../../src/emulator';
import { banner, parseCli, UsageError } from '../../src/emulator/cli';
import { client } from './helpers';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cen-emu-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const R = { RegionId: I.region };
const fast = { createMs: 0, modifyMs: 0, deleteMs: 0 };

describe('the state file', () => {
  it('lets one process create a flow log and a later one see, change and delete it', async () => {
    const stateFile = join(dir, 'state.json');
    const create = {
      ...R,
      CenId: I.cenId,
      TransitRouterAttachmentId: I.vpcAttachmentId,
      ProjectName: 'persisted-project',
      ClientToken: 't1',
      Tag: [{ Key: 'k', Value: 'v' }],
    };
    const first = await startEmulator({ stateFile, delays: fast });
    const { FlowLogId } = await client(first)('CreateFlowlog', create);
    await first.close();
    expect(readdirSync(dir)).toEqual(['state.json']);

    const second = await startEmulator({ stateFile, delays: fast });
    try {
      const call = client(second);
      const item = (await call('DescribeFlowlogs', { ...R, FlowLogId })).FlowLogs.FlowLog[0];
      expect(item).toMatchObject({
        FlowLogId,
        Status: 'Active',
        ProjectName: 'persisted-project',
        Tags: { Tag: [{ Key: 'k', Value: 'v' }] },
      });
      const replay = await call('CreateFlowlog', create);
      expect(replay.FlowLogId).toBe(FlowLogId);
      await call('DeleteFlowlog', { ...R, FlowLogId });
    } finally {
      await second.close();
    }
    const third = await startEmulator({ stateFile, delays: fast });
    expect(third.flowLogs()).toEqual([]);
    await third.close();
  });

  it('keeps a transition running across a restart', async () => {
    const stateFile = join(dir, 'transition.json');
    const first = await startEmulator({ stateFile, delays: { createMs: 300 } });
    const { FlowLogId } = await client(first)('CreateFlowlog', { ...R, CenId: I.cenId, TransitRouterId: I.transitRouterId });
    await first.close();
    const second = await startEmulator({ stateFile });
    expect(second.flowLogs()[0]).toMatchObject({ FlowLogId, Status: 'Creating' });
    await new Promise((r) => setTimeout(r, 350));
    expect(second.flowLogs()[0]).toMatchObject({ FlowLogId, Status: 'Active' });
    await second.close();
  });

  it('saves out-of-band changes too', async () => {
    const stateFile = join(dir, 'admin.json');
    const first = await startEmulator({ stateFile });
    const [id] = first.seedFlowLogs(1);
    first.updateFlowLog(id!, { FlowLogName: 'drift' });
    await first.close();
    const second = await startEmulator({ stateFile });
    expect(second.flowLogs()[0]).toMatchObject({ FlowLogId: id, FlowLogName: 'drift' });
    await second.close();
  });

  it.each([
    ['not JSON', '{"format": "cen-flowlog-emulator/1", "flowLogs": ['],
    ['another format', '{"hello": "world"}'],
    ['a malformed flow log', '{"format":"cen-flowlog-emulator/1","flowLogs":[{"x":1}],"projects":[],"clientTokens":[]}'],
  ])('refuses to start on a state file that is %s, naming it and leaving it untouched', async (_label, content) => {
    const stateFile = join(dir, `corrupt-${Math.random()}.json`);
    writeFileSync(stateFile, content);
    await expect(startEmulator({ stateFile })).rejects.toThrow(stateFile);
    expect(readFileSync(stateFile, 'utf8')).toBe(content);
  });

  it('refuses to start on an unreadable state file', async () => {
    await expect(startEmulator({ stateFile: dir })).rejects.toThrow(`Cannot read emulator state file ${dir}`);
  });
});

describe('options', () => {
  it('merges a partial topology on the defaults and serves it', async () => {
    const emu = await startEmulator({
      delays: fast,
      topology: {
        transitRouters: [{ transitRouterId: 'tr-custom', cenId: I.cenId, regionId: 'eu-central-1', edition: 'Enterprise' }],
        attachments: [{ attachmentId: 'tr-attach-custom', transitRouterId: 'tr-custom', kind: 'VPN' }],
      },
    });
    try {
      expect(emu.topology.regions).toContain('eu-central-1');
      expect(emu.topology.transitRouters.map((t) => t.transitRouterId)).toContain(I.transitRouterId);
      const body = await client(emu)('CreateFlowlog', {
        RegionId: 'eu-central-1',
        CenId: I.cenId,
        TransitRouterAttachmentId: 'tr-attach-custom',
      });
      expect(body.FlowLogId).toMatch(/^flowlog-/);
    } finally {
      await emu.close();
    }
  });

  it.each([
    [
      { topology: { attachments: [{ attachmentId: 'a', transitRouterId: 'tr-none', kind: 'VPC' as const }] } },
      /unknown transit router tr-none/,
    ],
    [
      { topology: { transitRouters: [{ transitRouterId: 't', cenId: 'cen-none', regionId: 'r', edition: 'Enterprise' as const }] } },
      /unknown CEN cen-none/,
    ],
    [{ delays: { createMs: -1 } }, /delays.createMs/],
    [{ ratePerSecond: -5 }, /ratePerSecond/],
    [{ quota: 1.5 }, /quota/],
  ])('refuses bad options %#', async (options, message) => {
    await expect(startEmulator(options)).rejects.toThrow(message);
  });
});

describe('the CLI', () => {
  it('parses every flag', () => {
    const topology = join(dir, 'topology.json');
    writeFileSync(topology, JSON.stringify({ quota: 7 }));
    expect(
      parseCli([
        '--port',
        '8080',
        '--host',
        '0.0.0.0',
        '--state-file',
        's.json',
        '--topology',
        topology,
        '--create-delay-ms',
        '10',
        '--modify-delay-ms',
        '20',
        '--delete-delay-ms',
        '30',
        '--rate',
        '5',
        '--burst',
        '9',
        '--log-requests',
      ]),
    ).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      stateFile: 's.json',
      topology: { quota: 7 },
      delays: { createMs: 10, modifyMs: 20, deleteMs: 30 },
      ratePerSecond: 5,
      burst: 9,
      logRequests: true,
    });
  });

  it('defaults to demo delays of seconds', () => {
    expect(parseCli([])).toMatchObject({ delays: { createMs: 3000, modifyMs: 2000, modifyAttributeMs: 2000, deleteMs: 2000 } });
  });

  it.each([
    [['--modify-delay-ms', '500'], { modifyMs: 500, modifyAttributeMs: 500 }],
    [['--modify-attribute-delay-ms', '40'], { modifyMs: 2000, modifyAttributeMs: 40 }],
    [['--modify-delay-ms', '500', '--modify-attribute-delay-ms', '0'], { modifyMs: 500, modifyAttributeMs: 0 }],
  ])('takes the ModifyFlowLogAttribute delay from %j', (argv, delays) => {
    expect(parseCli(argv)).toMatchObject({ delays });
  });

  it.each([
    [[], undefined],
    [['--default-log-format', 'fill'], 'fill'],
    [['--default-log-format', 'empty'], 'empty'],
  ])('parses %j as defaultLogFormat %s', (argv, expected) => {
    expect((parseCli(argv) as { defaultLogFormat?: string }).defaultLogFormat).toBe(expected);
  });

  it.each([
    [[], undefined],
    [['--delete-without-logstore', 'remove'], 'remove'],
    [['--delete-without-logstore', 'keep'], 'keep'],
  ])('parses %j as deleteWithoutLogStore %s', (argv, expected) => {
    expect((parseCli(argv) as { deleteWithoutLogStore?: string }).deleteWithoutLogStore).toBe(expected);
  });

  it('answers --help', () => {
    expect(parseCli(['--help'])).toBe('help');
    expect(parseCli(['-h'])).toBe('help');
  });

  it.each([
    [['--bogus']],
    [['--port']],
    [['--port', 'abc']],
    [['--rate', '-1']],
    [['stray']],
    [['--topology', '/nonexistent.json']],
    [['--default-log-format', 'full']],
    [['--delete-without-logstore', 'sometimes']],
    [['--modify-attribute-delay-ms', '-5']],
  ])('refuses %j with a usage error', (argv) => {
    expect(() => parseCli(argv)).toThrow(UsageError);
  });

  it('prints the endpoint and credentials as shell exports', async () => {
    const emu = await startEmulator();
    try {
      const text = banner(emu);
      expect(text).toContain(`export ALIBABA_CLOUD_ACCESS_KEY_ID=${emu.accessKeyId}`);
      expect(text).toContain(`export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${emu.accessKeySecret}`);
      expect(text).toContain(`export CEN_FLOWLOG_ENDPOINT=http://127.0.0.1:${emu.port}`);
      expect(emu.accessKeyId).not.toMatch(/^LTAI/);
    } finally {
      await emu.close();
    }
  });
});
