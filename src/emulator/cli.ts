#!/usr/bin/env node
/** `cen-flowlog-emulator`: run the emulator in the foreground with demo-friendly delays. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startEmulator } from './index';
import type { Emulator, EmulatorOptions, TopologyInput } from './types';

const USAGE = `Usage: cen-flowlog-emulator [options]

Runs a local emulator of the Alibaba Cloud CEN flow-log API (Cbn 2017-09-12).

Options:
  --port <n>               Port to listen on (default 0: a free port)
  --host <addr>            Address to listen on (default 127.0.0.1)
  --state-file <path>      Persist state to this JSON file (loaded at start)
  --topology <file>        JSON topology override, merged on the defaults
  --create-delay-ms <n>    How long a new flow log stays Creating (default 3000)
  --modify-delay-ms <n>    How long activate/deactivate stays Modifying (default 2000)
  --modify-attribute-delay-ms <n>
                           How long ModifyFlowLogAttribute stays Modifying (default: the modify delay)
  --delete-delay-ms <n>    How long a deleted flow log stays Deleting (default 2000)
  --rate <n>               Requests per second per AccessKey; 0 = unlimited (default 100)
  --burst <n>              Token-bucket burst (default 200)
  --quota <n>              Flow-log quota (default 50)
  --default-log-format <fill|empty>
                           LogFormatString of a flow log created without one: every field
                           (fill) or empty (empty); the live service's choice is undocumented
                           (default fill)
  --delete-without-logstore <remove|keep>
                           DeleteFlowlog of a flow log whose Log Service project or Logstore was
                           removed answers an error; whether it removes the flow log all the same
                           (remove) or leaves it listed (keep) is undocumented (default remove)
  --access-key-id <id>     AccessKey id to accept (default emulator-access-key-id)
  --access-key-secret <s>  AccessKey secret (default emulator-access-key-secret)
  --log-requests           Print one line per request to stderr
  -h, --help               Show this help
`;

const CLI_DELAYS = { createMs: 3000, modifyMs: 2000, deleteMs: 2000 };

export class UsageError extends Error {}

function num(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`Expected --${name} to be a non-negative number, got ${value}`);
  return n;
}

function readTopology(file: string | undefined): TopologyInput | undefined {
  if (file === undefined) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TopologyInput;
  } catch (err) {
    throw new UsageError(`Cannot read topology file ${file}: ${(err as Error).message}`);
  }
}

/** Turn argv into options; throws UsageError on anything wrong. Exported for tests. */
export function parseCli(argv: string[]): EmulatorOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'state-file': { type: 'string' },
        topology: { type: 'string' },
        'create-delay-ms': { type: 'string' },
        'modify-delay-ms': { type: 'string' },
        'delete-delay-ms': { type: 'string' },
        'modify-attribute-delay-ms': { type: 'string' },
        'default-log-format': { type: 'string' },
        'delete-without-logstore': { type: 'string' },
        rate: { type: 'string' },
        burst: { type: 'string' },
        quota: { type: 'string' },
        'access-key-id': { type: 'string' },
        'access-key-secret': { type: 'string' },
        'log-requests': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const s = (k: string): string | undefined => values[k] as string | undefined;
  const modifyMs = num('modify-delay-ms', s('modify-delay-ms')) ?? CLI_DELAYS.modifyMs;
  const logFormat = s('default-log-format');
  if (logFormat !== undefined && logFormat !== 'fill' && logFormat !== 'empty') {
    throw new UsageError(`Expected --default-log-format to be fill or empty, got ${logFormat}`);
  }
  const deleteWithoutLogStore = s('delete-without-logstore');
  if (deleteWithoutLogStore !== undefined && deleteWithoutLogStore !== 'remove' && deleteWithoutLogStore !== 'keep') {
    throw new UsageError(`Expected --delete-without-logstore to be remove or keep, got ${deleteWithoutLogStore}`);
  }
  return {
    port: num('port', s('port')),
    host: s('host'),
    stateFile: s('state-file'),
    topology: readTopology(s('topology')),
    delays: {
      createMs: num('create-delay-ms', s('create-delay-ms')) ?? CLI_DELAYS.createMs,
      modifyMs,
      modifyAttributeMs: num('modify-attribute-delay-ms', s('modify-attribute-delay-ms')) ?? modifyMs,
      deleteMs: num('delete-delay-ms', s('delete-delay-ms')) ?? CLI_DELAYS.deleteMs,
    },
    ratePerSecond: num('rate', s('rate')),
    burst: num('burst', s('burst')),
    quota: num('quota', s('quota')),
    accessKeyId: s('access-key-id'),
    accessKeySecret: s('access-key-secret'),
    logRequests: values['log-requests'] === true,
    defaultLogFormat: logFormat,
    deleteWithoutLogStore,
  };
}

/** What the CLI prints once listening: the endpoint and the credentials, as shell exports. */
export function banner(emu: Emulator): string {
  const tr = emu.topology.transitRouters[0];
  return [
    `CEN flow-log emulator listening on ${emu.endpoint}`,
    `export ALIBABA_CLOUD_ACCESS_KEY_ID=${emu.accessKeyId}`,
    `export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${emu.accessKeySecret}`,
    `export CEN_FLOWLOG_ENDPOINT=${emu.endpoint}`,
    'export ALIBABA_CLOUD_ECS_METADATA_DISABLED=true',
    `# CEN ${emu.topology.cens[0]?.cenId}, transit router ${tr?.transitRouterId} (${tr?.regionId}); state: GET ${emu.endpoint}/__admin/state`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  let options: EmulatorOptions | 'help';
  try {
    options = parseCli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`cen-flowlog-emulator: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const emu = await startEmulator(options);
  process.stdout.write(banner(emu));
  const stop = (signal: string): void => {
    process.stderr.write(`${signal}: closing the emulator\n`);
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`cen-flowlog-emulator: ${err.message}\n`);
    process.exit(1);
  });
}
