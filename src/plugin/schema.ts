/**
 * The package schema, derived from the field model: the fields and their
 * types come from tables checked against `FlowlogInputs`, `FlowlogOutputs`,
 * `GetFlowlogsArgs` and the provider settings (a field added there without an
 * entry here fails the type check), the descriptions from their TSDoc, and
 * update-or-replace from REPLACE_FIELDS / UPDATE_FIELDS.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LOCAL_FIELDS, REPLACE_FIELDS, UPDATE_FIELDS } from '../model/model';
import type { FlowlogInputs, FlowlogOutputs, FlowlogTimeouts } from '../model/model';
import type { GetFlowlogsArgs, GetFlowlogsResult } from '../core/lookup';
import { SETTINGS, type SettingSpec } from '../core/settings';
import { memberDocs } from './tsdoc';

export const PACKAGE = 'cen-flowlog';
export const FLOWLOG_TYPE = `${PACKAGE}:index:Flowlog`;
export const GET_FLOWLOGS = `${PACKAGE}:index:getFlowlogs`;
const TIMEOUTS_TYPE = `${PACKAGE}:index:FlowlogTimeouts`;
const FOUND_TYPE = `${PACKAGE}:index:FoundFlowlog`;
const ROOT = path.resolve(__dirname, '../..');

/** The npm version: the plugin's version is the package's. */
export const VERSION: string = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

type TypeSpec =
  | { type: 'string' | 'integer' | 'number' | 'boolean' }
  | { type: 'object'; additionalProperties: TypeSpec }
  | { type: 'array'; items: TypeSpec }
  | { $ref: string }
  | { type: 'string'; oneOf: TypeSpec[] };
interface PropertySpec extends Record<string, unknown> {
  description: string;
}

const STRING = { type: 'string' } as const;
const STRING_MAP = { type: 'object', additionalProperties: STRING } as const;

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

const INPUT_TYPES = {
  regionId: STRING,
  cenId: STRING,
  transitRouterId: STRING,
  transitRouterAttachmentId: STRING,
  projectName: STRING,
  logStoreName: STRING,
  flowLogName: STRING,
  description: STRING,
  interval: { type: 'integer' },
  logFormatString: STRING,
  tags: STRING_MAP,
  status: STRING,
  timeouts: { $ref: `#/types/${TIMEOUTS_TYPE}` },
  // A flow-log id or `true`: the schema's union of string and boolean.
  adopt: { type: 'string', oneOf: [{ type: 'boolean' }, STRING] },
} as const satisfies Record<keyof FlowlogInputs, TypeSpec>;

const COMPUTED_TYPES = {
  flowLogId: STRING,
  creationTime: STRING,
  flowLogVersion: STRING,
} as const satisfies Record<Exclude<keyof FlowlogOutputs, keyof FlowlogInputs>, TypeSpec>;

/** Required inputs: the model's required fields but `regionId`, which falls back to the provider's `region`. */
const REQUIRED_INPUTS = [
  'cenId',
  'transitRouterId',
  'projectName',
  'logStoreName',
] as const satisfies readonly RequiredKeys<FlowlogInputs>[];
// Fails to compile when the model gains a required field that is not listed above.
const requiredListed: Exclude<RequiredKeys<FlowlogInputs>, (typeof REQUIRED_INPUTS)[number] | 'regionId'> extends never ? true : never =
  true;
void requiredListed;

/** Outputs a flow log may lack (the optional fields of FlowlogOutputs); every other output is always set. */
const OPTIONAL_OUTPUTS = [
  'transitRouterAttachmentId',
  'flowLogName',
  'description',
  'timeouts',
  'adopt',
] as const satisfies readonly Exclude<keyof FlowlogOutputs, RequiredKeys<FlowlogOutputs>>[];
// Fails to compile when FlowlogOutputs gains an optional field that is not listed above.
const optionalListed: Exclude<Exclude<keyof FlowlogOutputs, RequiredKeys<FlowlogOutputs>>, (typeof OPTIONAL_OUTPUTS)[number]> extends never
  ? true
  : never = true;
void optionalListed;

const TIMEOUT_TYPES = { create: STRING, update: STRING, delete: STRING } as const satisfies Record<keyof FlowlogTimeouts, TypeSpec>;

const FILTER_TYPES = {
  regionId: STRING,
  cenId: STRING,
  transitRouterId: STRING,
  transitRouterAttachmentId: STRING,
  flowLogId: STRING,
  flowLogName: STRING,
  description: STRING,
  projectName: STRING,
  logStoreName: STRING,
  status: STRING,
  interval: { type: 'integer' },
  flowLogVersion: STRING,
  tags: STRING_MAP,
  ids: { type: 'array', items: STRING },
  nameRegex: STRING,
} as const satisfies Record<keyof GetFlowlogsArgs, TypeSpec>;

const RESULT_TYPES = {
  ids: { type: 'array', items: STRING },
  names: { type: 'array', items: STRING },
  flowlogs: { type: 'array', items: { $ref: `#/types/${FOUND_TYPE}` } },
} as const satisfies Record<keyof GetFlowlogsResult, TypeSpec>;

