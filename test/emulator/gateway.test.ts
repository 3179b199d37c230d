import { startEmulator, EMULATOR_IDS as I, type Emulator } from '../../src/emulator';
import { client, failure, raw, signedV2Query, type Json } from './helpers';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

const R = { RegionId: I.region };

function expectErrorBody(body: Json, code: string): void {
  expect(body).toEqual({
    RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
    HostId: 'cbn.aliyuncs.com',
    Code: code,
    Message: expect.any(String),
    Recommend: expect.stringContaining(code),
  });
}

describe.each(['v3', 'v2'] as const)('signed with %s', (algorithm) => {
  it('rejects a wrong secret with SignatureDoesNotMatch (400)', async () => {
    const err = await failure(client(emu, { algorithm, accessKeySecret: 'wrong' })('DescribeFlowlogs', R));
    expect([err.code, err.statusCode]).toEqual(['SignatureDoesNotMatch', 400]);
    expectErrorBody({ ...err.data, statusCode: undefined }, 'SignatureDoesNotMatch');
  });

  it('rejects an unknown AccessKey with InvalidAccessKeyId.NotFound (404)', async () => {
    const err = await failure(client(emu, { algorithm, accessKeyId: 'nobody' })('DescribeFlowlogs', R));
    expect([err.code, err.statusCode]).toEqual(['InvalidAccessKeyId.NotFound', 404]);
  });

  it('rejects an unknown action with InvalidAction.NotFound (404)', async () => {
    const err = await failure(client(emu, { algorithm })('DescribeFlowLogz', R));
    expect([err.code, err.statusCode]).toEqual(['InvalidAction.NotFound', 404]);
  });

  it('rejects a missing required parameter with MissingParameter naming it', async () => {
    const err = await failure(client(emu, { algorithm })('CreateFlowlog', { ...R, TransitRouterId: I.transitRouterId }));
    expect([err.code, err.statusCode]).toEqual(['MissingParameter', 400]);
    expect(err.data.Message).toContain('"CenId"');
  });

  it('signs values with every character the encoders treat differently', async () => {
    const call = client(emu, { algorithm });
    const body = await call('DescribeFlowlogs', { ...R, FlowLogName: "a b+c!'()*~%/é中", Description: '${srcaddr}&x=y' });
    expect(body.TotalCount).toBe('0');
  });
});

