import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createCenClient, rateLimitState, throttlingTimeLeft, toCenApiError } from '../../src/transport/client';
import type { RateLimitState } from '../../src/transport/types';
import { isLoopback } from '../../src/transport/endpoint';
import { resolveCredentials } from '../../src/transport/credentials';
import { CenApiError } from '../../src/errors';
import { isRetryable, isThrottling } from '../../src/pacing/retry';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

const credential = resolveCredentials({ accessKey: 'id', secretKey: 'secret' });

describe('endpoint', () => {
  it.each([
    'https://cbn.aliyuncs.com',
    'https://cbn.aliyuncs.com/',
    'http://127.0.0.1:8080',
    'http://127.9.9.9',
    'http://localhost:1',
    'http://[::1]:9',
  ])('accepts %s', (endpoint) => {
    expect(() => createCenClient({ endpoint, credential })).not.toThrow();
  });

  it.each(['http://cbn.aliyuncs.com', 'http://10.0.0.1:80', 'http://128.0.0.1', 'http://localhost.example.com'])(
    'refuses plain HTTP to the non-loopback %s',
    (endpoint) => {
      expect(() => createCenClient({ endpoint, credential })).toThrow(/Refusing plain HTTP .*Use https:\/\//);
    },
  );

  it.each([
    'cbn.aliyuncs.com',
    'ftp://cbn.aliyuncs.com',
    'https://cbn.aliyuncs.com/path',
    'https://cbn.aliyuncs.com/?a=1',
    'https://u:p@cbn.aliyuncs.com',
  ])('rejects the malformed endpoint %s', (endpoint) => {
    expect(() => createCenClient({ endpoint, credential })).toThrow(/Expected `endpoint`/);
  });

  it('rejects bad timeouts and signature algorithms', () => {
    expect(() => createCenClient({ endpoint: 'https://x.com', credential, readTimeoutMs: 0 })).toThrow('Expected `readTimeoutMs`');
    expect(() => createCenClient({ endpoint: 'https://x.com', credential, connectTimeoutMs: NaN })).toThrow('Expected `connectTimeoutMs`');
    expect(() => createCenClient({ endpoint: 'https://x.com', credential, signatureAlgorithm: 'v4' as 'v3' })).toThrow(
      'Expected `signatureAlgorithm`',
    );
  });

  it.each([
    ['127.0.0.1', true],
    ['[::1]', true],
    ['LOCALHOST', true],
    ['127.0.0.1.nip.io', false],
    ['::2', false],
  ])('isLoopback(%s) is %s', (h, yes) => {
    expect(isLoopback(h)).toBe(yes);
  });
});

describe('toCenApiError', () => {
  it('maps a service error thrown by the library', () => {
    const lib = Object.assign(new Error('Throttling.User: code: 400, Request was denied request id: R1'), {
      code: 'Throttling.User',
      statusCode: 400,
      data: { Code: 'Throttling.User', Message: 'Request was denied', RequestId: 'R1', statusCode: 400 },
    });
    const e = toCenApiError('DescribeFlowlogs', lib, 'flowlog-1');
    expect(e).toMatchObject({
      action: 'DescribeFlowlogs',
      code: 'Throttling.User',
      statusCode: 400,
      requestId: 'R1',
      serverMessage: 'Request was denied',
      network: false,
      flowLogId: 'flowlog-1',
    });
    expect(e.cause).toBe(lib); // ES2022: the underlying error is the cause
  });

  it.each([
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'ECONNRESET'],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'ECONNREFUSED'],
    [Object.assign(new Error('ReadTimeout(3000)'), { name: 'RequestTimeoutError' }), 'RequestTimeout'],
    [Object.assign(new Error('ConnectTimeout: Connect x failed.'), { name: 'RequestTimeoutError' }), 'RequestTimeout'],
  ])('maps the network failure %p to %s', (lib, code) => {
    const e = toCenApiError('CreateFlowlog', lib);
    expect(e).toMatchObject({ code, network: true });
    expect(isRetryable(e)).toBe(true);
  });

  it('maps a non-JSON response to InvalidResponse, which is not retried', () => {
    const e = toCenApiError('CreateFlowlog', new SyntaxError('Unexpected token <'));
    expect(e.code).toBe('InvalidResponse');
    expect(isRetryable(e)).toBe(false);
  });

  it('keeps the code of a credentials error and names the action', () => {
    const cred = new CenApiError({ action: 'ResolveCredentials', code: 'CredentialsNotFound', serverMessage: 'Tried x' });
    const e = toCenApiError('DeleteFlowlog', cred, 'flowlog-9');
    expect(e).toMatchObject({ action: 'DeleteFlowlog', code: 'CredentialsNotFound', flowLogId: 'flowlog-9' });
    expect(e.message).toContain('alicloud:accessKey');
  });

  it('maps anything else to a non-retryable ClientError', () => {
    const e = toCenApiError('CreateFlowlog', new Error('boom'));
    expect(e.code).toBe('ClientError');
    expect(isRetryable(e)).toBe(false);
  });
});

