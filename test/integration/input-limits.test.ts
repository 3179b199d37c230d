/**
 * No input that passes check() fails at apply: the largest valid input, tags keyed
 * like Object.prototype members, and an empty attachment id, each through the
 * provider and the real @alicloud/openapi-client against the emulator.
 */
import { asEngine, type EngineView } from '../fixtures/engine';
import { DEFAULT_TOPOLOGY, Emulator, startEmulator } from '../../src/emulator';
import { FlowlogProvider } from '../../src/core/provider';
import { diffFlowlog } from '../../src/model/diff';
import { LOG_FIELDS, LOG_FORMAT_PREFIX } from '../../src/model/facts';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

const REGION = 'cn-hangzhou';
const CEN = DEFAULT_TOPOLOGY.cens[0].cenId;
const TR = DEFAULT_TOPOLOGY.transitRouters.find((t) => t.regionId === REGION && t.edition === 'Enterprise')!.transitRouterId;
const VPC = DEFAULT_TOPOLOGY.attachments.find((a) => a.transitRouterId === TR && a.kind === 'VPC')!.attachmentId;

const CJK = '\u6D41';
const EMOJI = '\u{1F600}';
const PROTO_KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
/** Tags as JSON.parse or the engine builds them: every key an own property, `__proto__` included. */
const tagsOf = (...entries: [string, string][]): Record<string, string> => Object.fromEntries(entries);

/** Every documented size at its maximum, written in `char` (a character of 3 or 4 UTF-8 bytes). */
function largest(char: string): Record<string, unknown> {
  const rest = LOG_FIELDS.filter((f) => !LOG_FORMAT_PREFIX.includes(`\${${f}}`));
  return {
    regionId: REGION,
    cenId: CEN,
    transitRouterId: TR,
    transitRouterAttachmentId: VPC,
    projectName: `p${'-0'.repeat(30)}1`,
    logStoreName: `s${'_0'.repeat(30)}1`,
    flowLogName: char.repeat(128),
    description: char.repeat(256),
    logFormatString: LOG_FORMAT_PREFIX + rest.map((f) => `\${${f}}`).join(''),
    tags: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${char.repeat(62)}${String(i).padStart(2, '0')}`, char.repeat(128)])),
  };
}

function providerFor(emu: Emulator): EngineView {
  const provider = asEngine(new FlowlogProvider({ env: { CEN_FLOWLOG_ENDPOINT: emu.endpoint }, log: () => undefined }));
  const config: Record<string, string> = { 'alicloud:accessKey': emu.accessKeyId, 'alicloud:secretKey': emu.accessKeySecret };
  void provider.configure({ config: { get: (k) => config[k] } });
  return provider;
}

const base = {
  regionId: REGION,
  cenId: CEN,
  transitRouterId: TR,
  transitRouterAttachmentId: VPC,
  projectName: 'limits-project',
  logStoreName: 'limits-logstore',
};

describe('inputs at their limits against the emulator', () => {
  let emu: Emulator;
  let provider: EngineView;

  async function checked(raw: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { inputs, failures } = await provider.check({}, { __provider: 'shim', ...raw });
    expect(failures).toEqual([]);
    return { ...inputs, __provider: 'shim' } as Record<string, unknown>;
  }

  beforeEach(async () => {
    emu = await startEmulator({ delays: { createMs: 50, modifyMs: 50, deleteMs: 50 } });
    provider = providerFor(emu);
  });
  afterEach(async () => emu.close());

  it.each([
    ['CJK', CJK],
    ['4-byte emoji', EMOJI],
  ])('accepts and creates the largest valid input in %s', async (_what, char) => {
    const raw = largest(char);
    const inputs = await checked(raw);
    const { id, outs } = await provider.create(inputs);
    expect(outs).toMatchObject({
      flowLogId: id,
      flowLogName: raw.flowLogName,
      description: raw.description,
      logFormatString: raw.logFormatString,
    });
    expect(Object.entries(outs.tags)).toEqual(Object.entries(raw.tags as object).sort(([a], [b]) => (a < b ? -1 : 1)));
    expect(emu.flowLogs()).toHaveLength(1);
    expect(diffFlowlog(outs, inputs).changes).toBe(false);
  });

  it('creates, retags and untags tags keyed like Object.prototype members', async () => {
    const created = await provider.create(
      await checked({ ...base, tags: tagsOf(['team', 'net'], ...PROTO_KEYS.map((k): [string, string] => [k, 'one'])) }),
    );
    expect(Object.keys(created.outs.tags)).toEqual([...PROTO_KEYS, 'team'].sort());

    emu.resetRequestLog();
    const next = await checked({ ...base, tags: tagsOf(['team', 'net'], ['toString', 'two'], ['valueOf', 'one']) });
    const { outs } = await provider.update(created.id, created.outs, next);
    expect(Object.entries(outs!.tags)).toEqual([
      ['team', 'net'],
      ['toString', 'two'],
      ['valueOf', 'one'],
    ]);
    expect(emu.flowLogs()[0].Tags.Tag).toEqual(
      expect.arrayContaining([
        { Key: 'team', Value: 'net' },
        { Key: 'toString', Value: 'two' },
        { Key: 'valueOf', Value: 'one' },
      ]),
    );
    expect(emu.flowLogs()[0].Tags.Tag).toHaveLength(3);
    const writes = emu
      .requests()
      .filter((r) => r.action !== 'DescribeFlowlogs')
      .map((r) => r.action);
    expect(writes.sort()).toEqual(['TagResources', 'UntagResources']);
    expect(diffFlowlog(outs!, next).changes).toBe(false);
  });

  it('creates a flow log on the whole transit router when transitRouterAttachmentId is ""', async () => {
    const inputs = await checked({ ...base, transitRouterAttachmentId: '' });
    const { outs } = await provider.create(inputs);
    expect(Object.hasOwn(outs, 'transitRouterAttachmentId')).toBe(false);
    expect(emu.flowLogs()[0].TransitRouterAttachmentId ?? '').toBe('');
    expect(diffFlowlog(outs, { ...inputs, transitRouterAttachmentId: '' }).changes).toBe(false);
  });
});
