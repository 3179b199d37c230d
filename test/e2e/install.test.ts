/**
 * The package as a user gets it: `npm pack` of this checkout installed into a new
 * Pulumi TypeScript project next to another release of `@pulumi/pulumi` and
 * TypeScript 6, then the README's first program with the README's tsconfig
 * previewed by the real CLI against the emulator, on TypeScript 6 and 5.
 * npm reads the registry (or its cache) for the project's other packages.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalWorkspace, Stack } from '@pulumi/pulumi/automation';
import { E2eContext, ROOT, Steps, stackName, useSuiteContext } from './harness';

jest.setTimeout(300_000);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const versions = require('../../scripts/pulumi-versions.js') as { newest(): string };
/** The newest release we test (scripts/pulumi-cli/newest-version): not the pinned one, so npm must choose one copy. */
const USER_PULUMI = versions.newest();
const USER_TYPESCRIPT = '6.0.3';
/** Lifecycle scripts that npm runs (or lists as not allowed) when a package is installed. */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];

/** The README's first program and its tsconfig, as a user copies them. */
function readmeFirstProgram(): { program: string; tsconfig: string } {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## A first program$/m)[1]?.split(/^## /m)[0] ?? '';
  const program = /^```ts\n([\s\S]*?)^```/m.exec(section)?.[1];
  const tsconfig = /^```json\n([\s\S]*?)^```/m.exec(section)?.[1];
  if (!program || !tsconfig) throw new Error('README.md: "A first program" should hold a ```ts program and a ```json tsconfig');
  return { program, tsconfig };
}

/** Runs a command; its stdout and stderr together, or an error that shows them. */
function run(cmd: string, args: string[], cwd: string): string {
  // Not the npm_* settings of an `npm test` around jest: the user's npm runs in the user's project.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error || r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? r.status}):\n${output}`);
  return output;
}

describe("the packed package in a user's project", () => {
  let ctx: E2eContext;
  const stacks = useSuiteContext((c) => {
    ctx = c;
  });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-e2e-install-'));
  const project = path.join(scratch, 'project');
  let shipped: { scripts?: Record<string, string>; dependencies?: Record<string, string> };
  let installOutput: string;
  let stack: Stack | undefined;

  beforeAll(() => {
    run('npm', ['pack', '--pack-destination', scratch], ROOT);
    const packed = fs.readdirSync(scratch).filter((f) => f.endsWith('.tgz'));
    expect(packed).toHaveLength(1);
    const tarball = path.join(scratch, packed[0]!);
    shipped = JSON.parse(run('tar', ['-xOzf', tarball, 'package/package.json'], scratch));
    fs.mkdirSync(project);
    const { program, tsconfig } = readmeFirstProgram();
    fs.writeFileSync(path.join(project, 'index.ts'), program);
    fs.writeFileSync(path.join(project, 'tsconfig.json'), tsconfig);
    fs.writeFileSync(path.join(project, 'Pulumi.yaml'), 'name: first-program\nruntime: nodejs\n');
    fs.writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({
        name: 'first-program',
        private: true,
        main: 'index.ts',
        dependencies: { '@pulumi/pulumi': USER_PULUMI, 'cen-flowlog': `file:${tarball}` },
        devDependencies: { typescript: USER_TYPESCRIPT },
      }),
    );
    installOutput = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], project);
  });

  afterAll(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  const versionIn = (dir: string, pkg: string): string =>
    JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`, { paths: [dir] }), 'utf8')).version;

  it('ships no install script and asks for @pulumi/pulumi as a peer, not a dependency of its own', () => {
    expect(Object.keys(shipped.scripts ?? {}).filter((s) => INSTALL_SCRIPTS.includes(s))).toEqual([]);
    expect(shipped.dependencies).not.toHaveProperty('@pulumi/pulumi');
  });

  it('installs without a warning about cen-flowlog', () => {
    expect(installOutput).toMatch(/added \d+ packages/);
    const warnings = installOutput.split('\n').filter((line) => /\bwarn\b/i.test(line));
    expect(warnings.filter((line) => /cen-flowlog/.test(line))).toEqual([]);
  });

  it("leaves one copy of @pulumi/pulumi, the project's, which cen-flowlog loads", () => {
    const pkg = path.join(project, 'node_modules', 'cen-flowlog');
    expect(fs.existsSync(path.join(pkg, 'node_modules', '@pulumi', 'pulumi'))).toBe(false);
    expect(versionIn(pkg, '@pulumi/pulumi')).toBe(USER_PULUMI);
    expect(require.resolve('@pulumi/pulumi', { paths: [pkg] })).toBe(require.resolve('@pulumi/pulumi', { paths: [project] }));
  });

  it("puts the provider plugin in node_modules/.bin, where Pulumi.yaml's plugins.providers finds it, and it serves the schema", () => {
    const plugin = path.join(project, 'node_modules', '.bin', 'pulumi-resource-cen-flowlog');
    const printed = run(ctx.cli.command, ['package', 'get-schema', plugin], project);
    expect(JSON.parse(printed)).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, 'schema.json'), 'utf8')));
  });

  async function previewWith(typescript: string): Promise<void> {
    expect(versionIn(project, 'typescript')).toBe(typescript);
    if (!stack) {
      stack = await LocalWorkspace.createOrSelectStack(
        { stackName: stackName('first-program'), workDir: project },
        { envVars: ctx.env(), pulumiCommand: ctx.cli },
      );
      stacks.push(stack);
    }
    await stack.setConfig('alicloud:region', { value: 'cn-hangzhou' });
    const steps = new Steps();
    const preview = await stack.preview({ onEvent: steps.onEvent }).catch((err: Error) => {
      throw new Error(`${err.message}\n${steps.errors()}`);
    });
    expect(steps.errors()).toBe('');
    expect(steps.of('vpc-edge')).toEqual(['create']);
    expect(preview.changeSummary).toMatchObject({ create: 2 });
  }

  it(`previews the README's first program with the README's tsconfig on TypeScript ${USER_TYPESCRIPT}`, async () => {
    await previewWith(USER_TYPESCRIPT);
  });

  it("previews it with the same tsconfig on TypeScript 5 (this checkout's)", async () => {
    const ts5 = path.dirname(require.resolve('typescript/package.json', { paths: [ROOT] }));
    const installed = path.join(project, 'node_modules', 'typescript');
    fs.rmSync(installed, { recursive: true, force: true });
    fs.symlinkSync(ts5, installed, 'dir');
    await previewWith(versionIn(ROOT, 'typescript'));
    expect(versionIn(ROOT, 'typescript')).toMatch(/^5\./);
  });
});
