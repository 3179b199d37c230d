/**
 * The real engine against the emulator: the Pulumi CLI (the version package.json pins for @pulumi/pulumi, or the one
 * E2E_PULUMI_VERSION names: `.ci/run` sets it for its run on the newest release) driven through
 * the Automation API, a file backend in a temp folder, the emulator in this
 * jest process (the provider runs in the engine's plugin process and reaches
 * it over loopback). A missing CLI fails the suite, never skips it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EngineEvent, LocalWorkspace, OpType, PulumiCommand, PulumiFn, Stack } from '@pulumi/pulumi/automation';
import { AccessKey, Emulator, startEmulator } from '../../src/emulator';

export const ROOT = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const versions = require('../../scripts/pulumi-versions.js') as { pinned(): string };
/**
 * The Pulumi release this run tests: the CLI and the @pulumi/pulumi that the programs, the package and the
 * dynamic provider load must all be this one. By default the pin in package.json (the one place it is kept).
 */
export const CLI_VERSION: string = process.env.E2E_PULUMI_VERSION || versions.pinned();
/** The @pulumi/pulumi installed where the programs and the provider plugin (started in ROOT) resolve it. */
export const SDK_VERSION: string = JSON.parse(
  fs.readFileSync(require.resolve('@pulumi/pulumi/package.json', { paths: [ROOT] }), 'utf8'),
).version;
export const CLI_ROOT = process.env.PULUMI_CLI_ROOT || path.join(os.homedir(), '.pulumi', 'versions', CLI_VERSION);
const CLI_BIN = path.join(CLI_ROOT, 'bin');
const BINARIES = ['pulumi', 'pulumi-language-nodejs', 'pulumi-resource-pulumi-nodejs'];
export const PASSPHRASE = 'cen-flowlog-e2e-throwaway';
/** The resource type of every flow log in the engine's events and the checkpoint. */
export const FLOWLOG_TYPE = 'pulumi-nodejs:dynamic/cen-flowlog:CenFlowlog';

/** The CLI, or an error that says how to get it. */
export async function pulumiCli(): Promise<PulumiCommand> {
  const missing = BINARIES.filter((b) => !fs.existsSync(path.join(CLI_BIN, b)));
  const how =
    `Run \`bash scripts/get-pulumi.sh --version ${CLI_VERSION}\` (it builds or downloads that CLI into ~/.pulumi/versions/${CLI_VERSION}/bin), ` +
    'or point PULUMI_CLI_ROOT at a folder whose bin/ holds it. The end-to-end tests never skip.';
  if (missing.length > 0) throw new Error(`The e2e tests need ${missing.join(', ')} in ${CLI_BIN}, missing. ${how}`);
  let cli: PulumiCommand;
  try {
    cli = await PulumiCommand.get({ root: CLI_ROOT });
  } catch (err) {
    throw new Error(`The Pulumi CLI in ${CLI_BIN} is not usable: ${(err as Error).message}. ${how}`);
  }
  if (cli.version?.version !== CLI_VERSION)
    throw new Error(`The Pulumi CLI in ${CLI_BIN} is ${cli.version?.version}, expected ${CLI_VERSION}. ${how}`);
  if (SDK_VERSION !== CLI_VERSION) {
    throw new Error(
      `The @pulumi/pulumi in ${ROOT}/node_modules is ${SDK_VERSION}, expected ${CLI_VERSION} to match the CLI: ` +
        'run `npm ci` (pinned), or `.ci/e2e-newest` for the newest release.',
    );
  }
  return cli;
}

export interface E2eContext {
  emu: Emulator;
  cli: PulumiCommand;
  backendDir: string;
  /** Environment of every pulumi command; `withCredentials: false` leaves the keys to the stack config. */
  env(withCredentials?: boolean): Record<string, string>;
  close(): Promise<void>;
}

/** The environment of every pulumi command against `emu` with a file backend in `backendDir`. */
export function cliEnv(emu: Emulator, backendDir: string, withCredentials = true): Record<string, string> {
  return {
    PATH: `${CLI_BIN}${path.delimiter}${process.env.PATH ?? ''}`,
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    CEN_FLOWLOG_ENDPOINT: emu.endpoint,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    ...(withCredentials ? { ALIBABA_CLOUD_ACCESS_KEY_ID: emu.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: emu.accessKeySecret } : {}),
  };
}

/** The CLI, an emulator (accepting `extraKeys` too) and a file backend of its own. */
export async function startContext(extraKeys: AccessKey[] = []): Promise<E2eContext> {
  const cli = await pulumiCli();
  const emu = await startEmulator({ delays: { createMs: 300, modifyMs: 200, deleteMs: 200 }, extraKeys });
  const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-e2e-backend-'));
  const env = (withCredentials = true): Record<string, string> => cliEnv(emu, backendDir, withCredentials);
  return {
    emu,
    cli,
    backendDir,
    env,
    close: async () => {
      await emu.close();
      fs.rmSync(backendDir, { recursive: true, force: true });
    },
  };
}