describe('raw requests', () => {
  it('rejects another API version with InvalidVersion', async () => {
    const res = await raw(emu, { path: `/?${signedV2Query(emu, 'DescribeFlowlogs', R, { version: '2099-01-01' })}` });
    expect(res.status).toBe(400);
    expectErrorBody(res.json, 'InvalidVersion');
  });

  it('accepts a fresh v2 request and refuses its replay with SignatureNonceUsed', async () => {
    const path = `/?${signedV2Query(emu, 'DescribeFlowlogs', R)}`;
    expect((await raw(emu, { path })).status).toBe(200);
    const replay = await raw(emu, { path });
    expect(replay.status).toBe(400);
    expectErrorBody(replay.json, 'SignatureNonceUsed');
  });

  it.each([
    ['16 minutes old', -16],
    ['16 minutes ahead', 16],
  ])('refuses a timestamp %s with InvalidTimeStamp.Expired', async (_label, minutes) => {
    const timestamp = new Date(Date.now() + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const res = await raw(emu, { path: `/?${signedV2Query(emu, 'DescribeFlowlogs', R, { timestamp })}` });
    expect(res.status).toBe(400);
    expectErrorBody(res.json, 'InvalidTimeStamp.Expired');
  });

  it('accepts a timestamp 14 minutes old', async () => {
    const timestamp = new Date(Date.now() - 14 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect((await raw(emu, { path: `/?${signedV2Query(emu, 'DescribeFlowlogs', R, { timestamp })}` })).status).toBe(200);
  });

  it('refuses a parameter changed after signing', async () => {
    const path = `/?${signedV2Query(emu, 'DescribeFlowlogs', R)}`.replace('cn-hangzhou', 'cn-shanghai');
    expectErrorBody((await raw(emu, { path })).json, 'SignatureDoesNotMatch');
  });

  it('answers an unsigned request with MissingParameter', async () => {
    const res = await raw(emu, { path: '/?Action=DescribeFlowlogs&Version=2017-09-12&RegionId=cn-hangzhou' });
    expect(res.status).toBe(400);
    expectErrorBody(res.json, 'MissingParameter');
  });

  it('answers a request naming no action with MissingParameter', async () => {
    const res = await raw(emu, { path: '/?RegionId=cn-hangzhou' });
    expectErrorBody(res.json, 'MissingParameter');
    expect(res.json.Message).toContain('"Action"');
  });

  it.each([
    ['an unsigned GET /', 'GET', '/', 400, 'MissingParameter'],
    ['PUT /', 'PUT', '/', 405, 'UnsupportedHTTPMethod'],
    ['DELETE /', 'DELETE', '/', 405, 'UnsupportedHTTPMethod'],
    ['a wrong path', 'POST', '/v1/flowlogs', 404, 'InvalidPath'],
    ['a bad percent escape', 'POST', '/?a=%zz', 400, 'MalformedRequest'],
    ['a non-UTF-8 value', 'POST', '/?a=%FF%FE', 400, 'MalformedRequest'],
    ['a repeated parameter', 'POST', '/?a=1&a=2', 400, 'MalformedRequest'],
    ['a 9000-character value', 'POST', `/?a=${'x'.repeat(9000)}`, 400, 'InvalidParameter'],
    ['a 150000-character URL', 'POST', `/?a=${'x'.repeat(150_000)}`, 414, 'RequestURITooLong'],
  ])('answers %s with the right error and keeps serving', async (_label, method, path, status, code) => {
    const res = await raw(emu, { method, path });
    expect(res.status).toBe(status);
    expectErrorBody(res.json, code);
    expect((await client(emu)('DescribeFlowlogs', R)).Success).toBe('true');
  });

  it('answers a body over 1 MB with 413', async () => {
    const res = await raw(emu, { path: '/', body: Buffer.alloc(1024 * 1024 + 10, 'a') });
    expect(res.status).toBe(413);
    expectErrorBody(res.json, 'RequestEntityTooLarge');
  });

  it('answers a malformed Authorization header with IncompleteSignature', async () => {
    const res = await raw(emu, {
      headers: {
        authorization: 'ACS3-HMAC-SHA256 nonsense',
        'x-acs-action': 'DescribeFlowlogs',
        'x-acs-version': '2017-09-12',
        'x-acs-date': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        'x-acs-signature-nonce': 'n1',
      },
    });
    expect(res.status).toBe(400);
    expectErrorBody(res.json, 'IncompleteSignature');
  });

  it('answers broken HTTP with a JSON 400 and keeps serving', async () => {
    const net = await import('node:net');
    const reply = await new Promise<string>((resolve) => {
      const socket = net.connect(emu.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => {
        data += d.toString();
      });
      socket.on('close', () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1.1 400/);
    expect(reply).toContain('"Code":"MalformedRequest"');
    expect((await client(emu)('DescribeFlowlogs', R)).Success).toBe('true');
  });
});

describe('STS tokens', () => {
  let sts: Emulator;
  beforeAll(async () => {
    sts = await startEmulator({
      securityToken: 'emulator-sts-token',
      extraKeys: [{ accessKeyId: 'plain-key', accessKeySecret: 'plain-secret' }],
    });
  });
  afterAll(() => sts.close());

  it.each(['v3', 'v2'] as const)('accepts the right token (%s)', async (algorithm) => {
    expect((await client(sts, { algorithm })('DescribeFlowlogs', R)).Success).toBe('true');
  });

  it.each(['v3', 'v2'] as const)('refuses a wrong token (%s)', async (algorithm) => {
    const err = await failure(client(sts, { algorithm, securityToken: 'stolen' })('DescribeFlowlogs', R));
    expect(err.code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
  });

  it('refuses a missing token for an STS key', async () => {
    const res = await raw(sts, { path: `/?${signedV2Query(sts, 'DescribeFlowlogs', R)}` });
    expectErrorBody(res.json, 'MissingSecurityToken');
  });

  it('accepts an extra key without a token', async () => {
    expect(
      (await client(sts, { accessKeyId: 'plain-key', accessKeySecret: 'plain-secret', securityToken: '' })('DescribeFlowlogs', R)).Success,
    ).toBe('true');
  });
});

describe('throttling', () => {
  let slow: Emulator;
  beforeAll(async () => {
    slow = await startEmulator({ ratePerSecond: 1, burst: 3, extraKeys: [{ accessKeyId: 'k2', accessKeySecret: 's2' }] });
  });
  afterAll(() => slow.close());

  it('answers Throttling.User over the per-AccessKey rate, and not for another key', async () => {
    const call = client(slow);
    for (let i = 0; i < 3; i++) await call('DescribeFlowlogs', R);
    const err = await failure(call('DescribeFlowlogs', R));
    expect([err.code, err.statusCode]).toEqual(['Throttling.User', 400]);
    expect((await client(slow, { accessKeyId: 'k2', accessKeySecret: 's2' })('DescribeFlowlogs', R)).Success).toBe('true');
    expect(slow.callCounts().DescribeFlowlogs).toBe(4);
  });
});
