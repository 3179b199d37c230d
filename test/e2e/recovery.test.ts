/**
 * The README recipe "Recovering from an interrupted `pulumi up`", run as a user
 * runs it: the `pulumi` binary in a project folder, SIGKILLed (with its plugin
 * processes) while three creates wait for Active, then `pulumi cancel`, the
 * failing `up` that names each flow log and its `adopt`, `pulumi refresh
 * --clear-pending-creates`, and `adopt`. The emulator keeps new flow logs
 * `Creating` for CREATE_MS so the kill lands inside the wait.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EMULATOR_IDS } from 'cen-flowlog/emulator';
import { Emulator, startEmulator } from '../../src/emulator';
import { CLI_ROOT, FLOWLOG_TYPE, ROOT, cliEnv, pulumiCli, stackName, writeCalls } from './harness';

jest.setTimeout(120_000);

const CREATE_MS = 12_000;
const I = EMULATOR_IDS;
/** Resource name → attachment (undefined: the whole transit router). */
const LOCATIONS: Record<string, string | undefined> = { whole: undefined, vpc1: I.vpcAttachmentId, vpc2: I.vpcAttachmentId2 };

/** The program: one flow log per location; `pulumi config set --path adopt.<name> <id>` adopts. */
const PROGRAM = `const pulumi = require('@pulumi/pulumi');
const { CenFlowlog } = require('cen-flowlog');
const { EMULATOR_IDS: I } = require('cen-flowlog/emulator');
const adopt = new pulumi.Config().getObject('adopt') || {};
const locations = ${JSON.stringify(LOCATIONS, (_k, v: unknown) => v ?? null)};
exports.ids = {};
for (const [name, attachment] of Object.entries(locations)) {
  const fl = new CenFlowlog(name, {
    regionId: I.region, cenId: I.cenId, transitRouterId: I.transitRouterId,
    ...(attachment ? { transitRouterAttachmentId: attachment } : {}),
    projectName: 'recovery-project', logStoreName: 'recovery-logstore', flowLogName: name,
    ...(adopt[name] ? { adopt: adopt[name] } : {}),
  });
  exports.ids[name] = fl.flowLogId;
}
`;

/** A project folder outside the repository whose packages resolve from the repository's node_modules. */
function makeProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-e2e-recovery-'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), 'name: cen-flowlog-recovery\nruntime: nodejs\n');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'recovery', private: true, main: 'index.js' }));
  fs.writeFileSync(path.join(dir, 'index.js'), PROGRAM);
  return dir;
}

interface Run {
  code: number | null;
  output: string;
}

