/**
 * What the language suites need besides the CLI: the language hosts next to it, the SDKs generated from schema.json,
 * a Python venv with `pulumi` from PyPI, and a stack whose program is a folder of this repository. Anything missing
 * fails the suite with the command that provides it; nothing is skipped.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { LocalWorkspace, Stack } from '@pulumi/pulumi/automation';
import { CLI_ROOT, CLI_VERSION, E2eContext, startContext } from '../harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script shared with the shell scripts
const versions = require('../../../scripts/pulumi-versions.js') as { pythonSdk(cli: string): string };
/** The `pulumi` Python package beside this CLI: its own version, or PyPI's newest when PyPI has no such release. */
const PYTHON_SDK = versions.pythonSdk(CLI_VERSION);

const run = promisify(execFile);

export const ROOT = path.resolve(__dirname, '../../..');
const CLI_BIN = path.join(CLI_ROOT, 'bin');
/** Where scripts/gen-sdk.sh writes the SDKs (gitignored). */
export const SDK_DIR = path.join(ROOT, 'sdk');
/** The venv the Python program runs in (gitignored), with PyPI's `pulumi` at the pinned CLI's version. */
export const VENV = path.join(ROOT, '.langs', 'python');
export const VENV_PYTHON = path.join(VENV, 'bin', 'python');

/** The resource type of the plugin's flow log. */
export const FLOWLOG = 'cen-flowlog:index:Flowlog';
/** A second AccessKey the emulator accepts: the explicit provider's (the default provider signs with the main one). */
export const SECOND_KEY = { accessKeyId: 'e2e-explicit-provider-key', accessKeySecret: 'e2e-explicit-provider-secret' };

export type Language = 'yaml' | 'python' | 'go' | 'java';

const HOST_FILES: Record<Language, string[]> = {
  yaml: ['pulumi-language-yaml'],
  python: ['pulumi-language-python', 'pulumi-language-python-exec'],
  go: ['pulumi-language-go'],
  java: ['pulumi-language-java'],
};

/** Throws unless the language's host is installed next to the pinned CLI. */
export function requireHost(lang: Language): void {
  const missing = HOST_FILES[lang].filter((f) => !fs.existsSync(path.join(CLI_BIN, f)));
  if (missing.length > 0) {
    throw new Error(
      `The ${lang} end-to-end test needs ${missing.join(', ')} in ${CLI_BIN}, missing. ` +
        'Run `bash scripts/get-language-hosts.sh` (after scripts/get-pulumi.sh). The end-to-end tests never skip.',
    );
  }
}

/** Runs a command; on failure the error carries its output, so the suite says why. */
async function sh(what: string, file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, maxBuffer: 64 << 20 });
    return stdout + stderr;
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`${what} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** Generates the SDK of `lang` from schema.json into sdk/<lang> (scripts/gen-sdk.sh). */
export async function generateSdk(lang: 'python' | 'go' | 'java' | 'nodejs'): Promise<void> {
  await sh(`scripts/gen-sdk.sh ${lang}`, 'bash', [path.join(ROOT, 'scripts', 'gen-sdk.sh'), lang]);
}

/**
 * The venv of the Python program: created with `pulumi==<PYTHON_SDK>` from PyPI when missing or at
 * another version, and the freshly generated SDK installed into it (pip reinstalls a local folder every time).
 */
export async function preparePython(): Promise<void> {
  await generateSdk('python');
  let have = '';
  if (fs.existsSync(VENV_PYTHON)) {
    have = await sh('reading the venv', VENV_PYTHON, ['-c', 'import importlib.metadata as m; print(m.version("pulumi"))']).catch(() => '');
  }
  if (have.trim() !== PYTHON_SDK) {
    fs.rmSync(VENV, { recursive: true, force: true });
    await sh('python3 -m venv (is Python 3 installed?)', 'python3', ['-m', 'venv', VENV]);
  }
  await sh(`pip install pulumi==${PYTHON_SDK} sdk/python (PyPI must be reachable)`, path.join(VENV, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    `pulumi==${PYTHON_SDK}`,
    path.join(SDK_DIR, 'python'),
  ]);
}

export interface LanguageContext extends E2eContext {
  /** Every pulumi command's environment (the harness's, plus what the language needs). */
  langEnv: Record<string, string>;
}

/** The harness's context with a second AccessKey on the emulator and the language's environment. */
export async function startLanguageContext(extraEnv: Record<string, string>): Promise<LanguageContext> {
  const ctx = await startContext([SECOND_KEY]);
  return { ...ctx, langEnv: { ...ctx.env(), ...extraEnv } };
}

/**
 * A stack of the program in `programDir` (a folder of this repository, run in place). Its config is the stack file,
 * written by `setConfig` (no CLI call).
 */
export class ProgramStack {
  private constructor(
    readonly ctx: LanguageContext,
    readonly stack: Stack,
    readonly project: string,
  ) {}

  static async create(ctx: LanguageContext, programDir: string, name: string): Promise<ProgramStack> {
    const project = /^name:\s*(\S+)/m.exec(fs.readFileSync(path.join(programDir, 'Pulumi.yaml'), 'utf8'))?.[1];
    if (!project) throw new Error(`${programDir}/Pulumi.yaml has no name`);
    const stack = await LocalWorkspace.createStack(
      { stackName: name, workDir: programDir },
      { envVars: ctx.langEnv, pulumiCommand: ctx.cli },
    );
    return new ProgramStack(ctx, stack, project);
  }

  get name(): string {
    return this.stack.name;
  }

  private get configFile(): string {
    return path.join(this.stack.workspace.workDir, `Pulumi.${this.name}.yaml`);
  }

  /** Replaces the stack's config: `project` keys get the project's namespace; keys with a `:` are taken as they are. */
  setConfig(config: Record<string, string>): void {
    // `pulumi stack init` wrote the salt that encrypts this stack's secrets: keep it.
    const salt = /^encryptionsalt:.*$/m.exec(fs.existsSync(this.configFile) ? fs.readFileSync(this.configFile, 'utf8') : '')?.[0];
    const keyed = Object.fromEntries(Object.entries(config).map(([k, v]) => [k.includes(':') ? k : `${this.project}:${k}`, v]));
    fs.writeFileSync(this.configFile, `${salt ?? ''}\nconfig: ${JSON.stringify(keyed)}\n`);
  }

  /** `pulumi <args> --stack <this> --non-interactive` in the program's folder; rejects with the output on failure. */
  async cli(args: string[]): Promise<string> {
    return sh(`pulumi ${args.join(' ')}`, this.ctx.cli.command, [...args, '--stack', this.name, '--non-interactive'], {
      cwd: this.stack.workspace.workDir,
      env: { ...process.env, ...this.ctx.langEnv },
    });
  }

  /** Removes the stack's config file (the stack itself goes with the context's backend folder). */
  remove(): void {
    fs.rmSync(this.configFile, { force: true });
  }
}