describe('throttlingTimeLeft', () => {
  it.each<[string, IncomingMessage['headers'], number | undefined]>([
    ['the API-level header', { 'x-ratelimit-user-api': 'Limit:20,Remain:0,TimeLeft:350,Reset:1735689601' }, 350],
    ['the user-level header', { 'x-ratelimit-user': 'Limit:20,Remain:0,TimeLeft:1200,Reset:1735689602' }, 1200],
    ['the larger of the two', { 'x-ratelimit-user-api': 'Limit:5,TimeLeft:350', 'x-ratelimit-user': 'Limit:20,TimeLeft:1200' }, 1200],
    ['the larger of the two, API first', { 'x-ratelimit-user-api': 'TimeLeft:900', 'x-ratelimit-user': 'TimeLeft:100' }, 900],
    ['TimeLeft first in the list', { 'x-ratelimit-user': 'TimeLeft:75,Limit:20' }, 75],
    ['spaces around the separators', { 'x-ratelimit-user': 'Limit: 20, TimeLeft : 75, Reset: 1' }, 75],
    ['a repeated header', { 'x-ratelimit-user': ['Limit:20,Remain:0', 'TimeLeft:500'] as unknown as string }, 500],
    ['TimeLeft 0', { 'x-ratelimit-user': 'Limit:20,Remain:3,TimeLeft:0' }, 0],
    ['no TimeLeft', { 'x-ratelimit-user': 'Limit:20,Remain:3,Reset:1735689601' }, undefined],
    ['a key that only ends in TimeLeft', { 'x-ratelimit-user': 'MyTimeLeft:900' }, undefined],
    ['a TimeLeft that is not a number', { 'x-ratelimit-user': 'TimeLeft:soon' }, undefined],
    ['another rate-limit header', { 'x-ratelimit-other': 'TimeLeft:900' }, undefined],
    ['no headers', {}, undefined],
    ['x-acs-retry-after alone', { 'x-acs-retry-after': '1500' }, 1500],
    ['x-acs-retry-after before a larger TimeLeft', { 'x-acs-retry-after': '300', 'x-ratelimit-user': 'TimeLeft:900' }, 300],
    ['x-acs-retry-after before a smaller TimeLeft', { 'x-acs-retry-after': '900', 'x-ratelimit-user-api': 'TimeLeft:300' }, 900],
    ['x-acs-retry-after with spaces', { 'x-acs-retry-after': ' 250 ' }, 250],
    ['TimeLeft when x-acs-retry-after is 0', { 'x-acs-retry-after': '0', 'x-ratelimit-user': 'TimeLeft:400' }, 400],
    ['TimeLeft when x-acs-retry-after is empty', { 'x-acs-retry-after': '', 'x-ratelimit-user': 'TimeLeft:400' }, 400],
    ['TimeLeft when x-acs-retry-after is negative', { 'x-acs-retry-after': '-5', 'x-ratelimit-user': 'TimeLeft:400' }, 400],
    ['TimeLeft when x-acs-retry-after is not a number', { 'x-acs-retry-after': 'soon', 'x-ratelimit-user': 'TimeLeft:400' }, 400],
    ['TimeLeft when x-acs-retry-after is a fraction', { 'x-acs-retry-after': '1.5', 'x-ratelimit-user': 'TimeLeft:400' }, 400],
    ['no wait when x-acs-retry-after is 0 and nothing else names one', { 'x-acs-retry-after': '0' }, undefined],
    ['no wait when x-acs-retry-after is not a number and nothing else names one', { 'x-acs-retry-after': '3s' }, undefined],
  ])('reads %s', (_name, headers, ms) => {
    expect(throttlingTimeLeft(headers)).toBe(ms);
  });
});

