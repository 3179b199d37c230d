import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { readSettings, type ProviderSettings } from '../../src/core/settings';
import { configFromPulumiJson } from '../../src/cli/stack-config';
import { checkInputs } from '../../src/model/check';
import { parseCli, runCli, USAGE } from '../../src/cli/cli';
import type { ApiFlowLog } from '../../src/transport/types';
import { diffFlowlog } from '../../src/model/diff';
import { generateProgram, resourceNames, sanitizeName } from '../../src/cli/generate';
import { toFound, type FoundFlowlog } from '../../src/core/lookup';
import { toOutputs } from '../../src/core/mapping';
import type { Session, SessionFactory } from '../../src/core/session';
import { DEFAULT_LOG_FORMAT } from '../../src/emulator';
import { FakeCenApi } from '../fixtures/fake-api';

let seq = 0;
function apiFlowLog(over: Partial<ApiFlowLog> = {}): ApiFlowLog {
  seq += 1;
  return {
    FlowLogId: `flowlog-${String(seq).padStart(6, '0')}`,
    RegionId: 'cn-hangzhou',
    CenId: 'cen-1',
    TransitRouterId: 'tr-1',
    TransitRouterAttachmentId: `tr-attach-${seq}`,
    ProjectName: 'proj',
    LogStoreName: 'store',
    Interval: 600,
    LogFormatString: DEFAULT_LOG_FORMAT,
    FlowLogVersion: '3',
    Status: 'Active',
    CreationTime: '2025-01-01T00:00:00Z',
    Tags: [],
    ...over,
  };
}
const found = (over: Partial<ApiFlowLog> = {}): FoundFlowlog => toFound(apiFlowLog(over));

interface Declared {
  name: string;
  args: Record<string, unknown>;
}