/**
 * One context per suite: started before its tests, and at the end every stack
 * pushed to the returned list is removed and the emulator and backend go away.
 */
export function useSuiteContext(ready: (ctx: E2eContext) => void): Stack[] {
  const stacks: Stack[] = [];
  let ctx: E2eContext | undefined;
  beforeAll(async () => {
    ctx = await startContext();
    ready(ctx);
  });
  afterAll(async () => {
    for (const s of stacks) removeStack(s);
    await ctx?.close();
  });
  return stacks;
}

let counter = 0;
export const stackName = (what: string): string => `e2e-${what}-${process.pid}-${++counter}`;

/**
 * A stack whose program runs in this process. For an inline program the engine
 * starts the dynamic-provider plugin in this process's working directory (not
 * the stack's work dir): the plugin's launcher finds @pulumi/pulumi, and the
 * stored shim finds `cen-flowlog`, from there. Jest runs in the repository.
 */
export async function inlineStack(ctx: E2eContext, name: string, program: PulumiFn): Promise<Stack> {
  if (path.relative(ROOT, process.cwd()).startsWith('..')) {
    throw new Error(
      `Run the e2e tests from the repository (${ROOT}), not ${process.cwd()}: the provider plugin resolves cen-flowlog from there.`,
    );
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-e2e-work-'));
  scratchDirs.add(workDir);
  return LocalWorkspace.createOrSelectStack(
    { projectName: 'cen-flowlog-e2e', stackName: name, program },
    { workDir, envVars: ctx.env(), pulumiCommand: ctx.cli },
  );
}

/** Work dirs this harness made itself: the only folders it ever removes whole (the checkout may live in the temp dir too). */
const scratchDirs = new Set<string>();

/**
 * Removes what the stack left outside the backend: its config file and (for inline stacks) the temp work dir
 * made for it. The stack itself goes with the context's backend folder (`close`), so no CLI call
 * (`pulumi stack rm` costs half a CPU-second) is spent on it.
 */
export function removeStack(stack: Stack): void {
  const workDir = stack.workspace.workDir;
  fs.rmSync(path.join(workDir, `Pulumi.${stack.name}.yaml`), { force: true });
  if (scratchDirs.delete(workDir)) fs.rmSync(workDir, { recursive: true, force: true });
}

/** Engine events of one operation, reduced to "which step did each flow log get". */
export class Steps {
  readonly events: EngineEvent[] = [];
  readonly onEvent = (e: EngineEvent): void => {
    this.events.push(e);
  };

  /** The ops of the named resource, in order (e.g. ["delete-replaced", "create-replacement", "replace"]). */
  of(resourceName: string): OpType[] {
    return this.events
      .map((e) => e.resourcePreEvent?.metadata)
      .filter((m) => m !== undefined && m.type === FLOWLOG_TYPE && m.urn.endsWith(`::${resourceName}`))
      .map((m) => m!.op);
  }

  /** Diagnostics the engine printed at error level. */
  errors(): string {
    return this.events
      .map((e) => e.diagnosticEvent)
      .filter((d) => d && d.severity === 'error')
      .map((d) => d!.message)
      .join('\n');
  }
}

/** API calls that change something: everything but the Describe and List actions. */
export const writeCalls = (emu: Emulator): string[] =>
  emu
    .requests()
    .map((r) => r.action)
    .filter((a) => !/^(Describe|List)/.test(a));

/** Flow-log resources of the checkpoint. */
export async function checkpointFlowLogs(
  stack: Stack,
  type: string = FLOWLOG_TYPE,
): Promise<Array<{ id: string; outputs: Record<string, unknown>; inputs: Record<string, unknown> }>> {
  const deployment = await stack.exportStack();
  const resources = (deployment.deployment.resources ?? []) as Array<{
    type: string;
    id: string;
    outputs: Record<string, unknown>;
    inputs: Record<string, unknown>;
  }>;
  return resources.filter((r) => r.type === type);
}

/** The checkpoint file as the file backend stored it (secrets still encrypted). */
export function readCheckpointFile(ctx: E2eContext, name: string): string {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name === `${name}.json`) found.push(full);
    }
  };
  walk(path.join(ctx.backendDir, '.pulumi', 'stacks'));
  if (found.length !== 1) throw new Error(`Expected one checkpoint for stack ${name} under ${ctx.backendDir}, found ${found.length}`);
  return fs.readFileSync(found[0]!, 'utf8');
}
