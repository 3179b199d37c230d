/**
 * `cen-flowlog migrate --stack NAME`: reads the stack's checkpoint with
 * `pulumi stack export` (run in the Pulumi project folder) and writes the
 * declarations of the package's resource plus the steps of the move. It
 * changes nothing itself: no state is written and the service is not called.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MigrateError, planMigration } from './migrate';
import { migrationProgram, migrationSteps } from './migrate-program';

export const MIGRATE_USAGE = `Usage: cen-flowlog migrate --stack <name> [options]

Run in the Pulumi project folder. Reads the stack (pulumi stack export) and writes, for each
dynamic CenFlowlog, the declaration of the package's resource cen-flowlog:index:Flowlog with an
alias that carries its state over, then prints the steps of the move. Nothing is changed: the
move is the next \`pulumi up\`, which makes no API call.

Options:
  --stack <name>     The stack whose flow logs to move (required)
  --out <file>       Write the declarations to this file (default: stdout)
  --from <file>      Read this \`pulumi stack export\` output instead of running pulumi
  -h, --help         Show this help
`;

export interface MigrateIo {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const OPTIONS = {
  stack: { type: 'string' },
  out: { type: 'string' },
  from: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface MigrateCommand {
  stack: string;
  out?: string;
  from?: string;
}

/** argv after `migrate` → the command; throws MigrateError on anything wrong. */
export function parseMigrate(argv: string[]): MigrateCommand | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: false, strict: true });
  } catch (err) {
    throw new MigrateError((err as Error).message);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  for (const [flag, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '') throw new MigrateError(`Expected --${flag} to have a value, got an empty string`);
  }
  if (values.stack === undefined) throw new MigrateError('Expected --stack <name>: the stack whose flow logs to move');
  return { stack: values.stack, out: values.out, from: values.from };
}

/** `pulumi stack export --stack NAME` in the project folder; its failure names the command and what it printed. */
function exportStack(stack: string, io: MigrateIo): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'pulumi',
      ['stack', 'export', '--stack', stack],
      { cwd: io.cwd, env: io.env, maxBuffer: 512 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        const why = missing ? 'the pulumi CLI is not on PATH' : stderr.trim() || err.message;
        reject(new MigrateError(`\`pulumi stack export --stack ${stack}\` failed: ${why}`, { cause: err }));
      },
    );
  });
}

function readExport(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new MigrateError(`Expected ${source} to be the JSON of \`pulumi stack export\`: ${(err as Error).message}`, { cause: err });
  }
}

/** Runs `cen-flowlog migrate`; resolves with the exit status (0 done, 1 failed, 2 usage). */
export async function runMigrate(argv: string[], io: MigrateIo): Promise<number> {
  let cmd: MigrateCommand | 'help';
  try {
    cmd = parseMigrate(argv);
  } catch (err) {
    io.stderr(`cen-flowlog migrate: ${(err as Error).message}\n\n${MIGRATE_USAGE}`);
    return 2;
  }
  if (cmd === 'help') {
    io.stdout(MIGRATE_USAGE);
    return 0;
  }
  try {
    const exported = cmd.from
      ? readExport(readFileSync(cmd.from, 'utf8'), cmd.from)
      : readExport(await exportStack(cmd.stack, io), `the output of pulumi stack export --stack ${cmd.stack}`);
    const plan = planMigration(exported, cmd.stack);
    const program = migrationProgram(plan, `cen-flowlog migrate --stack ${cmd.stack}`);
    if (cmd.out) writeFileSync(cmd.out, program);
    else io.stdout(program);
    io.stderr(migrationSteps(plan, cmd.out ?? 'the declarations above'));
    return 0;
  } catch (err) {
    io.stderr(`cen-flowlog migrate: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
