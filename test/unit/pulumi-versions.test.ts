/**
 * The Pulumi releases we test are each written in one place (the @pulumi/pulumi pin in package.json, and
 * scripts/pulumi-cli/newest-version); the CLI wrapper modules, the bench and get-pulumi.sh follow them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const versions = require('../../scripts/pulumi-versions.js') as {
  pinned(root?: string): string;
  newest(root?: string): string;
  pythonSdk(cli: string, root?: string): string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const benchEnv = require('../../bench/lib/env.js') as { readOptions(env: Record<string, string>): { pulumiRoot: string } };

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

/** A checkout-shaped folder whose package.json has the given dependency sections. */
function checkout(sections: Record<string, Record<string, string>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-versions-'));
  scratch.push(dir);
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'cen-flowlog', version: '0.0.0', ...sections }));
  return dir;
}

describe('the pinned release', () => {
  it('is the exact devDependencies pin, whatever range peerDependencies allows', () => {
    const dir = checkout({ peerDependencies: { '@pulumi/pulumi': '>=3.248.0 <4' }, devDependencies: { '@pulumi/pulumi': '3.250.1' } });
    expect(versions.pinned(dir)).toBe('3.250.1');
  });

  it('is read from dependencies in a checkout that still pins it there', () => {
    expect(versions.pinned(checkout({ dependencies: { '@pulumi/pulumi': '3.248.0' } }))).toBe('3.248.0');
  });

  it('must be exact: a range is refused with a message naming the field', () => {
    const dir = checkout({ devDependencies: { '@pulumi/pulumi': '^3.248.0' } });
    expect(() => versions.pinned(dir)).toThrow(/pin @pulumi\/pulumi to an exact version .* devDependencies, got "\^3.248.0"/);
  });

  it('names the CLI the bench runs, from the measured checkout', () => {
    const dir = checkout({ devDependencies: { '@pulumi/pulumi': '3.999.0' } });
    const { pulumiRoot } = benchEnv.readOptions({ BENCH_ROOT: dir, BENCH_EMULATOR_ROOT: ROOT });
    expect(pulumiRoot).toBe(path.join(os.homedir(), '.pulumi', 'versions', '3.999.0'));
  });
});

describe('every tested release has its CLI wrapper module', () => {
  it.each([
    ['pinned', versions.pinned()],
    ['newest', versions.newest()],
  ])('the %s one (%s): scripts/pulumi-cli/cli/v<version>/go.mod requires pkg/v3 and sdk/v3 of that version', (_which, version) => {
    const gomod = fs.readFileSync(path.join(ROOT, 'scripts', 'pulumi-cli', 'cli', `v${version}`, 'go.mod'), 'utf8');
    expect(gomod).toMatch(new RegExp(`^\\s*github\\.com/pulumi/pulumi/pkg/v3 v${version.replace(/\./g, '\\.')}\\b`, 'm'));
    expect(gomod).toMatch(new RegExp(`^\\s*github\\.com/pulumi/pulumi/sdk/v3 v${version.replace(/\./g, '\\.')}\\b`, 'm'));
    expect(fs.existsSync(path.join(ROOT, 'scripts', 'pulumi-cli', 'cli', `v${version}`, 'go.sum'))).toBe(true);
  });

  it('the newest one is newer than the pinned one', () => {
    const num = (v: string): number[] => v.split('.').map(Number);
    const [p, n] = [num(versions.pinned()), num(versions.newest())];
    expect(n[0]! * 1e6 + n[1]! * 1e3 + n[2]!).toBeGreaterThan(p[0]! * 1e6 + p[1]! * 1e3 + p[2]!);
  });
});

describe('scripts/get-pulumi.sh', () => {
  it('prints the version it would install from the one place (node scripts/pulumi-versions.js)', () => {
    expect(execFileSync('node', [path.join(ROOT, 'scripts', 'pulumi-versions.js'), 'newest'], { encoding: 'utf8' }).trim()).toBe(
      versions.newest(),
    );
  });

  it('fails loudly, naming the wrapper modules it has, for a release without one', () => {
    const cliRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-cli-'));
    scratch.push(cliRoot);
    const run = spawnSync('bash', [path.join(ROOT, 'scripts', 'get-pulumi.sh'), '--version', '3.1.0', '--build'], {
      encoding: 'utf8',
      env: { ...process.env, PULUMI_CLI_ROOT: cliRoot },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no wrapper module scripts/pulumi-cli/cli/v3.1.0/');
    expect(run.stderr).toContain(`v${versions.pinned()}`);
    expect(run.stderr).toContain(`v${versions.newest()}`);
  });
});

describe('the Python SDK beside a CLI', () => {
  it("is the CLI's own release for the pin, and PyPI's newest for the newest CLI (PyPI has no such release)", () => {
    const dir = checkout({ devDependencies: { '@pulumi/pulumi': '3.248.0' } });
    fs.mkdirSync(path.join(dir, 'scripts', 'pulumi-cli'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'scripts', 'pulumi-cli', 'newest-version'), '3.276.0\n');
    fs.writeFileSync(path.join(dir, 'scripts', 'pulumi-cli', 'newest-python-sdk'), '3.272.0\n');
    expect(versions.pythonSdk('3.248.0', dir)).toBe('3.248.0');
    expect(versions.pythonSdk('3.276.0', dir)).toBe('3.272.0');
  });

  it('is an exact release in this checkout', () => {
    expect(versions.pythonSdk(versions.newest())).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
