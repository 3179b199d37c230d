/**
 * The Node.js SDK scripts/gen-sdk.sh generates (TypeScript programs usually take the dynamic resource instead):
 * it type-checks against the pinned @pulumi/pulumi and asks the engine for the plugin of this very version.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, SDK_DIR, generateSdk } from './toolchain';

jest.setTimeout(120_000);

describe('the generated Node.js SDK', () => {
  const dir = path.join(SDK_DIR, 'nodejs');
  beforeAll(async () => generateSdk('nodejs'));

  it('type-checks with tsc against the pinned @pulumi/pulumi', async () => {
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    await expect(promisify(execFile)(process.execPath, [tsc, '-p', dir, '--noEmit'], { cwd: ROOT })).resolves.toBeDefined();
  });

  it('carries the npm version, so a program asks the engine for exactly this plugin', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const sdk = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string; pulumi: unknown };
    expect(sdk.version).toBe(version);
    expect(sdk.pulumi).toEqual({ resource: true, name: 'cen-flowlog', version });
    expect(fs.readFileSync(path.join(dir, 'flowlog.ts'), 'utf8')).toMatch(/__pulumiType = 'cen-flowlog:index:Flowlog'/);
  });
});
