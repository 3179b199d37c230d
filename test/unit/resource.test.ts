/**
 * The `CenFlowlog` class as a program sees it, through Pulumi's mocks: every field of the
 * model is an output holding what the engine (here, the mock) reports, while the engine
 * receives only the arguments the program gave.
 */
import * as pulumi from '@pulumi/pulumi';
import { CenFlowlog } from '../../src/dynamic/resource';
import { OUTPUT_FIELDS } from '../../src/model/model';

/** What the mocked service reports for the flow log, beyond the arguments it was given. */
const SERVICE_STATE = {
  flowLogId: 'flowlog-mocked0001',
  status: 'Inactive',
  tags: { 'set-by': 'service' },
  description: 'described by the service',
  flowLogName: 'named-by-service',
  transitRouterAttachmentId: 'tr-attach-mocked0001',
  interval: 600,
  logFormatString: '${srcaddr}${dstaddr}${bytes}',
  creationTime: '2026-01-02T03:04:05Z',
  flowLogVersion: '3',
};

const registered: Array<{ type: string; inputs: Record<string, unknown> }> = [];

const mocked = pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({ type: args.type, inputs: args.inputs });
      return { id: SERVICE_STATE.flowLogId, state: { ...args.inputs, ...SERVICE_STATE } };
    },
    call: () => ({}),
  },
  'project',
  'stack',
  false,
);

const valueOf = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

describe('CenFlowlog outputs', () => {
  const args = {
    regionId: 'cn-hangzhou',
    cenId: 'cen-mocked0001',
    transitRouterId: 'tr-mocked0001',
    projectName: 'mocked-project',
    logStoreName: 'mocked-logstore',
  };
  let flowLog: CenFlowlog;

  beforeAll(async () => {
    await mocked;
    flowLog = new CenFlowlog('minimal', args);
  });

  it.each([...OUTPUT_FIELDS])('has an output %s even when the program did not set it', (field) => {
    expect(pulumi.Output.isInstance(flowLog[field])).toBe(true);
  });

  it.each(Object.entries(SERVICE_STATE))('%s holds the value the service reports', async (field, value) => {
    const output: pulumi.Output<unknown> = flowLog[field as keyof typeof SERVICE_STATE];
    await expect(valueOf(output)).resolves.toEqual(value);
  });

  it('still holds the given arguments', async () => {
    await expect(valueOf(flowLog.cenId)).resolves.toBe(args.cenId);
    await expect(valueOf(flowLog.projectName)).resolves.toBe(args.projectName);
  });

  it('sends the engine only the arguments the program gave (an unset field stays unset for check and diff)', async () => {
    await valueOf(flowLog.flowLogId);
    const mine = registered.find((r) => r.type === 'pulumi-nodejs:dynamic:Resource' || r.type.endsWith(':CenFlowlog'));
    expect(mine).toBeDefined();
    const { __provider, ...inputs } = mine!.inputs;
    expect(typeof __provider).toBe('string');
    expect(inputs).toEqual(args);
  });
});
