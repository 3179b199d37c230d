/**
 * The real @alicloud/openapi-client against the emulator on port 0: wire
 * format, both signature algorithms, error mapping, network faults, and the
 * retry/idempotency/waiting stack on top of it.
 */
import { createServer } from 'node:net';
import { createCenClient } from '../../src/transport/client';
import type { CenApi } from '../../src/transport/types';
import { resolveCredentials } from '../../src/transport/credentials';
import { CenApiError } from '../../src/errors';
import { isRetryable, isThrottling, resilient } from '../../src/pacing/retry';
import { Account } from '../../src/core/session';
import { systemClock } from '../../src/pacing/clock';
import { waitForStatus, type WantedState } from '../../src/waiting/wait';
import { startEmulator, type Emulator } from '../../src/emulator';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

const REGION = 'cn-hangzhou';
const CEN = 'cen-emu00000000000001';
const TR = 'tr-emuhz000000000001';
const VPC_ATTACHMENT = 'tr-attach-emuvpc0000001';
const ATTACHMENTS = [
  'tr-attach-emuvpc0000001',
  'tr-attach-emuvpc0000002',
  'tr-attach-emuvpn0000001',
  'tr-attach-emuvbr0000001',
  'tr-attach-emuecr0000001',
  'tr-attach-emupeer000001',
];

let emu: Emulator;

beforeEach(async () => {
  emu = await startEmulator();
});

afterEach(async () => {
  await emu.close();
});

function client(
  overrides: { secret?: string; signatureAlgorithm?: 'v2' | 'v3'; readTimeoutMs?: number; connectTimeoutMs?: number } = {},
): CenApi {
  return createCenClient({
    endpoint: emu.endpoint,
    credential: resolveCredentials({ accessKey: emu.accessKeyId, secretKey: overrides.secret ?? emu.accessKeySecret }),
    signatureAlgorithm: overrides.signatureAlgorithm,
    readTimeoutMs: overrides.readTimeoutMs,
    connectTimeoutMs: overrides.connectTimeoutMs,
  });
}

/** Waits through the CEN's status loop of an account over `api`, reading every 20 ms. */
const waitFor = (api: CenApi, flowLogId: string, want: WantedState) =>
  waitForStatus({
    loop: new Account(api, systemClock).loop(REGION),
    flowLogId,
    cenId: CEN,
    transitRouterId: TR,
    want,
    deadline: Date.now() + 20_000,
    minGapMs: 20,
    maxGapMs: 200,
  });

/** One flow log on each attachment of the transit router, all created at once; their ids in ATTACHMENTS order. */
const createOnEveryAttachment = (api: CenApi, tokenPrefix: string): Promise<string[]> =>
  Promise.all(
    ATTACHMENTS.map((att, i) =>
      api
        .createFlowlog({
          RegionId: REGION,
          CenId: CEN,
          TransitRouterId: TR,
          TransitRouterAttachmentId: att,
          ClientToken: `${tokenPrefix}-${i}`,
        })
        .then((r) => r.flowLogId),
    ),
  );

async function failure(p: Promise<unknown>): Promise<CenApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CenApiError);
  return err as CenApiError;
}

