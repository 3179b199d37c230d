/**
 * The package's entry points as a user's program and tests load them (from
 * the build, through the `exports` map): the provider process never loads the
 * emulator, and the emulator is its own entry point.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function inNode(script: string): string {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does).');
  }
  return execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }).trim();
}

describe('entry points', () => {
  it('loading cen-flowlog loads no emulator module', () => {
    const loaded = JSON.parse(
      inNode(
        "require('cen-flowlog'); console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('/dist/emulator/'))))",
      ),
    ) as string[];
    expect(loaded).toEqual([]);
  });

  it('serves the emulator from cen-flowlog/emulator, and not from the main entry point', () => {
    const out = inNode("console.log(typeof require('cen-flowlog/emulator').startEmulator, typeof require('cen-flowlog').startEmulator)");
    expect(out).toBe('function undefined');
  });

  it('serves the generator command from the bin entry', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    for (const file of Object.values(pkg.bin)) expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
  });
});
