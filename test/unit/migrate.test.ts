import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { checkInputs } from '../../src/model/check';
import { diffFlowlog } from '../../src/model/diff';
import { runCli } from '../../src/cli/cli';
import { DYNAMIC_TYPE, MigrateError, PACKAGE_TYPE, planMigration } from '../../src/cli/migrate';
import { migrationProgram, migrationSteps } from '../../src/cli/migrate-program';
import { parseMigrate, runMigrate } from '../../src/cli/migrate-cli';

const ROOT = path.resolve(__dirname, '../..');
const STACK = 'prod';
const SECRET = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', ciphertext: 'v1:c2VjcmV0LWNpcGhlcg==' };
const LOG_FORMAT = '${srcaddr}${dstaddr}${bytes}';
const PROVIDER_TEXT = 'exports.handler = __f0; /* the serialized shim */';

const urn = (type: string, name: string) => `urn:pulumi:${STACK}::network::${type}::${name}`;

/** A dynamic flow log as the checkpoint records it: inputs after check(), outputs as the provider returned them. */
function dynamicFlowLog(name: string, id: string, inputs: Record<string, unknown>, type = DYNAMIC_TYPE) {
  const outputs = {
    interval: 600,
    logFormatString: LOG_FORMAT,
    ...inputs,
    flowLogId: id,
    creationTime: '2026-01-01T00:00:00Z',
    flowLogVersion: '3',
  };
  return {
    urn: urn(type, name),
    custom: true,
    id,
    type,
    inputs: { __provider: PROVIDER_TEXT, ...inputs },
    outputs: { __provider: PROVIDER_TEXT, ...outputs },
  };
}

const where = { regionId: 'cn-hangzhou', cenId: 'cen-1', transitRouterId: 'tr-1', projectName: 'flowlogs', logStoreName: 'tr-store' };

function exported(extra: object[] = [], providerConfig: Record<string, unknown> = { 'alicloud:region': 'cn-hangzhou' }) {
  return {
    version: 3,
    deployment: {
      manifest: {},
      resources: [
        { urn: urn('pulumi:pulumi:Stack', `network-${STACK}`), custom: false, type: 'pulumi:pulumi:Stack' },
        {
          urn: urn('pulumi:providers:pulumi-nodejs', 'default'),
          custom: true,
          id: 'p-1',
          type: 'pulumi:providers:pulumi-nodejs',
          inputs: providerConfig,
        },
        dynamicFlowLog('paused', 'flowlog-paused', {
          ...where,
          transitRouterAttachmentId: 'tr-attach-1',
          flowLogName: 'paused',
          status: 'Inactive',
          tags: {},
        }),
        dynamicFlowLog('tagged', 'flowlog-tagged', {
          ...where,
          transitRouterAttachmentId: 'tr-attach-2',
          interval: 60,
          status: 'Active',
          tags: { env: 'prod', 'cost-center': '42' },
        }),
        dynamicFlowLog('whole', 'flowlog-whole', { ...where, description: 'every "attachment"\nand more', status: 'Active', tags: {} }),
        ...extra,
      ],
    },
  };
}

/** The n-th dynamic flow log of {@link exported}, as recorded. */
const recordedFlowLog = (n: number) => exported().deployment.resources[n + 2] as ReturnType<typeof dynamicFlowLog>;

