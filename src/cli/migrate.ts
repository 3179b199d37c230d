/**
 * The move from the dynamic resource to the package, planned from a stack's
 * checkpoint (`pulumi stack export`): one `cen-flowlog:index:Flowlog` per
 * dynamic `CenFlowlog`, with the same name, the recorded inputs and an alias
 * of the dynamic type, so the engine carries each one's state over as it is
 * ("same": no create, no delete, no API call). The package's provider never
 * asks for a replacement when the provider changes (its DiffConfig has no
 * replace key), which is what lets the alias through. Pure: no I/O.
 */
import { SETTINGS } from '../core/settings';

/** A dynamic flow log's type in the checkpoint. */
export const DYNAMIC_TYPE = 'pulumi-nodejs:dynamic/cen-flowlog:CenFlowlog';
/** The package's flow-log resource. */
export const PACKAGE_TYPE = 'cen-flowlog:index:Flowlog';
/** The package's config namespace (`cen-flowlog:region`, …). */
const PACKAGE_CONFIG = 'cen-flowlog';
/** The engine's marker of a secret value in a checkpoint. */
const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
/** Inputs that belong to the dynamic door only: the serialized provider. */
const DYNAMIC_ONLY = new Set(['__provider']);

export class MigrateError extends Error {
  override readonly name = 'MigrateError';
}

export interface MovedFlowlog {
  /** The resource name (the last part of the URN), kept so the alias matches. */
  name: string;
  urn: string;
  id: string;
  /** The inputs to declare: what the stack recorded, without the dynamic provider. */
  args: Record<string, unknown>;
  /** What the program must do by hand, e.g. a secret input the checkpoint holds encrypted. */
  notes: string[];
}

export interface MigrationPlan {
  stack: string;
  flowLogs: MovedFlowlog[];
  /** `pulumi config set` steps for the package's provider, from the stack config the dynamic provider read. */
  configSteps: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSecret = (v: unknown): boolean => isObject(v) && SECRET_SIG_KEY in v;

/** The URN's last part: `urn:pulumi:stack::project::type::name` (a name may itself hold `::`). */
function nameOf(urn: string): string {
  const parts = urn.split('::');
  if (parts.length < 4)
    throw new MigrateError(`Expected a resource URN like urn:pulumi:<stack>::<project>::<type>::<name>, got ${JSON.stringify(urn)}`);
  return parts.slice(3).join('::');
}

/** The type chain of the URN names a parent other than the stack: the declaration belongs inside that component. */
function parentNote(urn: string): string[] {
  const chain = urn.split('::')[2]?.split('$') ?? [];
  const parents = chain.slice(0, -1).filter((t) => t !== 'pulumi:pulumi:Stack');
  return parents.length > 0
    ? [`declared inside the component ${parents.join(' → ')}: put this where the CenFlowlog was (same parent).`]
    : [];
}

function moved(resource: Json, index: number): MovedFlowlog {
  const where = `resources[${index}]`;
  const urn = resource.urn;
  if (typeof urn !== 'string') throw new MigrateError(`Expected ${where}.urn to be a string, got ${JSON.stringify(urn)}`);
  const id = resource.id;
  if (typeof id !== 'string' || id === '')
    throw new MigrateError(`Expected ${where}.id (${urn}) to be the flow-log id, got ${JSON.stringify(id)}`);
  const inputs = resource.inputs;
  if (!isObject(inputs)) throw new MigrateError(`Expected ${where}.inputs (${urn}) to be an object, got ${JSON.stringify(inputs)}`);
  const notes = parentNote(urn);
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (DYNAMIC_ONLY.has(key) || value === null || value === undefined) continue;
    if (isSecret(value)) {
      notes.push(`${key} is a secret in the stack: declare it as your program does (pulumi.secret(...)).`);
      continue;
    }
    args[key] = value;
  }
  // The dynamic resource fills regionId from `alicloud:region`; the package's provider reads `cen-flowlog:region`.
  // Declared explicitly, the region cannot differ, and regionId replaces on change.
  const outputs = isObject(resource.outputs) ? resource.outputs : {};
  if (args.regionId === undefined && typeof outputs.regionId === 'string') args.regionId = outputs.regionId;
  if (typeof args.regionId !== 'string')
    throw new MigrateError(`Expected ${urn} to have a recorded regionId, got ${JSON.stringify(args.regionId)}`);
  return { name: nameOf(urn), urn, id, args, notes };
}

/** Stack config keys the dynamic provider read, as `cen-flowlog:*` settings of the package's default provider. */
function configSteps(resources: Json[], stack: string): string[] {
  const recorded = resources.find(
    (r) => r.type === 'pulumi:providers:pulumi-nodejs' && typeof r.urn === 'string' && /::default(_[\d_]+)?$/.test(r.urn),
  );
  const keys = isObject(recorded?.inputs) ? recorded.inputs : {};
  const steps: string[] = [];
  for (const [name, spec] of Object.entries(SETTINGS)) {
    const oldKey = spec.configKey;
    if (!(oldKey in keys)) continue;
    // The value is read from the stack when the step runs: this plan never holds a credential.
    const secret = spec.secret || isSecret(keys[oldKey]) ? ' --secret' : '';
    steps.push(
      `pulumi config set --stack ${stack}${secret} ${PACKAGE_CONFIG}:${name} -- "$(pulumi config get --stack ${stack} ${oldKey})"`,
    );
  }
  return steps;
}

/** The checkpoint of `pulumi stack export` → the plan; throws MigrateError naming what is wrong. */
export function planMigration(exported: unknown, stack: string): MigrationPlan {
  if (!isObject(exported) || !isObject(exported.deployment))
    throw new MigrateError('Expected the output of `pulumi stack export`: an object with a `deployment`');
  const deployment = exported.deployment;
  const pending = deployment.pending_operations;
  if (Array.isArray(pending) && pending.length > 0)
    throw new MigrateError(
      `Stack ${stack} has ${pending.length} pending operation(s) from an interrupted update: resolve them first (README: "Recovering from an interrupted pulumi up"), then migrate`,
    );
  const resources = deployment.resources ?? [];
  if (!Array.isArray(resources)) throw new MigrateError('Expected deployment.resources to be a list');
  const flowLogs: MovedFlowlog[] = [];
  resources.forEach((r: unknown, i) => {
    if (!isObject(r)) throw new MigrateError(`Expected resources[${i}] to be an object`);
    if (r.type === DYNAMIC_TYPE && r.delete !== true) flowLogs.push(moved(r, i));
  });
  if (flowLogs.length === 0) throw new MigrateError(`Stack ${stack} has no dynamic flow log (${DYNAMIC_TYPE}): nothing to move`);
  return { stack, flowLogs, configSteps: configSteps(resources as Json[], stack) };
}