describe.each(['v3', 'v2'] as const)('with %s signatures', (signatureAlgorithm) => {
  it('runs the whole lifecycle of a flow log', async () => {
    const api = client({ signatureAlgorithm });
    const { flowLogId, requestId } = await api.createFlowlog({
      RegionId: REGION,
      CenId: CEN,
      TransitRouterId: TR,
      TransitRouterAttachmentId: VPC_ATTACHMENT,
      ProjectName: 'emu-flowlog-project',
      LogStoreName: 'emu-flowlog-logstore',
      Interval: 60,
      FlowLogName: 'my-flowlog',
      Description: 'made by a test',
      ClientToken: `token-${signatureAlgorithm}`,
      Tags: [
        { Key: 'env', Value: 'test' },
        { Key: 'empty', Value: '' },
      ],
    });
    expect(flowLogId).toMatch(/^flowlog-/);
    expect(requestId).not.toBe('');

    const active = await waitFor(api, flowLogId, 'Active');
    expect(active).toMatchObject({
      FlowLogId: flowLogId,
      Status: 'Active',
      Interval: 60,
      CenId: CEN,
      RegionId: REGION,
      TransitRouterId: TR,
      TransitRouterAttachmentId: VPC_ATTACHMENT,
      FlowLogName: 'my-flowlog',
    });
    expect(typeof active!.Interval).toBe('number');
    expect(active!.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'env', Value: 'test' },
        { Key: 'empty', Value: '' },
      ]),
    );

    await api.modifyFlowLogAttribute({ RegionId: REGION, CenId: CEN, FlowLogId: flowLogId, Interval: 600, Description: 'changed' });
    await waitFor(api, flowLogId, 'Active'); // ModifyFlowLogAttribute is asynchronous: Modifying, then Active
    await api.deactiveFlowLog({ RegionId: REGION, CenId: CEN, FlowLogId: flowLogId });
    expect(await waitFor(api, flowLogId, 'Inactive')).toMatchObject({ Status: 'Inactive', Interval: 600, Description: 'changed' });
    await api.activeFlowLog({ RegionId: REGION, CenId: CEN, FlowLogId: flowLogId });
    await waitFor(api, flowLogId, 'Active');

    await api.tagResources({ RegionId: REGION, ResourceIds: [flowLogId], Tags: [{ Key: 'team', Value: 'net' }] });
    await api.untagResources({ RegionId: REGION, ResourceIds: [flowLogId], TagKeys: ['env', 'empty'] });
    const { flowLogs, totalCount, pageNumber, pageSize } = await api.describeFlowlogs({ RegionId: REGION, FlowLogId: flowLogId });
    expect([totalCount, pageNumber, pageSize]).toEqual([1, 1, 20]);
    expect(flowLogs[0]!.Tags).toEqual([{ Key: 'team', Value: 'net' }]);

    await api.deleteFlowlog({ RegionId: REGION, CenId: CEN, FlowLogId: flowLogId });
    await expect(waitFor(api, flowLogId, 'Gone')).resolves.toBeUndefined();
  });

  it('maps a service error to a CenApiError with code, status and request id', async () => {
    const api = client({ signatureAlgorithm });
    const req = { RegionId: REGION, CenId: CEN, TransitRouterId: TR, TransitRouterAttachmentId: VPC_ATTACHMENT };
    await api.createFlowlog(req);
    const err = await failure(api.createFlowlog(req));
    expect(['Flowlog.AlreayExist', 'InvalidFlowlogId.exist']).toContain(err.code);
    expect(err).toMatchObject({ action: 'CreateFlowlog', statusCode: 400, network: false });
    expect(err.requestId).toBeTruthy();
    expect(err.message).toContain(`(request id: ${err.requestId})`);
    expect(err.message).toContain('`adopt`');
    expect(isRetryable(err)).toBe(false);
  });

  it('reports a wrong secret as SignatureDoesNotMatch, which is not retried', async () => {
    const err = await failure(client({ signatureAlgorithm, secret: 'wrong' }).describeFlowlogs({ RegionId: REGION }));
    expect(err.code).toBe('SignatureDoesNotMatch');
    expect(err.statusCode).toBe(400);
    expect(isRetryable(err)).toBe(false);
  });
});

