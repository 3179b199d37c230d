import { startEmulator, EMULATOR_IDS as I, MAX_REQUEST_LINE_BYTES, type Emulator } from '../../src/emulator';
import { payloadHash, v3Signature, v3StringToSign } from '../../src/emulator/signature';
import { client, failure, raw, signedV2Query, type Algorithm, type ClientOptions } from './helpers';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ delays: { createMs: 0, modifyMs: 0, modifyAttributeMs: 0, deleteMs: 0 } });
});
afterAll(() => emu.close());
afterEach(() => {
  for (const f of emu.flowLogs()) emu.deleteFlowLog(f.FlowLogId);
});

const R = { RegionId: I.region };

const WAYS: Array<[string, ClientOptions]> = [];
for (const algorithm of ['v3', 'v2'] as Algorithm[]) {
  WAYS.push([`GET, ${algorithm}`, { algorithm, method: 'GET' }]);
  WAYS.push([`POST with a form body, ${algorithm}`, { algorithm, paramsIn: 'body' }]);
}

describe.each(WAYS)('every action over %s', (_label, opts) => {
  it('runs a whole lifecycle, tags included', async () => {
    const call = client(emu, opts);
    const { FlowLogId } = await call('CreateFlowlog', {
      ...R,
      CenId: I.cenId,
      TransitRouterAttachmentId: I.vpcAttachmentId,
      FlowLogName: "a b+c!'()*~%/é中😀",
      Tag: [{ Key: 'env', Value: 'x y&z=1' }],
    });
    await call('ModifyFlowLogAttribute', { ...R, FlowLogId, Description: 'd&e=f' });
    await call('DeactiveFlowLog', { ...R, FlowLogId });
    await call('ActiveFlowLog', { ...R, FlowLogId });
    await call('TagResources', { ...R, ResourceType: 'Flowlog', ResourceId: [FlowLogId], Tag: [{ Key: 'team', Value: 'net' }] });
    await call('UntagResources', { ...R, ResourceType: 'Flowlog', ResourceId: [FlowLogId], TagKey: ['env'] });
    const tags = await call('ListTagResources', { ...R, ResourceType: 'Flowlog', ResourceId: [FlowLogId] });
    expect(tags.TagResources.TagResource).toEqual([{ ResourceId: FlowLogId, ResourceType: 'Flowlog', TagKey: 'team', TagValue: 'net' }]);
    const item = (await call('DescribeFlowlogs', { ...R, FlowLogId })).FlowLogs.FlowLog[0];
    expect(item).toMatchObject({ FlowLogName: "a b+c!'()*~%/é中😀", Description: 'd&e=f', Status: 'Active' });
    await call('DeleteFlowlog', { ...R, FlowLogId });
    expect(emu.flowLogs()).toEqual([]);
  });

  it('still refuses a wrong secret', async () => {
    const err = await failure(client(emu, { ...opts, accessKeySecret: 'wrong' })('DescribeFlowlogs', R));
    expect(err.code).toBe('SignatureDoesNotMatch');
  });
});

describe('a form body is signed', () => {
  it('v2: a body parameter changed after signing does not verify', async () => {
    const query = signedV2Query(emu, 'DescribeFlowlogs', R);
    // RegionId was signed as a query parameter; moving a different value into the body is tampering.
    const res = await raw(emu, {
      path: `/?${query.replace(/&RegionId=[^&]*/, '')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'RegionId=cn-shanghai',
    });
    expect([res.status, res.json.Code]).toEqual([400, 'SignatureDoesNotMatch']);
  });

  it.each([
    ['the body it was signed with', 'RegionId=cn-hangzhou', 200],
    ['another body', 'RegionId=cn-shanghai', 400],
  ])('v3: a request with %s (%s) answers %d', async (_label, sent, status) => {
    const signedBody = 'RegionId=cn-hangzhou';
    const headers: Record<string, string> = {
      host: emu.host,
      'x-acs-action': 'DescribeFlowlogs',
      'x-acs-version': '2017-09-12',
      'x-acs-date': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'x-acs-signature-nonce': `n-${Math.random()}`,
      'x-acs-content-sha256': payloadHash(signedBody),
      'content-type': 'application/x-www-form-urlencoded',
    };
    const signedHeaders = Object.keys(headers)
      .filter((h) => h.startsWith('x-acs-') || h === 'host' || h === 'content-type')
      .sort();
    const { stringToSign } = v3StringToSign({ method: 'POST', query: {}, headers, signedHeaders, payloadHash: payloadHash(signedBody) });
    headers.authorization = `ACS3-HMAC-SHA256 Credential=${emu.accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${v3Signature(emu.accessKeySecret, stringToSign)}`;
    const res = await raw(emu, { headers, body: sent });
    expect(res.status).toBe(status);
    if (status !== 200) expect(res.json.Code).toBe('SignatureDoesNotMatch');
  });
});

/** The largest input the API allows, every character a 4-byte emoji. */
function maximalCreate(): Record<string, unknown> {
  const emoji = (n: number, first = 0x1f600): string => String.fromCodePoint(first) + '😀'.repeat(n - 1);
  return {
    ...R,
    CenId: I.cenId,
    TransitRouterAttachmentId: I.vpcAttachmentId2,
    ClientToken: `max-${Math.random()}`,
    FlowLogName: emoji(128),
    Description: emoji(256),
    Tag: Array.from({ length: 20 }, (_, i) => ({ Key: emoji(64, 0x1f600 + i + 1), Value: emoji(128) })),
  };
}

describe('request size', () => {
  it.each(['v3', 'v2'] as const)('accepts the largest valid CreateFlowlog with every parameter in the URL (%s)', async (algorithm) => {
    const params = maximalCreate();
    const { FlowLogId } = await client(emu, { algorithm })('CreateFlowlog', params);
    const [item] = emu.flowLogs();
    expect(item).toMatchObject({ FlowLogId, FlowLogName: params.FlowLogName, Description: params.Description });
    expect(item!.Tags.Tag).toEqual(params.Tag as Array<{ Key: string; Value: string }>);
  });

  it('answers a request line over MAX_REQUEST_LINE_BYTES with 414 in the service’s error body', async () => {
    const path = `/?a=${'x'.repeat(MAX_REQUEST_LINE_BYTES)}`;
    const res = await raw(emu, { method: 'GET', path });
    expect(res.status).toBe(414);
    expect(res.json).toEqual({
      RequestId: expect.any(String),
      HostId: 'cbn.aliyuncs.com',
      Code: 'RequestURITooLong',
      Message: expect.stringContaining(String(MAX_REQUEST_LINE_BYTES)),
      Recommend: expect.stringContaining('RequestURITooLong'),
    });
    expect((await client(emu)('DescribeFlowlogs', R)).Success).toBe('true');
  });

  it('answers headers beyond the header limit with 431 in the service’s error body', async () => {
    const res = await raw(emu, { headers: { 'x-big': 'y'.repeat(MAX_REQUEST_LINE_BYTES + 70 * 1024) } });
    expect(res.status).toBe(431);
    expect(res.json).toMatchObject({ HostId: 'cbn.aliyuncs.com', Code: 'RequestHeaderFieldsTooLarge' });
  });
});
