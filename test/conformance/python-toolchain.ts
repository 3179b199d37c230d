/**
 * The Python side of the conformance test: a virtual environment under test/conformance/python/.venv
 * (gitignored) holding exactly the packages of requirements.txt, made on the first run and again
 * whenever requirements.txt changes. Without Python, its venv module or PyPI it fails, saying what is missing.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isExecutable, type Exists } from './go-toolchain';
import { run } from './subprocess';

export const PYTHON_DIR = path.join(__dirname, 'python');
export const VENV_DIR = path.join(PYTHON_DIR, '.venv');
const STAMP = path.join(VENV_DIR, 'requirements.sha256');

export const PYTHON_INSTALL_HELP = [
  "The Python conformance test (test/conformance/python) runs Alibaba's Python SDK against the emulator and needs",
  'Python 3.9 or later with its venv module, and PyPI (or a mirror pip is configured for) on the first run.',
  'On Debian or Ubuntu: sudo apt-get install python3 python3-venv; or point PYTHON at an interpreter (PYTHON=/path/to/python3 npm test).',
].join('\n');

/** `$PYTHON` when set (it must exist), else the first python3 on PATH. */
export function findPython(env: NodeJS.ProcessEnv, exists: Exists = isExecutable): string {
  if (env.PYTHON) {
    if (exists(env.PYTHON)) return env.PYTHON;
    throw new Error(`PYTHON is set to ${env.PYTHON}, which is not an executable file.\n${PYTHON_INSTALL_HELP}`);
  }
  const found = (env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'python3'))
    .find(exists);
  if (found) return found;
  throw new Error(`python3 was not found on PATH.\n${PYTHON_INSTALL_HELP}`);
}

/** `name==version` lines of a requirements file (comments and blank lines skipped); anything looser is refused. */
export function pinnedRequirements(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)$/.exec(line);
    if (!m) throw new Error(`requirements.txt: "${line}" is not pinned as name==version`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** The venv's interpreter, with requirements.txt installed. */
export async function preparedVenv(python: string, timeoutMs: number): Promise<string> {
  const requirements = path.join(PYTHON_DIR, 'requirements.txt');
  // A venv belongs to the interpreter that made it: another one (an upgrade, $PYTHON) makes a new venv.
  const hash = createHash('sha256').update(python).update('\0').update(readFileSync(requirements)).digest('hex');
  const venvPython = path.join(VENV_DIR, 'bin', 'python');
  if (existsSync(venvPython) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return venvPython;
  rmSync(VENV_DIR, { recursive: true, force: true });
  const made = await run(python, ['-m', 'venv', VENV_DIR], { timeoutMs });
  if (made.code !== 0) {
    throw new Error(`${python} -m venv failed (exit ${made.code}):\n${made.stderr}\n${PYTHON_INSTALL_HELP}`);
  }
  const pip = await run(venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-r', requirements], {
    timeoutMs,
    env: { ...process.env, PIP_NO_INPUT: '1' },
  });
  if (pip.code !== 0) {
    throw new Error(
      `pip could not install test/conformance/python/requirements.txt (exit ${pip.code}); is PyPI reachable?\n` +
        `${pip.stdout.slice(-4000)}\n${pip.stderr.slice(-4000)}\n${PYTHON_INSTALL_HELP}`,
    );
  }
  writeFileSync(STAMP, hash);
  return venvPython;
}