/** Runs the generated program with a stand-in CenFlowlog that records what it was declared with. */
function run(program: string): { declared: Declared[]; exports: Record<string, unknown> } {
  const declared: Declared[] = [];
  class CenFlowlog {
    readonly flowLogId: string;
    constructor(name: string, args: Record<string, unknown>) {
      declared.push({ name, args });
      this.flowLogId = String(args.adopt);
    }
  }
  const js = ts.transpileModule(program, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const exports: Record<string, unknown> = {};
  const load = (m: string): unknown => {
    if (m !== 'cen-flowlog') throw new Error(`the program requires ${m}`);
    return { CenFlowlog };
  };
  new Function('require', 'exports', js)(load, exports);
  return { declared, exports };
}

describe('generateProgram', () => {
  const edge = apiFlowLog({
    FlowLogName: 'edge',
    Description: 'all "VPC" traffic\nsecond line',
    Interval: 60,
    Status: 'Inactive',
    LogFormatString: '${srcaddr}${dstaddr}${bytes}${protocol}',
    Tags: [
      { Key: 'team', Value: 'net' },
      { Key: 'env', Value: '' },
    ],
  });
  const core = apiFlowLog({ TransitRouterAttachmentId: undefined, LogFormatString: '${srcaddr}${dstaddr}${bytes}' });

  it('declares one CenFlowlog per flow log with every field as the service reports it, adopted by id', () => {
    const { declared } = run(generateProgram([toFound(edge), toFound(core)]));
    expect(declared).toEqual([
      {
        name: 'edge',
        args: {
          regionId: 'cn-hangzhou',
          cenId: 'cen-1',
          transitRouterId: 'tr-1',
          transitRouterAttachmentId: edge.TransitRouterAttachmentId,
          projectName: 'proj',
          logStoreName: 'store',
          flowLogName: 'edge',
          description: 'all "VPC" traffic\nsecond line',
          interval: 60,
          logFormatString: '${srcaddr}${dstaddr}${bytes}${protocol}',
          status: 'Inactive',
          tags: { env: '', team: 'net' },
          adopt: edge.FlowLogId,
        },
      },
      {
        name: core.FlowLogId,
        args: {
          regionId: 'cn-hangzhou',
          cenId: 'cen-1',
          transitRouterId: 'tr-1',
          projectName: 'proj',
          logStoreName: 'store',
          interval: 600,
          logFormatString: '${srcaddr}${dstaddr}${bytes}',
          status: 'Active',
          tags: {},
          adopt: core.FlowLogId,
        },
      },
    ]);
  });

  it.each<[string, Partial<ApiFlowLog>]>([
    [
      'a named, tagged, Inactive flow log on an attachment',
      {
        FlowLogName: 'edge',
        Description: 'd',
        Status: 'Inactive',
        Interval: 60,
        Tags: [
          { Key: 'b', Value: '' },
          { Key: 'a', Value: '1' },
        ],
      },
    ],
    ['an unnamed flow log on the whole transit router', { TransitRouterAttachmentId: undefined }],
    ['a flow log with the default log format (every field)', { LogFormatString: DEFAULT_LOG_FORMAT }],
    ['a flow log whose log format the service reports empty', { LogFormatString: '' }],
    ['a flow log with a custom log format', { LogFormatString: '${srcaddr}${dstaddr}${bytes}${srcport}' }],
    ['a flow log still Creating', { Status: 'Creating' }],
  ])('the declaration of %s passes check() and diffs as no change against it (a no-op adoption)', (_what, over) => {
    const live = apiFlowLog(over);
    const { declared } = run(generateProgram([toFound(live)]));
    const { inputs, failures } = checkInputs(declared[0]!.args);
    expect(failures).toEqual([]);
    const current = toOutputs({ ...live, Status: live.Status === 'Creating' ? 'Active' : live.Status }, inputs);
    expect(diffFlowlog(current as unknown as Record<string, unknown>, inputs as unknown as Record<string, unknown>).changes).toBe(false);
  });

  it('leaves the system tags out: the program passes check() and adoption leaves them on the flow log', () => {
    const system = [
      { Key: 'acs:rm:rgId', Value: 'rg-1' },
      { Key: 'aliyun-creator', Value: 'ros' },
    ];
    const read = found({ Tags: [...system, { Key: 'team', Value: 'net' }] });
    // Also a flow log handed over with them (e.g. by an older lookup): the generator decides for itself.
    const handed: FoundFlowlog = { ...found(), tags: { 'acs:rm:rgId': 'rg-1', 'https://x': 'y', env: 'prod' } };
    const program = generateProgram([read, handed]);
    expect(program).not.toMatch(/acs:|aliyun|https:/);
    expect(program).not.toContain('check() will refuse');
    const { declared } = run(program);
    expect(declared.map((d) => d.args.tags)).toEqual([{ team: 'net' }, { env: 'prod' }]);
    for (const d of declared) expect(checkInputs(d.args).failures).toEqual([]);
  });

  it('exports the flow-log id of every resource, by resource name', () => {
    const { exports } = run(generateProgram([toFound(edge), toFound(core)]));
    expect(exports.flowLogIds).toEqual({ edge: edge.FlowLogId, [core.FlowLogId]: core.FlowLogId });
  });

  it('gives the same text whatever order the flow logs come in', () => {
    const logs = [found({ FlowLogName: 'a' }), found({ FlowLogName: 'a' }), found(), found({ FlowLogName: 'b' })];
    expect(generateProgram([...logs].reverse(), { command: 'x' })).toBe(generateProgram(logs, { command: 'x' }));
  });

  it('names the command in its header, and produces a valid empty program when nothing was found', () => {
    const text = generateProgram([], { command: 'cen-flowlog generate --cen-id cen-1 --region cn-hangzhou' });
    expect(text).toContain('Generated by `cen-flowlog generate --cen-id cen-1 --region cn-hangzhou`');
    expect(run(text)).toEqual({ declared: [], exports: { flowLogIds: {} } });
  });

  it('leaves out a flow log being deleted, and says so', () => {
    const gone = found({ Status: 'Deleting' });
    const text = generateProgram([gone, found()]);
    expect(run(text).declared).toHaveLength(1);
    expect(text).toContain(`Left out, being deleted: ${gone.flowLogId}`);
  });

  it('leaves the status of a Modifying flow log to the user, with a comment', () => {
    const text = generateProgram([found({ Status: 'Modifying' })]);
    expect(run(text).declared[0]!.args).not.toHaveProperty('status');
    expect(text).toContain('// status was "Modifying" when this was generated: declare "Active" or "Inactive"');
  });

  it('leaves out a log format that check() would refuse (unset keeps what the service has), with the reason', () => {
    const text = generateProgram([found({ LogFormatString: '${srcaddr}${dstaddr}${bytes}${new-field}' })]);
    expect(run(text).declared[0]!.args).not.toHaveProperty('logFormatString');
    expect(text).toContain(
      ' * logFormatString is left unset where the service reports "${srcaddr}${dstaddr}${bytes}${new-field}":\n' +
        ' * check() refuses it as a declared value (it names unknown field(s) "new-field"; known fields:',
    );
    expect(text).toContain('  // logFormatString is left unset: see the note at the top.\n');
  });

  it('flags a value check() will refuse above the resource', () => {
    const text = generateProgram([found({ Tags: [{ Key: 'docs', Value: 'see https://x' }] })]);
    expect(text).toContain('// check() will refuse this: tags: value of "docs" must not contain "http://" or "https://"');
  });
});

describe('resource names', () => {
  it.each<[string | undefined, string]>([
    ['edge', 'edge'],
    ['Core Transit Router', 'core-transit-router'],
    ['  --prod__vpc--  ', 'prod-vpc'],
    ['Zürich café', 'zurich-cafe'],
    ['流日志', ''],
    ['x'.repeat(80), 'x'.repeat(63)],
    [undefined, ''],
  ])('%j becomes %j', (name, expected) => {
    expect(sanitizeName(name)).toBe(expected);
  });

  it('uses the id for a flow log without a usable name', () => {
    const unnamed = found();
    const chinese = found({ FlowLogName: '流日志' });
    expect(resourceNames([unnamed, chinese])).toEqual(
      new Map([
        [unnamed.flowLogId, unnamed.flowLogId],
        [chinese.flowLogId, chinese.flowLogId],
      ]),
    );
  });

  it('keeps the plain name for the oldest flow log of a name and suffixes the later ones with their id', () => {
    const older = found({ FlowLogName: 'Edge', CreationTime: '2024-01-01T00:00:00Z' });
    const newer = found({ FlowLogName: 'edge', CreationTime: '2025-06-01T00:00:00Z' });
    const names = resourceNames([newer, older]);
    expect(names.get(older.flowLogId)).toBe('edge');
    expect(names.get(newer.flowLogId)).toBe(`edge-${newer.flowLogId.replace('flowlog-', '')}`);
  });

  it('never gives two flow logs the same name, even when a name spells out another suffixed one', () => {
    const a = found({ FlowLogName: 'edge', FlowLogId: 'flowlog-aaa', CreationTime: '2024-01-01T00:00:00Z' });
    const b = found({ FlowLogName: 'edge-bbb', FlowLogId: 'flowlog-ccc', CreationTime: '2024-02-01T00:00:00Z' });
    const c = found({ FlowLogName: 'edge', FlowLogId: 'flowlog-bbb', CreationTime: '2024-03-01T00:00:00Z' });
    const names = resourceNames([a, b, c]);
    expect(new Set(names.values()).size).toBe(3);
    expect(names.get('flowlog-bbb')).toBe('edge-bbb-2');
  });
});

describe('the cen-flowlog CLI', () => {
  it.each<[string[], RegExp]>([
    [[], /Expected a command: generate/],
    [['import'], /Unknown command "import"/],
    [['generate'], /Expected --cen-id <id>/],
    [['generate', '--cen-id'], /--cen-id/],
    [['generate', '--cen-id', ''], /Expected --cen-id to have a value/],
    [['generate', '--cen-id', 'cen-1', '--colour', 'red'], /--colour/],
    [['generate', '--cen-id', 'cen-1', '--timeout', 'soon'], /Expected --timeout to be a duration like "90s" or "5m", got "soon"/],
    [['generate', '--cen-id', 'cen-1', '--pulumi', '/bin/pulumi'], /Expected --stack <name> with --pulumi/],
    [['generate', '--cen-id', 'cen-1', '--stack', ''], /Expected --stack to have a value/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message);
  });

  it('parses every option', () => {
    expect(
      parseCli([
        'generate',
        '--cen-id',
        'cen-1',
        '--transit-router-id',
        'tr-1',
        '--region',
        'cn-shanghai',
        '--out',
        'a.ts',
        '--timeout',
        '30s',
        '--stack',
        'org/net/dev',
        '--pulumi',
        '/opt/pulumi/bin/pulumi',
      ]),
    ).toEqual({
      cenId: 'cen-1',
      transitRouterId: 'tr-1',
      region: 'cn-shanghai',
      out: 'a.ts',
      timeout: '30s',
      stack: 'org/net/dev',
      pulumi: '/opt/pulumi/bin/pulumi',
    });
    expect(parseCli(['--help'])).toBe('help');
  });

  function io(env: NodeJS.ProcessEnv, api = new FakeCenApi()) {
    const out: string[] = [];
    const err: string[] = [];
    const sessions: SessionFactory = (_s, deadline) => ({ api, deadline }) as Partial<Session> as Session;
    return {
      out,
      err,
      api,
      io: {
        env,
        stdout: (t: string) => {
          out.push(t);
        },
        stderr: (t: string) => {
          err.push(t);
        },
        sessions,
      },
    };
  }

  it('prints the program for the CEN in the given region to stdout', async () => {
    const t = io({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 's' });
    t.api.add({
      FlowLogId: 'flowlog-1',
      FlowLogName: 'edge',
      CenId: 'cen-1',
      TransitRouterId: 'tr-1',
      ProjectName: 'proj',
      LogStoreName: 'store',
    });
    expect(await runCli(['generate', '--cen-id', 'cen-1', '--region', 'cn-hangzhou'], t.io)).toBe(0);
    expect(run(t.out.join('')).declared).toEqual([
      expect.objectContaining({ name: 'edge', args: expect.objectContaining({ adopt: 'flowlog-1' }) }),
    ]);
    expect(t.api.calls[0]!.req).toMatchObject({ RegionId: 'cn-hangzhou', CenId: 'cen-1' });
  });

  it('takes the region from the environment, as the provider does', async () => {
    const t = io({ ALICLOUD_REGION: 'cn-beijing' });
    expect(await runCli(['generate', '--cen-id', 'cen-1'], t.io)).toBe(0);
    expect(t.api.calls[0]!.req).toMatchObject({ RegionId: 'cn-beijing' });
    expect(t.err.join('')).toContain('No flow log found in cn-beijing for CEN cen-1');
  });

  it.each<[string, string[], NodeJS.ProcessEnv, number, RegExp]>([
    ['no region', ['generate', '--cen-id', 'cen-1'], {}, 2, /Expected --region <id>, or ALICLOUD_REGION/],
    ['a bad region', ['generate', '--cen-id', 'cen-1', '--region', 'Hangzhou'], {}, 1, /regionId must be a region id like "cn-hangzhou"/],
    [
      'a plain-HTTP endpoint elsewhere',
      ['generate', '--cen-id', 'cen-1', '--region', 'cn-hangzhou'],
      { CEN_FLOWLOG_ENDPOINT: 'http://10.0.0.1' },
      1,
      /plain HTTP to a host that is not loopback/,
    ],
    ['an unknown flag', ['generate', '--cen', 'cen-1'], {}, 2, /Unknown option '--cen'[\s\S]*Usage: cen-flowlog generate/],
  ])('%s fails with a message and its exit status', async (_what, argv, env, status, message) => {
    const t = io(env);
    expect(await runCli(argv, t.io)).toBe(status);
    expect(t.err.join('')).toMatch(message);
    expect(t.out).toEqual([]);
  });

  it('shows the usage on --help', async () => {
    const t = io({});
    expect(await runCli(['--help'], t.io)).toBe(0);
    expect(t.out.join('')).toBe(USAGE);
  });
});

/** What `pulumi config --stack dev --show-secrets --json` prints for a stack set up for the emulator. */
const STACK_JSON = JSON.stringify({
  'alicloud:region': { value: 'cn-shanghai', secret: false },
  'alicloud:accessKey': { value: 'LTAI-from-stack', secret: false },
  'alicloud:secretKey': { value: 'secret-from-stack-7f3a', secret: true },
  'cenFlowlog:endpoint': { value: 'http://127.0.0.1:8642', secret: false },
  'cenFlowlog:requestTimeout': { value: '45s', secret: false },
  'cenFlowlog:requestsPerSecond': { value: '7', secret: false },
  'app:tiers': { value: '["a","b"]', objectValue: ['a', 'b'], secret: false },
});

describe('a stack config read for the tools', () => {
  it('gives the settings the provider would read from that stack: region, credentials, endpoint, timeout, rate', () => {
    const settings = readSettings(configFromPulumiJson(STACK_JSON, 'dev'), {
      ALICLOUD_REGION: 'cn-beijing',
      CEN_FLOWLOG_ENDPOINT: 'http://127.0.0.1:1',
    });
    expect(settings).toEqual({
      endpoint: { protocol: 'HTTP', host: '127.0.0.1:8642' },
      region: 'cn-shanghai',
      requestTimeoutMs: 45_000,
      requestsPerSecond: 7,
      credentials: { accessKey: 'LTAI-from-stack', secretKey: 'secret-from-stack-7f3a', securityToken: undefined, profile: undefined },
    } satisfies ProviderSettings);
  });

  it('leaves a key the stack does not set (or shows blinded) to the environment', () => {
    const blinded = JSON.stringify({ 'alicloud:secretKey': { secret: true } });
    const settings = readSettings(configFromPulumiJson(blinded, 'dev'), { ALICLOUD_SECRET_KEY: 'from-env', ALICLOUD_REGION: 'cn-beijing' });
    expect(settings).toMatchObject({ region: 'cn-beijing', credentials: { secretKey: 'from-env' } });
  });

  it.each(['secret-from-stack-7f3a is not JSON', '["secret-from-stack-7f3a"]'])('refuses %j without quoting it', (text) => {
    let message = '';
    try {
      configFromPulumiJson(text, 'dev');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/pulumi config --stack dev --json` did not print/);
    expect(message).not.toContain('secret-from-stack');
  });
});

describe('cen-flowlog generate --stack', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-stack-config-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A stand-in for the Pulumi CLI: records its arguments and folder, then answers as told. */
  function fakePulumi(name: string, script: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\necho "$PWD" > "$0.cwd"\necho "$@" > "$0.args"\n${script}\n`, { mode: 0o755 });
    return file;
  }

  function cli() {
    const out: string[] = [];
    const err: string[] = [];
    const seen: ProviderSettings[] = [];
    const api = new FakeCenApi();
    const sessions: SessionFactory = (settings, deadline) => {
      seen.push(settings);
      return { api, deadline } as Partial<Session> as Session;
    };
    const io = {
      env: { PATH: process.env.PATH },
      cwd: dir,
      stdout: (t: string) => void out.push(t),
      stderr: (t: string) => void err.push(t),
      sessions,
    };
    return { out, err, seen, api, io };
  }

  it('reads region, credentials and endpoint from the stack config through the Pulumi CLI, and prints no secret', async () => {
    const pulumi = fakePulumi('pulumi-ok', `cat <<'EOF'\n${STACK_JSON}\nEOF`);
    const t = cli();
    t.api.add({
      FlowLogId: 'flowlog-1',
      CenId: 'cen-1',
      TransitRouterId: 'tr-1',
      ProjectName: 'proj',
      LogStoreName: 'store',
      RegionId: 'cn-shanghai',
    });
    expect(await runCli(['generate', '--cen-id', 'cen-1', '--stack', 'dev', '--pulumi', pulumi], t.io)).toBe(0);
    expect(fs.readFileSync(`${pulumi}.args`, 'utf8').trim()).toBe('config --stack dev --show-secrets --json --non-interactive');
    expect(fs.realpathSync(fs.readFileSync(`${pulumi}.cwd`, 'utf8').trim())).toBe(fs.realpathSync(dir));
    expect(t.seen[0]).toMatchObject({
      endpoint: { protocol: 'HTTP', host: '127.0.0.1:8642' },
      region: 'cn-shanghai',
      credentials: { accessKey: 'LTAI-from-stack', secretKey: 'secret-from-stack-7f3a' },
    });
    expect(t.api.calls[0]!.req).toMatchObject({ RegionId: 'cn-shanghai', CenId: 'cen-1' });
    expect(run(t.out.join('')).declared).toHaveLength(1);
    expect(t.out.join('')).toContain('cen-flowlog generate --cen-id cen-1 --region cn-shanghai --stack dev');
    expect(t.out.join('') + t.err.join('')).not.toContain('secret-from-stack');
  });

  it.each<[string, () => string, RegExp]>([
    [
      'the Pulumi CLI is missing',
      () => path.join(dir, 'no-such-pulumi'),
      /The Pulumi CLI was not found \(ran ".*no-such-pulumi"\): install it.*--pulumi <path>/,
    ],
    [
      'the stack is missing',
      () => fakePulumi('pulumi-no-stack', `echo "error: no stack named 'dev' found" >&2\nexit 255`),
      /Could not read the config of stack "dev" with `pulumi config` \(run it in the Pulumi project folder.*\): error: no stack named 'dev' found/,
    ],
    ['the CLI prints something else', () => fakePulumi('pulumi-odd', 'echo "secret-from-stack-7f3a"'), /did not print JSON/],
  ])('fails clearly, before any API call, when %s', async (_what, pulumi, message) => {
    const t = cli();
    expect(await runCli(['generate', '--cen-id', 'cen-1', '--stack', 'dev', '--pulumi', pulumi()], t.io)).toBe(1);
    expect(t.err.join('')).toMatch(message);
    expect(t.err.join('')).not.toContain('secret-from-stack');
    expect(t.out).toEqual([]);
    expect(t.api.calls).toEqual([]);
  });

  it('names the stack when neither it nor the environment gives a region', async () => {
    const pulumi = fakePulumi('pulumi-no-region', `echo '{"alicloud:accessKey": {"value": "k", "secret": false}}'`);
    const t = cli();
    expect(await runCli(['generate', '--cen-id', 'cen-1', '--stack', 'dev', '--pulumi', pulumi], t.io)).toBe(2);
    expect(t.err.join('')).toMatch(/Expected --region <id>, or alicloud:region in the config of stack dev, or ALICLOUD_REGION/);
  });
});
