/**
 * The two front doors for the e2e suites: the same flow log declared through
 * the dynamic resource (`CenFlowlog`) or through the provider plugin (a plain
 * `pulumi.CustomResource` of `cen-flowlog:index:Flowlog`, no generated SDK),
 * so a suite runs once per door instead of being copied.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { LocalWorkspace, PulumiFn, Stack } from '@pulumi/pulumi/automation';
import { CenFlowlog, type CenFlowlogArgs } from 'cen-flowlog';
import { E2eContext, FLOWLOG_TYPE, ROOT, inlineStack } from './harness';

/** The plugin's resource type, in the engine's events and the checkpoint. */
export const PLUGIN_FLOWLOG_TYPE = 'cen-flowlog:index:Flowlog';
/** The folder holding this checkout's `pulumi-resource-cen-flowlog` (docs/plugin.md). */
export const PLUGIN_DIR = path.join(ROOT, 'bin');

/** The outputs a program reads; computed ones are declared so the engine fills them in. */
export interface FlowlogRefs {
  flowLogId: pulumi.Output<string>;
  creationTime: pulumi.Output<string>;
  description: pulumi.Output<string | undefined>;
}

/** What a program without the generated SDK writes: a CustomResource of the plugin's type. */
class Flowlog extends pulumi.CustomResource {
  constructor(name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(PLUGIN_FLOWLOG_TYPE, name, props, opts);
  }
}

/** An explicit provider of the plugin (`pulumi:providers:cen-flowlog`), as a program without the SDK writes it. */
export class PluginProvider extends pulumi.ProviderResource {
  constructor(name: string, args: pulumi.Inputs) {
    super('cen-flowlog', name, args);
  }
}

/** A flow log through the plugin, as any language declares it: the type token and the schema's property names. */
export function pluginFlowlog(name: string, args: pulumi.Inputs, opts?: pulumi.CustomResourceOptions): FlowlogRefs {
  const computed = {
    flowLogId: undefined,
    creationTime: undefined,
    flowLogVersion: undefined,
    interval: undefined,
    logFormatString: undefined,
  };
  const res = new Flowlog(name, { ...computed, ...args }, opts);
  // The SDK sets one Output per declared property on the resource object.
  return res as unknown as FlowlogRefs;
}

export interface Door {
  name: 'dynamic' | 'plugin';
  /** The flow log's type in the engine's events and the checkpoint. */
  type: string;
  declare(name: string, args: CenFlowlogArgs): FlowlogRefs;
  /** An inline stack whose program declares flow logs through this door. */
  stack(ctx: E2eContext, name: string, program: PulumiFn): Promise<Stack>;
}

export const DOORS: readonly Door[] = [
  {
    name: 'dynamic',
    type: FLOWLOG_TYPE,
    declare: (name, args) => new CenFlowlog(name, args) as unknown as FlowlogRefs,
    stack: inlineStack,
  },
  {
    name: 'plugin',
    type: PLUGIN_FLOWLOG_TYPE,
    declare: (name, args) => pluginFlowlog(name, args as pulumi.Inputs),
    stack: (ctx, name, program) => pluginStack(ctx, name, program),
  },
];

/**
 * An inline stack whose project names the plugin in `plugins.providers` (the way docs/plugin.md tells
 * users), so the CLI starts this checkout's plugin for `cen-flowlog` resources and providers.
 */
export async function pluginStack(ctx: E2eContext, name: string, program: PulumiFn): Promise<Stack> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-e2e-plugin-'));
  const projectSettings = {
    name: 'cen-flowlog-plugin-e2e',
    runtime: 'nodejs',
    // ProjectSettings does not type `plugins`; the workspace writes the object to Pulumi.yaml as given.
    plugins: { providers: [{ name: 'cen-flowlog', path: PLUGIN_DIR }] },
  } as unknown as NonNullable<Parameters<typeof LocalWorkspace.createOrSelectStack>[1]>['projectSettings'];
  return LocalWorkspace.createOrSelectStack(
    { projectName: 'cen-flowlog-plugin-e2e', stackName: name, program },
    { workDir, envVars: ctx.env(), pulumiCommand: ctx.cli, projectSettings },
  );
}

/** The plugin must be built: a missing build fails the suite, never skips it. */
export function requirePluginBuild(): void {
  const main = path.join(ROOT, 'dist', 'plugin', 'main.js');
  if (!fs.existsSync(main)) throw new Error(`The plugin e2e tests need ${main}: run \`npm run build\` first.`);
}
