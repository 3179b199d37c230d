import * as pulumi from '@pulumi/pulumi';
import { defaultRegion, readSettings } from '../../src/core/settings';

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe('defaultRegion', () => {
  it.each([
    ['the stack config first', { 'alicloud:region': 'cn-a' }, { ALICLOUD_REGION: 'cn-b', ALIBABA_CLOUD_REGION_ID: 'cn-c' }, 'cn-a'],
    ['then ALICLOUD_REGION', {}, { ALICLOUD_REGION: 'cn-b', ALIBABA_CLOUD_REGION_ID: 'cn-c' }, 'cn-b'],
    ['then ALIBABA_CLOUD_REGION_ID', {}, { ALIBABA_CLOUD_REGION_ID: 'cn-c' }, 'cn-c'],
    ['skipping blank values', { 'alicloud:region': ' ' }, { ALICLOUD_REGION: '', ALIBABA_CLOUD_REGION_ID: ' cn-c ' }, 'cn-c'],
    ['none when nothing is set', {}, {}, undefined],
  ])('takes %s', (_name, values, env, expected) => {
    expect(defaultRegion(config(values), env)).toBe(expected);
    expect(readSettings(config(values), env).region).toBe(expected);
  });
});

describe('CenFlowlog without regionId', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('takes the region the provider would take (ALICLOUD_REGION included)', async () => {
    const registered: Record<string, unknown>[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args.inputs as Record<string, unknown>);
          return { id: 'fl-1', state: args.inputs };
        },
        call: () => ({}),
      },
      'project',
      'stack',
      false,
    );
    delete process.env.ALIBABA_CLOUD_REGION_ID;
    process.env.ALICLOUD_REGION = 'cn-shanghai';
    const { CenFlowlog } = await import('../../src/dynamic/resource');
    const flowlog = new CenFlowlog('fl', { cenId: 'cen-1', transitRouterId: 'tr-1', projectName: 'p', logStoreName: 'l' });
    await new Promise<void>((resolve) => flowlog.urn.apply(() => resolve()));
    expect(registered.map((inputs) => inputs.regionId)).toEqual(['cn-shanghai']);
  });
});
