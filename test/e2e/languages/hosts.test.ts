/**
 * scripts/get-language-hosts.sh: leaves hosts at their pinned versions alone, replaces anything else, and fails
 * naming the host it cannot build. Needs Go and the hosts installed next to the pinned CLI (as CI has them).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CLI_ROOT } from '../harness';
import { ROOT, requireHost } from './toolchain';

jest.setTimeout(180_000);

const SCRIPT = path.join(ROOT, 'scripts', 'get-language-hosts.sh');
const HOSTS = [
  'pulumi-language-python',
  'pulumi-language-python-exec',
  'pulumi-language-go',
  'pulumi-language-yaml',
  'pulumi-language-java',
];

interface Outcome {
  code: number;
  stderr: string;
}

async function getHosts(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  try {
    const { stderr } = await promisify(execFile)('bash', [SCRIPT, ...args], { env: { ...process.env, ...env }, maxBuffer: 16 << 20 });
    return { code: 0, stderr };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: e.code ?? -1, stderr: e.stderr ?? '' };
  }
}

describe('scripts/get-language-hosts.sh', () => {
  const scratch: string[] = [];
  const tempBin = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-hosts-'));
    scratch.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
  });

  it('leaves every host installed at its pinned version where it is', async () => {
    for (const lang of ['python', 'go', 'yaml', 'java'] as const) requireHost(lang);
    const bin = path.join(CLI_ROOT, 'bin');
    const before = HOSTS.map((h) => fs.statSync(path.join(bin, h)).mtimeMs);
    const { code, stderr } = await getHosts([]);
    expect(code).toBe(0);
    expect(stderr.match(/already installed/g)).toHaveLength(HOSTS.length);
    expect(stderr).not.toMatch(/building/);
    expect(HOSTS.map((h) => fs.statSync(path.join(bin, h)).mtimeMs)).toEqual(before);
  });

  it('replaces a host that is not the pinned build', async () => {
    const bin = tempBin();
    const fake = path.join(bin, 'pulumi-language-go');
    fs.writeFileSync(fake, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const { code, stderr } = await getHosts([bin], { LANGUAGE_HOSTS: 'go' });
    expect(code).toBe(0);
    expect(stderr).toMatch(/pulumi-language-go: .* has no Go build info; building it from github.com\/pulumi\/pulumi\/sdk\/v3 v3\.62\.0/);
    const { stdout } = await promisify(execFile)('go', ['version', '-m', fake]);
    expect(stdout).toMatch(/^\s+path\s+github\.com\/pulumi\/pulumi\/sdk\/v3\/go\/pulumi-language-go$/m);
    expect(stdout).toMatch(/^\s+mod\s+github\.com\/pulumi\/pulumi\/sdk\/v3\s+v3\.62\.0\s/m);
  });

  it('fails, naming the host, when a host cannot be built', async () => {
    const bin = tempBin();
    // No module cache and no proxy: the YAML host's modules cannot be had.
    const { code, stderr } = await getHosts([bin], { LANGUAGE_HOSTS: 'yaml', GOPROXY: 'off', GOMODCACHE: tempBin() });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /go build of github\.com\/pulumi\/pulumi-yaml\/cmd\/pulumi-language-yaml \(github\.com\/pulumi\/pulumi-yaml v1\.30\.0\) FAILED/,
    );
    expect(stderr).toMatch(/ERROR: could not build or install: yaml/);
    expect(fs.existsSync(path.join(bin, 'pulumi-language-yaml'))).toBe(false);
  });
});
