/** The package schema: derived from the model, committed as schema.json, and what the plugin serves. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildSchema } from '../../src/plugin/schema';
import { INPUT_FIELDS, LOCAL_FIELDS, REPLACE_FIELDS, UPDATE_FIELDS } from '../../src/model/model';
import { SETTINGS } from '../../src/core/settings';

type Prop = { description: string; replaceOnChanges?: boolean; secret?: boolean; defaultInfo?: { environment: string[] } };
const schema = buildSchema() as {
  version: string;
  resources: Record<string, { inputProperties: Record<string, Prop>; properties: Record<string, Prop>; requiredInputs: string[] }>;
  functions: Record<string, { inputs: { properties: Record<string, Prop> }; outputs: { properties: Record<string, Prop> } }>;
  provider: { inputProperties: Record<string, Prop> };
  config: { variables: Record<string, Prop> };
};
const flowlog = schema.resources['cen-flowlog:index:Flowlog']!;

describe('schema.json', () => {
  it('is what the plugin serves (run `npm run schema` after changing the model)', () => {
    const committed: unknown = JSON.parse(readFileSync(path.resolve(__dirname, '../../schema.json'), 'utf8'));
    expect(committed).toEqual(schema);
  });

  it('carries the npm version', () => {
    expect(schema.version).toBe(JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')).version);
  });
});

describe('the Flowlog resource in the schema', () => {
  it('has every input of the model, and nothing else', () => {
    expect(Object.keys(flowlog.inputProperties).sort()).toEqual([...INPUT_FIELDS].sort());
  });

  it.each([...REPLACE_FIELDS])('%s replaces on change, and says so', (field) => {
    expect(flowlog.inputProperties[field]!.replaceOnChanges).toBe(true);
    expect(flowlog.inputProperties[field]!.description).toMatch(/replaces/i);
  });

  it.each([...UPDATE_FIELDS])('%s updates in place, and says so', (field) => {
    expect(flowlog.inputProperties[field]!.replaceOnChanges).toBeUndefined();
    expect(flowlog.inputProperties[field]!.description).toMatch(/updates in place/i);
  });

  it.each([...LOCAL_FIELDS])('%s never updates or replaces', (field) => {
    expect(flowlog.inputProperties[field]!.replaceOnChanges).toBeUndefined();
    expect(flowlog.inputProperties[field]!.description).toMatch(/never/i);
  });

  it('describes each field with its TSDoc: the rule and the default', () => {
    expect(flowlog.inputProperties.interval!.description).toContain('60 or 600');
    expect(flowlog.inputProperties.interval!.description).toContain('Default: 600');
    expect(flowlog.inputProperties.description!.description).toContain('1–256 characters');
    expect(flowlog.properties.flowLogId!.description).toContain('flowlog-');
    for (const p of Object.values(flowlog.properties)) expect(p.description).not.toMatch(/\/\*|\*\/|@default/);
  });

  it('requires the ids and the log destination; the region falls back to the provider', () => {
    expect(flowlog.requiredInputs).toEqual(['cenId', 'transitRouterId', 'projectName', 'logStoreName']);
  });

  it('has getFlowlogs with every filter and result', () => {
    const fn = schema.functions['cen-flowlog:index:getFlowlogs']!;
    expect(Object.keys(fn.inputs.properties)).toEqual(expect.arrayContaining(['regionId', 'cenId', 'ids', 'nameRegex', 'tags']));
    expect(Object.keys(fn.outputs.properties)).toEqual(['ids', 'names', 'flowlogs']);
  });
});

describe('the provider configuration in the schema', () => {
  it.each(Object.entries(SETTINGS))('%s: its environment fallback, and secret when it is a credential', (name, spec) => {
    const p = schema.provider.inputProperties[name]!;
    expect(p.defaultInfo?.environment).toEqual([...spec.env]);
    expect(p.secret ?? false).toBe(spec.secret);
    expect(schema.config.variables[name]).toEqual(p);
  });

  it('marks secretKey and securityToken secret', () => {
    expect(schema.provider.inputProperties.secretKey!.secret).toBe(true);
    expect(schema.provider.inputProperties.securityToken!.secret).toBe(true);
  });
});
