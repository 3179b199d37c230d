#!/usr/bin/env node
/**
 * `cen-flowlog generate`: writes the Pulumi program that adopts every existing
 * flow log of a CEN instance (dynamic resources cannot be `pulumi import`ed).
 * Settings come from a stack's config (`--stack`, read through the Pulumi CLI)
 * and the environment, as the provider reads them (readSettings).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseDuration } from '../model/duration';
import { generateProgram } from './generate';
import { lookupFlowlogs } from '../lookup/get-flowlogs';
import type { SessionFactory } from '../core/session';
import { defaultRegion, type ConfigSource } from '../core/settings';
import { readStackConfig } from './stack-config';
import { runMigrate } from './migrate-cli';

export const USAGE = `Usage: cen-flowlog generate --cen-id <id> [options]
       cen-flowlog migrate --stack <name> [options]   (cen-flowlog migrate --help)

Writes a TypeScript Pulumi program with one CenFlowlog per existing flow log of the
CEN instance, each with every field as the service reports it and adopt: "<id>".
Its first \`pulumi up\` records them in the stack without changing them.

Options:
  --cen-id <id>               CEN instance whose flow logs to adopt (required)
  --transit-router-id <id>    Only the flow logs of this transit router (and its attachments)
  --region <id>               Region of the flow logs (default: the stack's alicloud:region with
                              --stack, then ALICLOUD_REGION, then ALIBABA_CLOUD_REGION_ID)
  --stack <name>              Read region, credentials and endpoint from this stack's config, as the
                              provider does (run in the Pulumi project folder; uses the Pulumi CLI)
  --pulumi <path>             The Pulumi CLI for --stack (default: pulumi on PATH)
  --out <file>                Write the program to this file (default: stdout)
  --timeout <duration>        Time allowed for the lookup, retries included (default 2m)
  -h, --help                  Show this help

Credentials and endpoint, as the provider reads them: with --stack, the stack config
alicloud:accessKey / alicloud:secretKey (/ alicloud:securityToken) or alicloud:profile,
cenFlowlog:endpoint, cenFlowlog:requestTimeout, cenFlowlog:requestsPerSecond (secrets are
read with the stack's passphrase or secrets provider, never printed); then the environment:
ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY (/ ALICLOUD_SECURITY_TOKEN) or ALICLOUD_PROFILE, else
the Alibaba Cloud chain (ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, profiles,
ECS RAM role); CEN_FLOWLOG_ENDPOINT (default https://cbn.aliyuncs.com).
`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface GenerateCommand {
  cenId: string;
  transitRouterId?: string;
  region?: string;
  stack?: string;
  pulumi?: string;
  out?: string;
  timeout?: string;
}

const OPTIONS = {
  'cen-id': { type: 'string' },
  'transit-router-id': { type: 'string' },
  region: { type: 'string' },
  stack: { type: 'string' },
  pulumi: { type: 'string' },
  out: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** argv (after the program name) → the command; throws UsageError on anything wrong. */
export function parseCli(argv: string[]): GenerateCommand | 'help' {
  const { values, positionals } = parse(argv);
  if (values.help) return 'help';
  if (positionals[0] !== 'generate' || positionals.length > 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'Expected a command: generate'
        : `Unknown command ${JSON.stringify(positionals.join(' '))}; expected: generate`,
    );
  }
  for (const [flag, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '') throw new UsageError(`Expected --${flag} to have a value, got an empty string`);
  }
  if (values['cen-id'] === undefined) throw new UsageError('Expected --cen-id <id>: the CEN instance whose flow logs to adopt');
  if (values.pulumi !== undefined && values.stack === undefined)
    throw new UsageError('Expected --stack <name> with --pulumi: the Pulumi CLI is only run to read a stack config');
  if (values.timeout !== undefined && parseDuration(values.timeout) === undefined) {
    throw new UsageError(`Expected --timeout to be a duration like "90s" or "5m", got ${JSON.stringify(values.timeout)}`);
  }
  return {
    cenId: values['cen-id'],
    transitRouterId: values['transit-router-id'],
    region: values.region,
    stack: values.stack,
    pulumi: values.pulumi,
    out: values.out,
    timeout: values.timeout,
  };
}

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Tests inject sessions; the default is the one shared factory of the process. */
  sessions?: SessionFactory;
  /** The Pulumi project folder `--stack` reads from. @default process.cwd() */
  cwd?: string;
}

const quoteArg = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

/** Runs the CLI; resolves with the exit status (0 done, 1 failed, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'migrate') return runMigrate(argv.slice(1), io);
  let cmd: GenerateCommand | 'help';
  try {
    cmd = parseCli(argv);
  } catch (err) {
    io.stderr(`cen-flowlog: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (cmd === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  try {
    const config: ConfigSource = cmd.stack
      ? await readStackConfig({ stack: cmd.stack, pulumi: cmd.pulumi, cwd: io.cwd, env: io.env })
      : { get: () => undefined };
    const region = cmd.region ?? defaultRegion(config, io.env);
    if (!region)
      throw new UsageError(
        `Expected --region <id>, or ${cmd.stack ? `alicloud:region in the config of stack ${cmd.stack}, or ` : ''}ALICLOUD_REGION / ALIBABA_CLOUD_REGION_ID in the environment`,
      );
    const { flowlogs } = await lookupFlowlogs(
      { regionId: region, cenId: cmd.cenId, transitRouterId: cmd.transitRouterId },
      { config, env: io.env, timeout: cmd.timeout, sessions: io.sessions },
    );
    const command = [
      'cen-flowlog',
      'generate',
      '--cen-id',
      cmd.cenId,
      ...(cmd.transitRouterId ? ['--transit-router-id', cmd.transitRouterId] : []),
      '--region',
      region,
      ...(cmd.stack ? ['--stack', cmd.stack] : []),
    ]
      .map(quoteArg)
      .join(' ');
    const program = generateProgram(flowlogs, { command });
    if (cmd.out) {
      writeFileSync(cmd.out, program);
      io.stderr(`Wrote ${flowlogs.length} flow log${flowlogs.length === 1 ? '' : 's'} to ${cmd.out}\n`);
    } else {
      io.stdout(program);
    }
    if (flowlogs.length === 0)
      io.stderr(
        `No flow log found in ${region} for CEN ${cmd.cenId}${cmd.transitRouterId ? ` and transit router ${cmd.transitRouterId}` : ''}.\n`,
      );
    return 0;
  } catch (err) {
    io.stderr(`cen-flowlog generate: ${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2), {
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  }).then((code) => {
    process.exitCode = code;
  });
}
