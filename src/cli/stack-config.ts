/**
 * A Pulumi stack's config for the tools that run outside a Pulumi program
 * (`cen-flowlog generate --stack`): read through the Pulumi CLI, so every
 * backend and secrets provider the user's CLI knows works, and handed to
 * readSettings as the provider would see it. Values, secrets included, stay
 * in memory: nothing here prints, logs or quotes what the CLI wrote to stdout.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import type { ConfigSource } from '../core/settings';

export interface StackConfigOptions {
  /** The stack's name, as `pulumi stack ls` shows it (`dev`, `org/project/dev`). */
  stack: string;
  /** The Pulumi CLI to run. @default "pulumi", found on PATH */
  pulumi?: string;
  /** The Pulumi project folder. @default the current directory */
  cwd?: string;
  /** The CLI's environment (backend, passphrase, PATH). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** How long the CLI may take. @default 60 s */
  timeoutMs?: number;
}

/** The stack config could not be read: no CLI, no stack, or an answer that is not config. */
export class StackConfigError extends Error {
  override readonly name = 'StackConfigError';
  readonly code = 'StackConfigError';
}

/** At most this much of the CLI's error output goes into a message. */
const MAX_STDERR_CHARS = 600;

/**
 * `pulumi config --json` (with `--show-secrets`) as a ConfigSource: each key's `value`, a
 * string (structured values come as their JSON text). Pure; the text is never quoted back.
 */
export function configFromPulumiJson(text: string, stack: string): ConfigSource {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StackConfigError(
      `\`pulumi config --stack ${stack} --json\` did not print JSON: is the Pulumi CLI too old or not the real one?`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StackConfigError(`\`pulumi config --stack ${stack} --json\` did not print a map of config keys.`);
  }
  const values = new Map<string, string>();
  for (const [key, entry] of Object.entries(parsed)) {
    const value: unknown = typeof entry === 'object' && entry !== null ? (entry as { value?: unknown }).value : undefined;
    if (typeof value === 'string') values.set(key, value);
  }
  return { get: (key) => values.get(key) };
}

function failure(stack: string, pulumi: string, err: ExecFileException, stderr: string): StackConfigError {
  if (err.code === 'ENOENT') {
    return new StackConfigError(
      `The Pulumi CLI was not found (ran ${JSON.stringify(pulumi)}): install it, put it on PATH, or name it with --pulumi <path>.`,
    );
  }
  if (err.killed) return new StackConfigError(`\`pulumi config --stack ${stack}\` did not answer in time.`);
  const said = stderr.trim().slice(0, MAX_STDERR_CHARS) || err.message;
  return new StackConfigError(
    `Could not read the config of stack ${JSON.stringify(stack)} with \`pulumi config\` (run it in the Pulumi project folder, with that stack's backend and passphrase): ${said}`,
  );
}

/** Runs `pulumi config --stack NAME --show-secrets --json` in the project folder; the config it prints. */
export function readStackConfig(opts: StackConfigOptions): Promise<ConfigSource> {
  const pulumi = opts.pulumi ?? 'pulumi';
  const args = ['config', '--stack', opts.stack, '--show-secrets', '--json', '--non-interactive'];
  return new Promise((resolve, reject) => {
    execFile(
      pulumi,
      args,
      { cwd: opts.cwd, env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) {
          reject(failure(opts.stack, pulumi, err, stderr));
          return;
        }
        try {
          resolve(configFromPulumiJson(stdout, opts.stack));
        } catch (parseErr) {
          reject(parseErr);
        }
      },
    );
  });
}