/** Runs the declarations with a stand-in @pulumi/pulumi whose CustomResource records each registration. */
function run(program: string) {
  const registered: Array<{ type: string; name: string; props: Record<string, unknown>; opts: Record<string, unknown> }> = [];
  class CustomResource {
    constructor(type: string, name: string, props: Record<string, unknown>, opts: Record<string, unknown>) {
      registered.push({ type, name, props, opts });
    }
  }
  const js = ts.transpileModule(program, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const load = (m: string): unknown => {
    if (m !== '@pulumi/pulumi') throw new Error(`the declarations require ${m}`);
    return { CustomResource };
  };
  new Function('require', 'exports', js)(load, {});
  return registered;
}

const without = (o: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

describe('planMigration', () => {
  it('finds every dynamic flow log, with its name, id and recorded inputs without the serialized provider', () => {
    const plan = planMigration(exported(), STACK);
    expect(plan.flowLogs.map((f) => [f.name, f.id])).toEqual([
      ['paused', 'flowlog-paused'],
      ['tagged', 'flowlog-tagged'],
      ['whole', 'flowlog-whole'],
    ]);
    const input = recordedFlowLog(1).inputs;
    expect(plan.flowLogs[1]!.args).toEqual(without(input, '__provider'));
    expect(JSON.stringify(plan)).not.toContain(PROVIDER_TEXT);
  });

  it('leaves out flow logs already on the package, other resources and a deletion pending from a replace', () => {
    const pkg = dynamicFlowLog('already', 'flowlog-already', where, PACKAGE_TYPE);
    const old = { ...dynamicFlowLog('whole', 'flowlog-old', where), delete: true };
    const other = {
      urn: urn('alicloud:log/project:Project', 'p'),
      custom: true,
      id: 'p',
      type: 'alicloud:log/project:Project',
      inputs: {},
    };
    expect(planMigration(exported([pkg, old, other]), STACK).flowLogs.map((f) => f.id)).toEqual([
      'flowlog-paused',
      'flowlog-tagged',
      'flowlog-whole',
    ]);
  });

  it('declares the recorded region even where the inputs lack it (it would otherwise come from other config and replace)', () => {
    const r = dynamicFlowLog('x', 'flowlog-x', where);
    delete (r.inputs as Record<string, unknown>).regionId;
    const plan = planMigration(exported([r]), STACK);
    expect(plan.flowLogs[3]!.args.regionId).toBe('cn-hangzhou');
  });

  it('keeps a flow log in a component where it was, and leaves a secret input to the program, saying so', () => {
    const nested = dynamicFlowLog('inner', 'flowlog-inner', { ...where, description: SECRET });
    nested.urn = urn(`pulumi:pulumi:Stack$acme:network:Edge$${DYNAMIC_TYPE}`, 'inner');
    const f = planMigration(exported([nested]), STACK).flowLogs[3]!;
    expect(f.name).toBe('inner');
    expect(f.args).not.toHaveProperty('description');
    expect(f.notes.join('\n')).toMatch(/description is a secret/);
    expect(f.notes.join('\n')).toMatch(/inside the component acme:network:Edge: put this where the CenFlowlog was/);
  });

  it('turns the stack config the dynamic provider read into cen-flowlog:* steps that never hold a value', () => {
    const plan = planMigration(
      exported([], {
        'alicloud:region': 'cn-hangzhou',
        'alicloud:accessKey': 'LTAI-visible',
        'alicloud:secretKey': SECRET,
        'cenFlowlog:endpoint': 'http://127.0.0.1:9',
        'other:setting': 'x',
      }),
      STACK,
    );
    expect(plan.configSteps).toEqual([
      'pulumi config set --stack prod cen-flowlog:region -- "$(pulumi config get --stack prod alicloud:region)"',
      'pulumi config set --stack prod cen-flowlog:accessKey -- "$(pulumi config get --stack prod alicloud:accessKey)"',
      'pulumi config set --stack prod --secret cen-flowlog:secretKey -- "$(pulumi config get --stack prod alicloud:secretKey)"',
      'pulumi config set --stack prod cen-flowlog:endpoint -- "$(pulumi config get --stack prod cenFlowlog:endpoint)"',
    ]);
    expect(plan.configSteps.join('\n')).not.toMatch(/LTAI-visible|ciphertext|127\.0\.0\.1/);
    expect(planMigration(exported([], {}), STACK).configSteps).toEqual([]);
  });

  const broken = (f: (e: ReturnType<typeof exported>) => void) => {
    const e = exported();
    f(e);
    return e;
  };
  it.each([
    ['not an export', 'hello', /Expected the output of `pulumi stack export`/],
    ['no deployment', { version: 3 }, /Expected the output of `pulumi stack export`/],
    [
      'pending operations',
      broken((e) => Object.assign(e.deployment, { pending_operations: [{ type: 'creating' }] })),
      /1 pending operation.*Recovering/,
    ],
    ['resources not a list', broken((e) => Object.assign(e.deployment, { resources: {} })), /deployment.resources to be a list/],
    [
      'a flow log without id',
      broken((e) => delete (e.deployment.resources[2] as { id?: string }).id),
      /resources\[2\]\.id .*::paused\) to be the flow-log id/,
    ],
    [
      'a flow log without inputs',
      broken((e) => delete (e.deployment.resources[3] as { inputs?: object }).inputs),
      /resources\[3\]\.inputs .*tagged\) to be an object/,
    ],
    ['a bad URN', broken((e) => ((e.deployment.resources[4] as { urn: string }).urn = 'whole')), /Expected a resource URN .*got "whole"/],
    ['no dynamic flow log', { deployment: { resources: [] } }, /Stack prod has no dynamic flow log/],
  ])('refuses %s with a clear error', (_what, input, message) => {
    expect(() => planMigration(input, STACK)).toThrow(MigrateError);
    expect(() => planMigration(input, STACK)).toThrow(message);
  });
});

