import { isLoopback } from '../../src/emulator/admin';
import { startEmulator, EMULATOR_IDS as I, type Emulator } from '../../src/emulator';
import { client, failure, raw, type Call, type RawResponse, type Json } from './helpers';

let emu: Emulator;
let call: Call;
const R = { RegionId: I.region };
const CREATE = { ...R, CenId: I.cenId, TransitRouterAttachmentId: I.vpcAttachmentId };

beforeAll(async () => {
  emu = await startEmulator({ delays: { createMs: 0, modifyMs: 0, deleteMs: 0 } });
  call = client(emu, { timeoutMs: 1000 });
});
afterAll(() => emu.close());
afterEach(() => {
  emu.faults.clear();
  for (const f of emu.flowLogs()) emu.deleteFlowLog(f.FlowLogId);
  emu.resetRequestLog();
});

function admin(method: string, path: string, body?: unknown): Promise<RawResponse> {
  return raw(emu, {
    method,
    path,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('programmatic faults', () => {
  it('failNext fails the next N calls of an action with the given code and status, then recovers', async () => {
    emu.faults.failNext('DescribeFlowlogs', 2, 'ServiceUnavailable', 503, 'try later');
    for (let i = 0; i < 2; i++) {
      const err = await failure(call('DescribeFlowlogs', R));
      expect([err.code, err.statusCode, err.data.Message]).toEqual(['ServiceUnavailable', 503, 'try later']);
    }
    expect((await call('DescribeFlowlogs', R)).Success).toBe('true');
    expect(emu.callCounts().DescribeFlowlogs).toBe(3);
  });

  it("failNext('*') applies to Json action and does not perform it", async () => {
    emu.faults.failNext('*', 1, 'InternalError', 500);
    expect((await failure(call('CreateFlowlog', CREATE))).statusCode).toBe(500);
    expect(emu.flowLogs()).toHaveLength(0);
    expect(emu.requests().map((r) => [r.action, r.statusCode, r.code, r.fault])).toEqual([
      ['CreateFlowlog', 500, 'InternalError', 'failNext'],
    ]);
  });

  it('latency delays an action until cleared', async () => {
    emu.faults.latency('DescribeFlowlogs', 150);
    let start = Date.now();
    await call('DescribeFlowlogs', R);
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
    emu.faults.latency('DescribeFlowlogs', 0);
    start = Date.now();
    await call('DescribeFlowlogs', R);
    expect(Date.now() - start).toBeLessThan(100);
  });

  it('latency past the client timeout surfaces as a timeout', async () => {
    emu.faults.latency('*', 600);
    const err = await failure(client(emu, { timeoutMs: 200 })('DescribeFlowlogs', R));
    expect(`${err.code} ${err.message}`).toMatch(/timeout/i);
  });

  it('resetConnection destroys the socket without performing the action', async () => {
    emu.faults.resetConnection('CreateFlowlog', 1);
    const err = await failure(call('CreateFlowlog', CREATE));
    expect(err.code).toMatch(/ECONNRESET|socket hang up/i);
    expect(emu.flowLogs()).toHaveLength(0);
    expect(emu.callCounts().CreateFlowlog).toBe(1);
    expect((await call('CreateFlowlog', CREATE)).Success).toBe('true');
  });

  it('dropResponse (reset) commits the write, then resets the connection', async () => {
    emu.faults.dropResponse('CreateFlowlog', 1);
    const err = await failure(call('CreateFlowlog', CREATE));
    expect(err.code).toMatch(/ECONNRESET|socket hang up/i);
    expect(emu.flowLogs()).toHaveLength(1);
    expect(emu.requests()[0]).toMatchObject({
      action: 'CreateFlowlog',
      statusCode: 200,
      fault: 'dropResponse:reset',
      flowLogId: emu.flowLogs()[0]!.FlowLogId,
    });
  });

  it('dropResponse (hang) commits the write and never answers: the client times out', async () => {
    emu.faults.dropResponse('DeleteFlowlog', 1, 'hang');
    const { FlowLogId } = await call('CreateFlowlog', CREATE);
    const err = await failure(client(emu, { timeoutMs: 300 })('DeleteFlowlog', { ...R, FlowLogId }));
    expect(`${err.code} ${err.message}`).toMatch(/timeout/i);
    expect(emu.flowLogs()).toHaveLength(0);
  });

  it('stick keeps a flow log Creating past its delay until unstick', async () => {
    const { FlowLogId } = await call('CreateFlowlog', CREATE);
    emu.faults.stick(FlowLogId, 'Creating');
    expect(emu.flowLogs()[0]!.Status).toBe('Creating');
    emu.faults.unstick(FlowLogId);
    expect(emu.flowLogs()[0]!.Status).toBe('Active');
  });

  it('refuses bad fault arguments', () => {
    expect(() => emu.faults.failNext('X', 0, 'C', 500)).toThrow(/count/);
    expect(() => emu.faults.failNext('X', 1, 'C', 200)).toThrow(/statusCode/);
    expect(() => emu.faults.latency('X', -1)).toThrow(/ms/);
    expect(() => emu.faults.dropResponse('X', 1, 'explode' as 'hang')).toThrow(/mode/);
    expect(() => emu.faults.stick('flowlog-nope')).toThrow(/flowlog-nope/);
  });

  it('clear removes every pending fault and releases stuck flow logs', async () => {
    const { FlowLogId } = await call('CreateFlowlog', CREATE);
    emu.faults.stick(FlowLogId, 'Deleting');
    emu.faults.failNext('*', 5, 'InternalError', 500);
    emu.faults.resetConnection('*', 5);
    emu.faults.dropResponse('*', 5);
    emu.faults.latency('*', 1000);
    emu.faults.clear();
    const item = (await call('DescribeFlowlogs', { ...R, FlowLogId })).FlowLogs.FlowLog[0];
    expect(item.Status).toBe('Active');
  });
});

describe('the admin endpoint', () => {
  it('injects every fault over HTTP', async () => {
    expect(
      (await admin('POST', '/__admin/faults', { failNext: { action: 'DescribeFlowlogs', count: 1, code: 'Throttling', statusCode: 400 } }))
        .status,
    ).toBe(200);
    expect((await failure(call('DescribeFlowlogs', R))).code).toBe('Throttling');
    await admin('POST', '/__admin/faults', { resetConnection: { action: 'DescribeFlowlogs', count: 1 } });
    expect((await failure(call('DescribeFlowlogs', R))).code).toMatch(/ECONNRESET|socket hang up/i);
    await admin('POST', '/__admin/faults', { dropResponse: { action: 'CreateFlowlog', count: 1, mode: 'reset' } });
    await failure(call('CreateFlowlog', CREATE));
    const id = emu.flowLogs()[0]!.FlowLogId;
    await admin('POST', '/__admin/faults', { stick: { flowLogId: id, status: 'Modifying' } });
    expect(emu.flowLogs()[0]!.Status).toBe('Modifying');
    await admin('POST', '/__admin/faults', { unstick: { flowLogId: id } });
    expect(emu.flowLogs()[0]!.Status).toBe('Active');
    await admin('POST', '/__admin/faults', { latency: { action: '*', ms: 120 } });
    const start = Date.now();
    await call('DescribeFlowlogs', R);
    expect(Date.now() - start).toBeGreaterThanOrEqual(110);
    expect((await admin('POST', '/__admin/faults', { clear: true })).status).toBe(200);
  });

  it('shows state, requests and counts, and resets the log', async () => {
    await call('CreateFlowlog', CREATE);
    const state = await admin('GET', '/__admin/state');
    expect(state.json.flowLogs).toHaveLength(1);
    expect(state.json.topology.cens[0].cenId).toBe(I.cenId);
    expect(state.json.projects.map((p: Json) => p.name)).toContain(I.foreignProjectName);
    expect((await admin('GET', '/__admin/counts')).json).toEqual({ CreateFlowlog: 1 });
    const requests = (await admin('GET', '/__admin/requests')).json;
    expect(requests[0]).toMatchObject({
      action: 'CreateFlowlog',
      accessKeyId: emu.accessKeyId,
      statusCode: 200,
      params: { CenId: I.cenId },
    });
    expect(requests[0].params.Signature).toBeUndefined();
    await admin('POST', '/__admin/reset-requests');
    expect((await admin('GET', '/__admin/counts')).json).toEqual({});
  });

  it('changes and deletes a flow log out of band (drift)', async () => {
    const { FlowLogId } = await call('CreateFlowlog', CREATE);
    const changed = await admin('POST', `/__admin/flowlogs/${FlowLogId}`, {
      FlowLogName: 'drifted',
      Status: 'Inactive',
      Tags: [{ Key: 'x', Value: 'y' }],
    });
    expect(changed.json).toMatchObject({ FlowLogName: 'drifted', Status: 'Inactive', Tags: { Tag: [{ Key: 'x', Value: 'y' }] } });
    const seen = (await call('DescribeFlowlogs', { ...R, FlowLogId })).FlowLogs.FlowLog[0];
    expect(seen).toMatchObject({ FlowLogName: 'drifted', Status: 'Inactive' });
    expect((await admin('DELETE', `/__admin/flowlogs/${FlowLogId}`)).status).toBe(200);
    expect((await call('DescribeFlowlogs', { ...R, FlowLogId })).TotalCount).toBe('0');
    expect((await admin('DELETE', `/__admin/flowlogs/${FlowLogId}`)).status).toBe(404);
  });

  it('puts system tags on a flow log, which users can neither set nor remove', async () => {
    const { FlowLogId } = await call('CreateFlowlog', { ...CREATE, Tag: [{ Key: 'team', Value: 'net' }] });
    const system = [
      { Key: 'acs:rm:rgId', Value: 'rg-1' },
      { Key: 'aliyun-creator', Value: 'ros' },
    ];
    const put = await admin('PUT', `/__admin/flowlogs/${FlowLogId}/system-tags`, { Tags: system });
    expect(put.status).toBe(200);
    const listed = (await call('DescribeFlowlogs', { ...R, FlowLogId })).FlowLogs.FlowLog[0].Tags.Tag;
    expect(listed).toEqual(expect.arrayContaining([...system, { Key: 'team', Value: 'net' }]));
    expect(listed).toHaveLength(3);
    const tagFlowLog = { ...R, ResourceType: 'Flowlog', ResourceId: [FlowLogId] };
    expect((await failure(call('TagResources', { ...tagFlowLog, Tag: [{ Key: 'acs:rm:rgId', Value: 'x' }] }))).code).toBe(
      'InvalidParameter.TagKey',
    );
    expect((await failure(call('UntagResources', { ...tagFlowLog, TagKey: ['acs:rm:rgId'] }))).code).toBe('InvalidParameter.TagKey');
    expect(emu.flowLogs()[0]!.Tags.Tag).toEqual(listed);
    // Programmatically too; setting them again replaces the system tags only.
    const view = emu.setSystemTags(FlowLogId, [{ Key: 'acs:tag:createdby', Value: 'cen' }]);
    expect(view.Tags.Tag).toEqual([
      { Key: 'team', Value: 'net' },
      { Key: 'acs:tag:createdby', Value: 'cen' },
    ]);
  });

  it.each([
    ['a user tag key', { Tags: [{ Key: 'team', Value: 'net' }] }, 400, /Tags\[0\]\.Key to be a system tag key.*"team"/],
    ['no Tags', {}, 400, /array of \{Key, Value\}/],
  ])('refuses system tags given as %s', async (_what, body, status, message) => {
    const { FlowLogId } = await call('CreateFlowlog', CREATE);
    const res = await admin('PUT', `/__admin/flowlogs/${FlowLogId}/system-tags`, body);
    expect(res.status).toBe(status);
    expect(res.json.Message).toMatch(message);
    expect(emu.flowLogs()[0]!.Tags.Tag).toEqual([]);
    expect(() => emu.setSystemTags(FlowLogId, [{ Key: 'team', Value: 'net' }])).toThrow(/system tag key/);
    expect((await admin('PUT', '/__admin/flowlogs/flowlog-none/system-tags', { Tags: [] })).status).toBe(404);
  });

  it('seeds flow logs directly', async () => {
    const seeded = await admin('POST', '/__admin/seed', { count: 3 });
    expect(seeded.json.flowLogIds).toHaveLength(3);
    expect(emu.flowLogs().map((f) => f.Status)).toEqual(['Active', 'Active', 'Active']);
  });

  it.each([
    ['not JSON', 'POST', '/__admin/faults', '{oops', 400, /not valid JSON/],
    ['a JSON array', 'POST', '/__admin/faults', '[1]', 400, /JSON object/],
    ['an unknown fault', 'POST', '/__admin/faults', { explode: {} }, 400, /Unknown fault "explode"/],
    ['no fault', 'POST', '/__admin/faults', {}, 400, /Name a fault/],
    ['bad fault arguments', 'POST', '/__admin/faults', { failNext: { action: 'X', count: -1, code: 'C', statusCode: 500 } }, 400, /count/],
    ['a bad Status', 'POST', '/__admin/flowlogs/flowlog-x', { Status: 'Gone' }, 404, /flowlog-x/],
    ['an unknown route', 'GET', '/__admin/nothing', undefined, 404, /No admin route/],
  ])('answers %s with a clear error', async (_label, method, path, body, status, message) => {
    const res = await admin(method, path, body);
    expect(res.status).toBe(status);
    expect(res.json.Message).toMatch(message);
    expect((await call('DescribeFlowlogs', R)).Success).toBe('true');
  });

  it('refuses a bad Status on an existing flow log with 400', async () => {
    const { FlowLogId } = await call('CreateFlowlog', CREATE);
    const res = await admin('POST', `/__admin/flowlogs/${FlowLogId}`, { Status: 'Gone' });
    expect(res.status).toBe(400);
    expect(res.json.Message).toMatch(/Active or Inactive/);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.5', false],
    ['::ffff:192.168.1.1', false],
    ['fe80::1', false],
    [undefined, false],
  ])('treats %p as loopback: %p', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});