describe('rateLimitState', () => {
  it.each<[string, IncomingMessage['headers'], RateLimitState | undefined]>([
    ['a success', { 'x-ratelimit-user': 'Limit:20,Remain:7,TimeLeft:0,Reset:1735689601' }, { limit: 20, remain: 7, timeLeftMs: 0 }],
    ['an empty bucket', { 'x-ratelimit-user-api': 'Limit:50,Remain:0,TimeLeft:20,Reset:1' }, { limit: 50, remain: 0, timeLeftMs: 20 }],
    [
      'the one with fewer tokens left',
      { 'x-ratelimit-user-api': 'Limit:10,Remain:2,TimeLeft:0', 'x-ratelimit-user': 'Limit:20,Remain:9,TimeLeft:0' },
      { limit: 10, remain: 2, timeLeftMs: 0 },
    ],
    [
      'the longer wait when both are empty',
      { 'x-ratelimit-user-api': 'Limit:10,Remain:0,TimeLeft:30', 'x-ratelimit-user': 'Limit:20,Remain:0,TimeLeft:90' },
      { limit: 20, remain: 0, timeLeftMs: 90 },
    ],
    [
      'fields in any order, with spaces',
      { 'x-ratelimit-user': 'Reset: 1, TimeLeft : 5, Remain:1 , Limit: 4' },
      { limit: 4, remain: 1, timeLeftMs: 5 },
    ],
    [
      'the good one of a good and a malformed',
      { 'x-ratelimit-user-api': 'Limit:x', 'x-ratelimit-user': 'Limit:4,Remain:1,TimeLeft:0' },
      { limit: 4, remain: 1, timeLeftMs: 0 },
    ],
    ['no headers', {}, undefined],
    ['no Remain', { 'x-ratelimit-user': 'Limit:20,TimeLeft:0' }, undefined],
    ['no TimeLeft', { 'x-ratelimit-user': 'Limit:20,Remain:3' }, undefined],
    ['Remain -1', { 'x-ratelimit-user': 'Limit:20,Remain:-1,TimeLeft:0' }, undefined],
    ['Limit 0', { 'x-ratelimit-user': 'Limit:0,Remain:0,TimeLeft:0' }, undefined],
    ['Remain above Limit', { 'x-ratelimit-user': 'Limit:5,Remain:9,TimeLeft:0' }, undefined],
    ['a fraction', { 'x-ratelimit-user': 'Limit:5,Remain:1.5,TimeLeft:0' }, undefined],
    ['a TimeLeft over a minute', { 'x-ratelimit-user': 'Limit:5,Remain:0,TimeLeft:3600000' }, undefined],
    ['a huge number', { 'x-ratelimit-user': 'Limit:99999999999999999999,Remain:0,TimeLeft:0' }, undefined],
    ['a key that only ends in Remain', { 'x-ratelimit-user': 'Limit:5,MyRemain:1,TimeLeft:0' }, undefined],
    ['garbage', { 'x-ratelimit-user': ',,::,' }, undefined],
  ])('reads %s', (_name, headers, state) => {
    expect(rateLimitState(headers)).toEqual(state);
  });
});