describe('migrationProgram', () => {
  const plan = planMigration(exported(), STACK);
  const program = migrationProgram(plan, 'cen-flowlog migrate --stack prod');

  it("declares each as the package's resource with the same name, the recorded inputs and the alias of the dynamic type", () => {
    const registered = run(program);
    expect(registered.map((r) => [r.type, r.name])).toEqual([
      [PACKAGE_TYPE, 'paused'],
      [PACKAGE_TYPE, 'tagged'],
      [PACKAGE_TYPE, 'whole'],
    ]);
    registered.forEach((r, i) => {
      const recorded = without(recordedFlowLog(i).inputs, '__provider');
      expect(Object.fromEntries(Object.entries(r.props).filter(([, v]) => v !== undefined))).toEqual(recorded);
      // Outputs the service fills in are registered unset, so the engine reads them back.
      expect(r.props).toHaveProperty('flowLogId', undefined);
      expect(r.opts).toEqual({ aliases: [{ type: DYNAMIC_TYPE }] });
    });
  });

  it('declares what the core sees as no change against the recorded outputs', () => {
    run(program).forEach((r, i) => {
      const { inputs, failures } = checkInputs(r.props);
      expect(failures).toEqual([]);
      const outputs = recordedFlowLog(i).outputs;
      expect(diffFlowlog(outputs, inputs!)).toMatchObject({ changes: false, replaces: [] });
    });
  });

  it('type-checks under strict TypeScript against the pinned @pulumi/pulumi', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-migrate-'));
    try {
      const file = path.join(dir, 'flowlogs.ts');
      fs.writeFileSync(file, program);
      const tsProgram = ts.createProgram([file], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        skipLibCheck: true,
        types: [],
        baseUrl: ROOT,
        paths: { '@pulumi/pulumi': [path.join(ROOT, 'node_modules/@pulumi/pulumi')] },
      });
      const errors = ts.getPreEmitDiagnostics(tsProgram).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(errors).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migrationSteps', () => {
  it('names the plugin lines, each config step, the preview to check and the up', () => {
    const plan = planMigration(exported(), STACK);
    const steps = migrationSteps(plan, 'flowlogs.ts');
    expect(steps).toContain('- name: cen-flowlog');
    expect(steps).toContain('path: ./node_modules/.bin');
    expect(steps).toContain(plan.configSteps[0]);
    expect(steps).toContain('flowlogs.ts');
    expect(steps).toMatch(/pulumi preview --stack prod --diff .*unchanged/);
    expect(steps).toMatch(/pulumi up --stack prod/);
  });
});

describe('cen-flowlog migrate (the command)', () => {
  const io = (env: NodeJS.ProcessEnv = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { env, stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) } };
  };
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-migrate-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads an export file, writes the declarations to --out and the steps to stderr (through cen-flowlog migrate)', async () => {
    const from = path.join(dir, 'export.json');
    const out = path.join(dir, 'flowlogs.ts');
    fs.writeFileSync(from, JSON.stringify(exported()));
    const t = io();
    expect(await runCli(['migrate', '--stack', STACK, '--from', from, '--out', out], t.io)).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain('new Flowlog("tagged"');
    expect(t.out).toEqual([]);
    expect(t.err.join('')).toContain('pulumi config set --stack prod cen-flowlog:region');
  });

  it.each([
    [[], /Expected --stack <name>/],
    [['--stack'], /argument missing|--stack/],
    [['--stack', ' '], /Expected --stack to have a value/],
    [['--stack', 'prod', '--force'], /Unknown option '--force'/],
    [['--stack', 'prod', 'extra'], /positional|extra/],
  ])('refuses %j with the usage and status 2', async (argv, message) => {
    const t = io();
    expect(await runMigrate(argv, t.io)).toBe(2);
    expect(t.err.join('')).toMatch(message);
    expect(t.err.join('')).toContain('Usage: cen-flowlog migrate');
  });

  it('answers --help with the usage', () => {
    expect(parseMigrate(['--help'])).toBe('help');
  });

  it('fails with status 1 naming the file when it is not JSON, and writes nothing', async () => {
    const from = path.join(dir, 'export.json');
    fs.writeFileSync(from, 'not json');
    const t = io();
    expect(await runMigrate(['--stack', STACK, '--from', from, '--out', path.join(dir, 'x.ts')], t.io)).toBe(1);
    expect(t.err.join('')).toContain(`Expected ${from} to be the JSON of \`pulumi stack export\``);
    expect(fs.existsSync(path.join(dir, 'x.ts'))).toBe(false);
  });

  it('says so when the pulumi CLI is not on PATH', async () => {
    const t = io({ PATH: dir });
    expect(await runMigrate(['--stack', STACK], t.io)).toBe(1);
    expect(t.err.join('')).toContain('`pulumi stack export --stack prod` failed: the pulumi CLI is not on PATH');
  });

  it('passes on what pulumi says when the export fails', async () => {
    const fake = path.join(dir, 'pulumi');
    fs.writeFileSync(fake, '#!/bin/sh\necho "error: no stack named \'prod\' found" >&2\nexit 255\n', { mode: 0o755 });
    const t = io({ PATH: dir });
    expect(await runMigrate(['--stack', STACK], t.io)).toBe(1);
    expect(t.err.join('')).toContain("failed: error: no stack named 'prod' found");
  });
});