const withPeriod = (s: string): string => (/[.!?`)]$/.test(s) ? s : `${s}.`);

function describe(docs: Map<string, string>, field: string, where: string): string {
  const doc = docs.get(field);
  if (doc === undefined) throw new Error(`${where}.${field} has no TSDoc: the schema's description comes from it`);
  return withPeriod(doc);
}

/** TSDoc that already says how a change applies. */
const saysEffect = /replaces on change|updates in place|never causes an update/i;

/** How a change of `field` is applied, from the model's lists; said once in each input's description. */
function effect(field: string): string {
  if ((REPLACE_FIELDS as readonly string[]).includes(field)) return 'Changing it replaces the flow log.';
  if ((UPDATE_FIELDS as readonly string[]).includes(field)) return 'Changing it updates the flow log in place.';
  if ((LOCAL_FIELDS as readonly string[]).includes(field)) return 'Changing it never updates or replaces the flow log.';
  return '';
}

const ownDocs = (file: string, name: string): Map<string, string> => memberDocs(path.join(__dirname, '..', file), name);

function properties(types: Record<string, TypeSpec>, docs: Map<string, string>, where: string, extra?: (f: string) => object) {
  return Object.fromEntries(
    Object.entries(types).map(([f, t]) => [f, { ...t, description: describe(docs, f, where), ...extra?.(f) } satisfies PropertySpec]),
  );
}

function settingProperties(): Record<string, PropertySpec> {
  return Object.fromEntries(
    Object.entries(SETTINGS as Record<string, SettingSpec>).map(([name, s]) => [
      name,
      {
        type: s.type,
        description: `${s.description} Falls back to the environment variable${s.env.length > 1 ? 's' : ''} ${s.env.map((e) => `\`${e}\``).join(', then ')}.`,
        ...(s.secret ? { secret: true } : {}),
        defaultInfo: { environment: [...s.env] },
      },
    ]),
  );
}

/** The schema the plugin serves (GetSchema) and `schema.json` holds. */
export function buildSchema(): Record<string, unknown> {
  const inputDocs = ownDocs('model/model', 'FlowlogInputs');
  const outputDocs = ownDocs('model/model', 'FlowlogOutputs');
  const outDoc = new Map([...inputDocs, ...outputDocs]);
  const replace = new Set<string>(REPLACE_FIELDS);
  const inputProperties = properties(INPUT_TYPES, inputDocs, 'FlowlogInputs', (f) => ({
    description: saysEffect.test(describe(inputDocs, f, 'FlowlogInputs'))
      ? describe(inputDocs, f, 'FlowlogInputs')
      : `${describe(inputDocs, f, 'FlowlogInputs')} ${effect(f)}`.trim(),
    ...(replace.has(f) ? { replaceOnChanges: true } : {}),
  }));
  const outputTypes = { ...INPUT_TYPES, ...COMPUTED_TYPES };
  const outputs = properties(outputTypes, outDoc, 'FlowlogOutputs');
  const { timeouts: _t, adopt: _a, ...found } = outputs;
  const alwaysSet = Object.keys(outputTypes).filter((f) => !(OPTIONAL_OUTPUTS as readonly string[]).includes(f));
  const settings = settingProperties();
  return {
    name: PACKAGE,
    displayName: 'CEN flow logs',
    version: VERSION,
    description: 'Alibaba Cloud CEN transit-router flow logs, with a local emulator of the CEN API.',
    keywords: ['pulumi', 'alicloud', 'cen', 'flowlog', 'category/network'],
    license: 'Apache-2.0',
    config: { variables: settings },
    provider: {
      description: 'The cen-flowlog provider: one region and set of credentials, with its own request budget.',
      properties: settings,
      inputProperties: settings,
    },
    types: {
      [TIMEOUTS_TYPE]: {
        type: 'object',
        description: 'Timeouts for create, update and delete (Pulumi `customTimeouts`, when given, take precedence).',
        properties: properties(TIMEOUT_TYPES, ownDocs('model/model', 'FlowlogTimeouts'), 'FlowlogTimeouts'),
      },
      [FOUND_TYPE]: {
        type: 'object',
        description: 'A flow log found by getFlowlogs, with the field names of the Flowlog resource’s outputs.',
        properties: found,
        required: alwaysSet,
      },
    },
    resources: {
      [FLOWLOG_TYPE]: {
        description: 'A flow log of an Alibaba Cloud CEN transit router or one of its attachments.',
        properties: outputs,
        required: alwaysSet,
        inputProperties,
        requiredInputs: [...REQUIRED_INPUTS],
      },
    },
    functions: {
      [GET_FLOWLOGS]: {
        description: 'The flow logs matching every filter given (AND), paged through to the last.',
        inputs: { type: 'object', properties: properties(FILTER_TYPES, ownDocs('core/lookup', 'GetFlowlogsArgs'), 'GetFlowlogsArgs') },
        outputs: {
          type: 'object',
          properties: properties(RESULT_TYPES, ownDocs('core/lookup', 'GetFlowlogsResult'), 'GetFlowlogsResult'),
          required: Object.keys(RESULT_TYPES),
        },
      },
    },
    language: {
      nodejs: {
        packageName: '@cen-flowlog/pulumi',
        packageDescription: 'Alibaba Cloud CEN transit-router flow logs (provider plugin SDK).',
      },
      python: { packageName: 'pulumi_cen_flowlog' },
      go: { importBasePath: 'github.com/cen-flowlog/pulumi-cen-flowlog/sdk/go/cenflowlog' },
      csharp: { rootNamespace: 'CenFlowlog' },
      java: { basePackage: 'com.cenflowlog' },
    },
  };
}