describe('against a canned HTTP server', () => {
  let server: Server;
  let endpoint: string;
  let reply: { status: number; body: string; headers?: Record<string, string> | ((action: string) => Record<string, string>) };
  let seen: { url: string; headers: IncomingMessage['headers'] }[];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      req.resume();
      req.on('end', () => {
        const headers = typeof reply.headers === 'function' ? reply.headers(String(req.headers['x-acs-action'])) : reply.headers;
        res.writeHead(reply.status, { 'content-type': 'application/json', ...headers });
        res.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen = [];
  });

  const api = () => createCenClient({ endpoint, credential });
  const query = () => Object.fromEntries(new URL(seen[0]!.url, 'http://x').searchParams);

  it('accepts counters and Interval as strings or numbers, and flattens tags', async () => {
    reply = {
      status: 200,
      body: JSON.stringify({
        RequestId: 'R',
        Success: 'true',
        TotalCount: '2',
        PageNumber: '1',
        PageSize: '20',
        FlowLogs: {
          FlowLog: [
            { FlowLogId: 'f1', Status: 'Active', Interval: '60', Tags: { Tag: [{ Key: 'a', Value: 'b' }] } },
            { FlowLogId: 'f2', Status: 'Inactive', Interval: 600 },
          ],
        },
      }),
    };
    const res = await api().describeFlowlogs({ RegionId: 'cn-hangzhou' });
    expect(res).toEqual({
      totalCount: 2,
      pageNumber: 1,
      pageSize: 20,
      requestId: 'R',
      flowLogs: [
        { FlowLogId: 'f1', Status: 'Active', Interval: 60, Tags: [{ Key: 'a', Value: 'b' }] },
        { FlowLogId: 'f2', Status: 'Inactive', Interval: 600, Tags: [] },
      ],
    });
  });

  it('treats a missing FlowLogs as an empty list', async () => {
    reply = { status: 200, body: JSON.stringify({ RequestId: 'R', Success: true, TotalCount: 0 }) };
    await expect(api().describeFlowlogs({})).resolves.toMatchObject({ flowLogs: [], totalCount: 0, pageNumber: 1, pageSize: 20 });
  });

  it('sends lists flattened 1-based in the query, with ResourceType Flowlog', async () => {
    reply = { status: 200, body: JSON.stringify({ RequestId: 'R' }) };
    await api().tagResources({ RegionId: 'cn-hangzhou', ResourceIds: ['f1', 'f2'], Tags: [{ Key: 'k', Value: '' }] });
    expect(seen[0]!.headers['x-acs-action']).toBe('TagResources');
    expect(seen[0]!.headers['x-acs-version']).toBe('2017-09-12');
    expect(query()).toEqual({
      RegionId: 'cn-hangzhou',
      ResourceType: 'Flowlog',
      'ResourceId.1': 'f1',
      'ResourceId.2': 'f2',
      'Tag.1.Key': 'k',
      'Tag.1.Value': '',
    });
    seen = [];
    await api().untagResources({ RegionId: 'cn-hangzhou', ResourceIds: ['f1'], TagKeys: ['k', 'l'] });
    expect(query()).toEqual({ RegionId: 'cn-hangzhou', ResourceType: 'Flowlog', 'ResourceId.1': 'f1', 'TagKey.1': 'k', 'TagKey.2': 'l' });
  });

  it('sends CreateFlowlog parameters, tags as Tag.N, and omits unset ones', async () => {
    reply = { status: 200, body: JSON.stringify({ RequestId: 'R', Success: 'true', FlowLogId: 'flowlog-new' }) };
    const res = await api().createFlowlog({
      RegionId: 'cn-hangzhou',
      CenId: 'cen-1',
      Interval: 60,
      ClientToken: 't',
      Tags: [{ Key: 'a', Value: 'b' }],
      FlowLogName: undefined,
    });
    expect(res).toEqual({ flowLogId: 'flowlog-new', requestId: 'R' });
    expect(query()).toEqual({
      RegionId: 'cn-hangzhou',
      CenId: 'cen-1',
      Interval: '60',
      ClientToken: 't',
      'Tag.1.Key': 'a',
      'Tag.1.Value': 'b',
    });
  });

  it('signs with HMAC-SHA1 in the query under v2', async () => {
    reply = { status: 200, body: JSON.stringify({ RequestId: 'R' }) };
    await createCenClient({ endpoint, credential, signatureAlgorithm: 'v2' }).deleteFlowlog({ RegionId: 'cn-hangzhou', FlowLogId: 'f1' });
    expect(query()).toMatchObject({
      Action: 'DeleteFlowlog',
      Version: '2017-09-12',
      SignatureMethod: 'HMAC-SHA1',
      AccessKeyId: 'id',
      FlowLogId: 'f1',
    });
  });

  it('refuses a 200 that carries an error Code', async () => {
    reply = { status: 200, body: JSON.stringify({ RequestId: 'R', Success: 'false', Code: 'OperationFailed', Message: 'nope' }) };
    await expect(api().activeFlowLog({ RegionId: 'cn-hangzhou', FlowLogId: 'f1' })).rejects.toMatchObject({
      code: 'OperationFailed',
      statusCode: 200,
      requestId: 'R',
    });
  });

  it('refuses a create answer without a FlowLogId', async () => {
    reply = { status: 200, body: JSON.stringify({ RequestId: 'R', Success: 'true' }) };
    await expect(api().createFlowlog({ RegionId: 'cn-hangzhou', CenId: 'c' })).rejects.toMatchObject({ code: 'InvalidResponse' });
  });

  it('gives a 5xx without a Code a retryable error', async () => {
    reply = { status: 503, body: JSON.stringify({ RequestId: 'R' }) };
    const err = await api()
      .describeFlowlogs({})
      .catch((e: unknown) => e as CenApiError);
    expect(err).toMatchObject({ code: 'Http503', statusCode: 503, requestId: 'R' });
    expect(isRetryable(err)).toBe(true);
  });

  it('maps a non-JSON error body to InvalidResponse', async () => {
    reply = { status: 502, body: '<html>bad gateway</html>' };
    await expect(api().describeFlowlogs({})).rejects.toMatchObject({ code: 'InvalidResponse' });
  });

  it('gives a throttled answer the wait its rate-limit headers name', async () => {
    reply = {
      status: 400,
      body: JSON.stringify({ RequestId: 'R', Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' }),
      headers: {
        'x-ratelimit-user-api': 'Limit:20,Remain:0,TimeLeft:800,Reset:1735689601',
        'x-ratelimit-user': 'Limit:20,Remain:0,TimeLeft:450,Reset:1735689601',
      },
    };
    const err = await api()
      .describeFlowlogs({})
      .catch((e: unknown) => e as CenApiError);
    expect(err).toMatchObject({ code: 'Throttling.User', statusCode: 400, requestId: 'R', retryAfterMs: 800 });
    expect(isThrottling(err)).toBe(true);
  });

  it('gives a throttled answer the wait x-acs-retry-after names, before TimeLeft', async () => {
    reply = {
      status: 400,
      body: JSON.stringify({ RequestId: 'R', Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' }),
      headers: { 'x-acs-retry-after': '1250', 'x-ratelimit-user': 'Limit:20,Remain:0,TimeLeft:450,Reset:1735689601' },
    };
    const err = await api()
      .describeFlowlogs({})
      .catch((e: unknown) => e as CenApiError);
    expect(err).toMatchObject({ code: 'Throttling.User', statusCode: 400, requestId: 'R', retryAfterMs: 1250 });
  });

  it('leaves the wait unset when a throttled answer names none', async () => {
    reply = { status: 400, body: JSON.stringify({ RequestId: 'R', Code: 'Throttling.User', Message: 'denied' }) };
    const err = await api()
      .describeFlowlogs({})
      .then(
        () => undefined,
        (e: unknown) => e as CenApiError,
      );
    expect(err).toMatchObject({ code: 'Throttling.User' });
    expect(err?.retryAfterMs).toBeUndefined();
  });

  it('tells onRateLimit the level of every answer, successes and refusals, and undefined when there is none', async () => {
    const seenStates: unknown[] = [];
    const client = createCenClient({ endpoint, credential, onRateLimit: (state, answer) => seenStates.push([state, answer.throttled]) });
    reply = {
      status: 200,
      body: JSON.stringify({ RequestId: 'R', FlowLogs: { FlowLog: [] }, TotalCount: 0 }),
      headers: { 'x-ratelimit-user': 'Limit:20,Remain:12,TimeLeft:0,Reset:1735689601' },
    };
    await client.describeFlowlogs({});
    reply = {
      status: 400,
      body: JSON.stringify({ RequestId: 'R', Code: 'Throttling.User', Message: 'denied' }),
      headers: { 'x-ratelimit-user': 'Limit:20,Remain:0,TimeLeft:40,Reset:1735689601' },
    };
    await client.describeFlowlogs({}).catch(() => undefined);
    reply = { status: 200, body: JSON.stringify({ RequestId: 'R', FlowLogs: { FlowLog: [] }, TotalCount: 0 }) };
    await client.describeFlowlogs({});
    expect(seenStates).toEqual([
      [{ limit: 20, remain: 12, timeLeftMs: 0 }, false],
      [{ limit: 20, remain: 0, timeLeftMs: 40 }, true],
      [undefined, false],
    ]);
  });

  it('answers the call when onRateLimit throws', async () => {
    const client = createCenClient({
      endpoint,
      credential,
      onRateLimit: () => {
        throw new Error('observer bug');
      },
    });
    reply = {
      status: 200,
      body: JSON.stringify({ RequestId: 'R', FlowLogs: { FlowLog: [] }, TotalCount: 0 }),
      headers: { 'x-ratelimit-user': 'Limit:20,Remain:12,TimeLeft:0' },
    };
    await expect(client.describeFlowlogs({})).resolves.toMatchObject({ requestId: 'R' });
  });

  it('reads the headers of its own answer only, when calls overlap', async () => {
    const client = api();
    reply = {
      status: 400,
      body: JSON.stringify({ RequestId: 'R', Code: 'Throttling.User', Message: 'denied' }),
      headers: (action) => ({ 'x-ratelimit-user': `TimeLeft:${action === 'DescribeFlowlogs' ? 300 : 900}` }),
    };
    const failed = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => e as CenApiError,
      );
    const errs = await Promise.all([failed(client.describeFlowlogs({})), failed(client.deleteFlowlog({ RegionId: 'r', FlowLogId: 'f' }))]);
    expect(errs.map((e) => [e?.action, e?.retryAfterMs])).toEqual([
      ['DescribeFlowlogs', 300],
      ['DeleteFlowlog', 900],
    ]);
  });
});