/** The children of every process, from /proc (Linux): the plugins are not in the CLI's process group. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const walk = (pid: number): void => {
    for (const c of children.get(pid) ?? []) {
      found.push(c);
      walk(c);
    }
  };
  walk(root);
  return found;
}

async function until(what: string, ready: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const byLocation = (emu: Emulator): Record<string, string> =>
  Object.fromEntries(
    Object.entries(LOCATIONS).map(([name, attachment]) => {
      const ids = emu
        .flowLogs()
        .filter((f) => f.TransitRouterAttachmentId === attachment)
        .map((f) => f.FlowLogId);
      if (ids.length !== 1) throw new Error(`Expected one flow log for ${name}, found ${ids.length}`);
      return [name, ids[0]!];
    }),
  );

describe('recovering from a pulumi up killed while creates wait for Active', () => {
  let emu: Emulator;
  let projectDir: string;
  let backendDir: string;
  let env: Record<string, string>;
  const stack = stackName('recovery');
  let ids: Record<string, string>;

  /** One pulumi command as a user types it (plus non-interactive, no color). */
  const pulumi = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        path.join(CLI_ROOT, 'bin', 'pulumi'),
        [...args, '--stack', stack, '--non-interactive', '--color', 'never'],
        { cwd: projectDir, env, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: stdout + stderr }),
      );
    });

  /** Lock files of the file backend (`.pulumi/locks/<org>/<project>/<stack>/<uuid>.json`). */
  const lockFiles = (): string[] => {
    const dir = path.join(backendDir, '.pulumi', 'locks');
    if (!fs.existsSync(dir)) return [];
    return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json'));
  };
  const pendingCreates = async (): Promise<string[]> => {
    const state = JSON.parse((await pulumi('stack', 'export')).output) as {
      deployment: { pending_operations?: Array<{ type: string; resource: { urn: string } }> };
    };
    return (state.deployment.pending_operations ?? []).map((p) => `${p.type} ${p.resource.urn.split('::').pop()}`).sort();
  };
  const stackFlowLogs = async (): Promise<Record<string, string>> => {
    const state = JSON.parse((await pulumi('stack', 'export')).output) as {
      deployment: { resources: Array<{ type: string; urn: string; id: string }> };
    };
    return Object.fromEntries(
      state.deployment.resources.filter((r) => r.type === FLOWLOG_TYPE).map((r) => [r.urn.split('::').pop(), r.id]),
    );
  };

  beforeAll(async () => {
    await pulumiCli(); // fails loudly when the CLI is missing
    emu = await startEmulator({ delays: { createMs: CREATE_MS, modifyMs: 200, deleteMs: 200 } });
    projectDir = makeProject();
    backendDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-e2e-backend-'));
    env = { ...cliEnv(emu, backendDir), HOME: os.homedir() };
    const init = await pulumi('stack', 'init');
    if (init.code !== 0) throw new Error(`pulumi stack init failed: ${init.output}`);
  });

  afterAll(async () => {
    if (projectDir) {
      await pulumi('destroy', '--yes', '--skip-preview'); // the stack itself goes with the backend folder
      fs.rmSync(projectDir, { recursive: true, force: true });
    }
    if (backendDir) fs.rmSync(backendDir, { recursive: true, force: true });
    await emu?.close();
  });

  it('a SIGKILL while the creates wait leaves three Creating flow logs and a lock', async () => {
    const up: ChildProcess = spawn(
      path.join(CLI_ROOT, 'bin', 'pulumi'),
      ['up', '--yes', '--skip-preview', '--stack', stack, '--non-interactive', '--color', 'never'],
      { cwd: projectDir, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    up.stdout?.on('data', (d) => {
      output += d;
    });
    up.stderr?.on('data', (d) => {
      output += d;
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => up.on('exit', (_code, signal) => resolve(signal)));
    try {
      await until('three flow logs in Creating', () => emu.flowLogs().length === 3, 60_000).catch((err: Error) => {
        throw new Error(`${err.message}; pulumi up printed:\n${output}`);
      });
    } finally {
      // Stopped first, so that it starts no process between the listing and the kill.
      process.kill(up.pid!, 'SIGSTOP');
      for (const pid of [...descendants(up.pid!), up.pid!]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    expect(await exited).toBe('SIGKILL');
    expect(emu.flowLogs().map((f) => f.Status)).toEqual(['Creating', 'Creating', 'Creating']);
    expect(output).not.toMatch(/created|Resources:/);
    expect(lockFiles()).toHaveLength(1);
    ids = byLocation(emu);
  });

  it('the next up is refused while the lock is there, and pulumi cancel removes the lock', async () => {
    emu.resetRequestLog();
    const locked = await pulumi('up', '--yes', '--skip-preview');
    expect(locked.code).not.toBe(0);
    expect(locked.output).toContain('the stack is currently locked by 1 lock(s)');
    expect(locked.output).toContain('delete the lock file with `pulumi cancel`');
    expect(emu.requests()).toEqual([]);

    const cancel = await pulumi('cancel', '--yes');
    expect(cancel.code).toBe(0);
    expect(cancel.output).toContain(`The currently running update for '${stack}' has been canceled!`);
    expect(lockFiles()).toEqual([]);
  });

  it('then up fails on each flow log, naming it and the adopt to add, and creates no second one', async () => {
    emu.resetRequestLog();
    const up = await pulumi('up', '--yes', '--skip-preview');
    expect(up.code).not.toBe(0);
    expect(up.output).toContain('Attempting to deploy or update resources with 3 pending operations from previous deployment.');
    for (const [name, id] of Object.entries(ids)) {
      expect(up.output).toContain(`${name}, interrupted while creating`);
      expect(up.output).toContain(`: ${id} (the service allows one there). To manage it with this resource, set \`adopt: "${id}"\``);
    }
    expect(writeCalls(emu)).toEqual(['CreateFlowlog', 'CreateFlowlog', 'CreateFlowlog']);
    expect(
      emu
        .requests()
        .filter((r) => r.action === 'CreateFlowlog')
        .map((r) => r.code)
        .sort(),
    ).toEqual(['Flowlog.AlreayExist', 'Flowlog.AlreayExist', 'InvalidFlowlogId.exist']);
    expect(Object.values(byLocation(emu)).sort()).toEqual(Object.values(ids).sort());
    expect(await pendingCreates()).toEqual(['creating vpc1', 'creating vpc2', 'creating whole']);
  });

  it('a plain refresh keeps the pending creates, and --import-pending-creates drops one without recording the flow log', async () => {
    const plain = await pulumi('refresh', '--yes');
    expect(plain.code).toBe(0);
    expect(await pendingCreates()).toHaveLength(3);

    const urn = `urn:pulumi:${stack}::cen-flowlog-recovery::${FLOWLOG_TYPE}::vpc1`;
    const imported = await pulumi('refresh', '--yes', '--import-pending-creates', urn, '--import-pending-creates', ids.vpc1!);
    expect(imported.code).toBe(0);
    expect(await pendingCreates()).toEqual(['creating vpc2', 'creating whole']);
    expect(await stackFlowLogs()).toEqual({});
  });

  it('refresh --clear-pending-creates --yes drops the interrupted creates without a prompt', async () => {
    const clear = await pulumi('refresh', '--clear-pending-creates', '--yes');
    expect(clear.code).toBe(0);
    expect(await pendingCreates()).toEqual([]);
    expect(Object.values(byLocation(emu)).sort()).toEqual(Object.values(ids).sort()); // only the state changed
  });

  it('adopting each id from the error brings the flow logs into the stack with no write call', async () => {
    // One command for the three (`pulumi config set --path adopt.<name> <id>` each, as the README says, does the same).
    const pairs = Object.entries(ids).map(([name, id]) => `adopt.${name}=${id}`);
    expect((await pulumi('config', 'set-all', '--path', ...pairs.flatMap((p) => ['--plaintext', p]))).code).toBe(0);
    emu.resetRequestLog();
    const up = await pulumi('up', '--yes', '--skip-preview');
    expect(up.code).toBe(0);
    expect(up.output).toContain('3 created');
    expect(up.output).not.toContain('pending operations');
    expect(writeCalls(emu)).toEqual([]);
    expect(await stackFlowLogs()).toEqual(ids);
    expect(byLocation(emu)).toEqual(ids);
    expect(emu.flowLogs().map((f) => f.Status)).toEqual(['Active', 'Active', 'Active']);
  });

  it('a final preview shows no changes, with adopt and after removing it', async () => {
    const withAdopt = await pulumi('preview', '--expect-no-changes');
    expect(withAdopt.code).toBe(0);
    expect(withAdopt.output).toContain('4 unchanged');

    expect((await pulumi('config', 'rm', 'adopt')).code).toBe(0);
    const without = await pulumi('preview', '--expect-no-changes');
    expect(without.code).toBe(0);
    expect(without.output).toContain('4 unchanged');
    expect(emu.flowLogs()).toHaveLength(3);
  });
});