describe('the client', () => {
  it('returns an empty list for an unknown id and InvalidFlowlogId.NotFound on a write', async () => {
    const api = client();
    const res = await api.describeFlowlogs({ RegionId: REGION, FlowLogId: 'flowlog-doesnotexist' });
    expect(res.flowLogs).toEqual([]);
    expect(res.totalCount).toBe(0);
    const err = await failure(api.deleteFlowlog({ RegionId: REGION, FlowLogId: 'flowlog-doesnotexist' }));
    expect(err).toMatchObject({ code: 'InvalidFlowlogId.NotFound', flowLogId: 'flowlog-doesnotexist' });
    expect(err.message).toContain('flowlog-doesnotexist');
  });

  it('maps an injected 5xx and throttling to retryable errors', async () => {
    const api = client();
    emu.faults.failNext('DescribeFlowlogs', 1, 'ServiceUnavailable', 503);
    emu.faults.failNext('DescribeFlowlogs', 1, 'Throttling.User', 400);
    const first = await failure(api.describeFlowlogs({ RegionId: REGION }));
    const second = await failure(api.describeFlowlogs({ RegionId: REGION }));
    expect([first.code, first.statusCode, isRetryable(first)]).toEqual(['ServiceUnavailable', 503, true]);
    expect([second.code, isRetryable(second)]).toEqual(['Throttling.User', true]);
  });

  it('maps a reset connection to a network error', async () => {
    emu.faults.resetConnection('DescribeFlowlogs', 1);
    const err = await failure(client().describeFlowlogs({ RegionId: REGION }));
    expect(err.network).toBe(true);
    expect(err.code).toBe('ECONNRESET');
    expect(isRetryable(err)).toBe(true);
  });

  it('maps a response slower than the timeout to a RequestTimeout network error', async () => {
    emu.faults.latency('DescribeFlowlogs', 2000);
    const started = Date.now();
    const err = await failure(client({ readTimeoutMs: 300, connectTimeoutMs: 300 }).describeFlowlogs({ RegionId: REGION }));
    expect(err).toMatchObject({ code: 'RequestTimeout', network: true });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('maps a refused connection to ECONNREFUSED', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const api = createCenClient({
      endpoint: `http://127.0.0.1:${port}`,
      credential: resolveCredentials({ accessKey: 'a', secretKey: 'b' }),
    });
    const err = await failure(api.describeFlowlogs({ RegionId: REGION }));
    expect(err).toMatchObject({ code: 'ECONNREFUSED', network: true });
  });

  it('works with STS credentials', async () => {
    await emu.close();
    emu = await startEmulator({ securityToken: 'sts-token-1' });
    const api = createCenClient({
      endpoint: emu.endpoint,
      credential: resolveCredentials({ accessKey: emu.accessKeyId, secretKey: emu.accessKeySecret, securityToken: 'sts-token-1' }),
    });
    await expect(api.describeFlowlogs({ RegionId: REGION })).resolves.toMatchObject({ totalCount: 0 });
  });

  it('takes credentials from the environment through the default chain', async () => {
    const saved = { id: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID, secret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET };
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = emu.accessKeyId;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = emu.accessKeySecret;
    try {
      const api = createCenClient({ endpoint: emu.endpoint, credential: resolveCredentials({}) });
      await expect(api.describeFlowlogs({ RegionId: REGION })).resolves.toMatchObject({ totalCount: 0 });
    } finally {
      for (const [k, v] of [
        ['ALIBABA_CLOUD_ACCESS_KEY_ID', saved.id],
        ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', saved.secret],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe('retries against the emulator', () => {
  const deadline = () => Date.now() + 20_000;

  it('recovers from throttling, 5xx and resets', async () => {
    const api = resilient(client(), { deadline: deadline(), minDelayMs: 10, maxDelayMs: 50 });
    emu.faults.failNext('DescribeFlowlogs', 1, 'Throttling.User', 400);
    emu.faults.failNext('DescribeFlowlogs', 1, 'InternalError', 500);
    emu.faults.resetConnection('DescribeFlowlogs', 1);
    await expect(api.describeFlowlogs({ RegionId: REGION })).resolves.toMatchObject({ totalCount: 0 });
    expect(emu.callCounts().DescribeFlowlogs).toBe(4);
  });

  it('creates exactly one flow log when the create response is lost, by resending the same ClientToken', async () => {
    const api = resilient(client(), { deadline: deadline(), minDelayMs: 10, maxDelayMs: 50 });
    emu.faults.dropResponse('CreateFlowlog', 1, 'reset');
    const { flowLogId } = await api.createFlowlog({
      RegionId: REGION,
      CenId: CEN,
      TransitRouterId: TR,
      TransitRouterAttachmentId: VPC_ATTACHMENT,
      ClientToken: 'lost-response-token',
    });
    expect(emu.callCounts().CreateFlowlog).toBe(2);
    expect(emu.flowLogs().map((f) => f.FlowLogId)).toEqual([flowLogId]);
    const tokens = emu
      .requests()
      .filter((r) => r.action === 'CreateFlowlog')
      .map((r) => r.params.ClientToken);
    expect(tokens).toEqual(['lost-response-token', 'lost-response-token']);
  });

  it('creates exactly one flow log when the create response hangs past the timeout', async () => {
    const base = client({ readTimeoutMs: 300, connectTimeoutMs: 300 });
    const api = resilient(base, { deadline: deadline(), minDelayMs: 10, maxDelayMs: 50 });
    emu.faults.dropResponse('CreateFlowlog', 1, 'hang');
    const { flowLogId } = await api.createFlowlog({ RegionId: REGION, CenId: CEN, TransitRouterId: TR, ClientToken: 'hang-token' });
    expect(emu.flowLogs().map((f) => f.FlowLogId)).toEqual([flowLogId]);
  });

  it('does not retry a non-retryable error', async () => {
    const api = resilient(client(), { deadline: deadline(), minDelayMs: 10 });
    emu.faults.failNext('DescribeFlowlogs', 1, 'InvalidParameter.CenId', 400);
    await expect(api.describeFlowlogs({ RegionId: REGION, CenId: 'bad' })).rejects.toMatchObject({ code: 'InvalidParameter.CenId' });
    expect(emu.callCounts().DescribeFlowlogs).toBe(1);
  });

  it('waits for many flow logs on one CEN with few Describe calls', async () => {
    const api = client();
    const ids = await createOnEveryAttachment(api, 'many');
    emu.resetRequestLog();
    const loop = new Account(api, systemClock).loop(REGION);
    const results = await Promise.all(
      ids.map((flowLogId) =>
        waitForStatus({
          loop,
          flowLogId,
          cenId: CEN,
          transitRouterId: TR,
          want: 'Active',
          deadline: Date.now() + 20_000,
          minGapMs: 100,
          maxGapMs: 100,
        }),
      ),
    );
    expect(results.map((r) => r?.Status)).toEqual(ids.map(() => 'Active'));
    // Each wait alone would need at least one Describe; coalesced they share them.
    expect(emu.callCounts().DescribeFlowlogs ?? 0).toBeLessThan(ids.length);
  });

  it('reads many flow logs of a CEN through one session with few calls, and a deleted one as gone', async () => {
    const api = client();
    const ids = await createOnEveryAttachment(api, 'read');
    await waitFor(api, ids[0]!, 'Active');
    await api.deleteFlowlog({ RegionId: REGION, CenId: CEN, FlowLogId: ids[0]! });
    await waitFor(api, ids[0]!, 'Gone');
    emu.resetRequestLog();
    const s = new Account(api, systemClock).session(Date.now() + 20_000, () => undefined);
    const seen = await Promise.all(ids.map((id) => s.describe(REGION, CEN, id)));
    expect(seen[0]).toBeUndefined();
    expect(seen.slice(1).map((f) => f?.FlowLogId)).toEqual(ids.slice(1));
    // One scan of the CEN: its one page lists every flow log of the CEN, which proves the deleted one gone
    // without a read by id.
    expect(emu.callCounts().DescribeFlowlogs).toBe(1);
    expect(emu.requests().some((r) => r.action === 'DescribeFlowlogs' && r.params.FlowLogId === ids[0])).toBe(false);
  });
});

describe('the account budget against a rate-limited emulator', () => {
  it('gives a throttled answer the wait named in the rate-limit headers', async () => {
    await emu.close();
    emu = await startEmulator({ ratePerSecond: 2, burst: 1 });
    const api = client();
    await api.describeFlowlogs({ RegionId: REGION });
    const err = await failure(api.describeFlowlogs({ RegionId: REGION }));
    expect(isThrottling(err)).toBe(true);
    expect(err.retryAfterMs).toBeGreaterThan(0);
    expect(err.retryAfterMs).toBeLessThanOrEqual(500);
  });

  it('ends an attempt at the per-call timeout it is given', async () => {
    emu.faults.latency('DescribeFlowlogs', 3000);
    const err = await failure(client().describeFlowlogs({ RegionId: REGION }, { timeoutMs: 200 }));
    expect(err).toMatchObject({ code: 'RequestTimeout', network: true });
  });

  it('gets 40 concurrent reads through an account limited to 10 per second, every one answered', async () => {
    await emu.close();
    emu = await startEmulator({ ratePerSecond: 10, burst: 10 });
    const account = new Account(client(), systemClock);
    const s = account.session(Date.now() + 30_000, () => undefined);
    const results = await Promise.all(Array.from({ length: 40 }, () => s.api.describeFlowlogs({ RegionId: REGION })));
    expect(results).toHaveLength(40);
    const log = emu.requests().filter((r) => r.action === 'DescribeFlowlogs');
    const throttled = log.filter((r) => r.code?.startsWith('Throttling')).length;
    expect(log.length - throttled).toBe(40);
    // The budget starts above the account's limit: one burst is refused, then it backs off instead of storming.
    expect(throttled).toBeLessThanOrEqual(20);
    expect(account.budget.rate).toBeLessThan(20);
  });
});
