import { CenApiError, ERROR_HELP, FlowlogStatusError, FlowlogWaitTimeoutError, formatDuration, helpFor } from '../../src/errors';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

/** The CreateFlowlog page's error table (seed 000), with the documented status codes. */
const SEED_CODES: [string, number][] = [
  ['ProjectOrLogstoreNotExist', 400],
  ['SourceProjectNotExist', 400],
  ['OperationUnsupported.action', 400],
  ['RuleExist', 400],
  ['QuotaExceeded.FlowlogCount', 400],
  ['InvalidFlowlogId.exist', 400],
  ['Flowlog.AlreayExist', 400],
  ['IllegalParam.TransitRouterAttachmentId', 400],
  ['InvalidTransitRouterAttachmentId.NotFound', 400],
  ['IncorrectStatus.flowlog', 400],
  ['InvalidOperation.TransitRouterNotExist', 400],
  ['IncorrectStatus.TransitRouterAttachmentId', 400],
  ['ProjectExist', 400],
  ['InvalidParameter.ProjectName', 400],
  ['IncorrectStatus.TrFlowlog', 400],
  ['OperationInvalid.IncompatibleFlowlogExist', 400],
  ['InvalidParameter.LogFormatString', 400],
  ['InvalidParameter.LogStoreName', 400],
  ['OperationFailed.InvalidLogInfo', 400],
  ['IncorrectStatus.TransitRouterInstance', 400],
  ['InvalidParameter', 400],
  ['Unauthorized', 400],
  ['InvalidParameter.CenId', 400],
  ['NoPermission.AliyunServiceRoleForTRFlowLog', 403],
];

const OTHER_CODES = [
  'InvalidFlowlogId.NotFound',
  'Operation.Blocking',
  'LOCK_ERROR',
  'IdempotentParameterMismatch',
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
  'ServiceUnavailable',
  'InternalError',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId.NotFound',
  'InvalidTimeStamp.Expired',
  'SignatureNonceUsed',
  'InvalidAction.NotFound',
  'MissingParameter',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'RequestTimeout',
  'CredentialsNotFound',
];

describe('ERROR_HELP', () => {
  it.each(SEED_CODES)('has a cause and a fix for the seed code %s', (code) => {
    expect(ERROR_HELP[code]?.why).toBeTruthy();
    expect(ERROR_HELP[code]?.fix).toBeTruthy();
  });

  it.each(OTHER_CODES)('has a cause and a fix for %s', (code) => {
    expect(ERROR_HELP[code]?.why).toBeTruthy();
    expect(ERROR_HELP[code]?.fix).toBeTruthy();
  });

  it('points a duplicate flow log at adoption', () => {
    expect(ERROR_HELP['Flowlog.AlreayExist']!.fix).toContain('`adopt`');
    expect(ERROR_HELP['InvalidFlowlogId.exist']!.fix).toContain('`adopt`');
  });

  it.each(['SignatureDoesNotMatch', 'InvalidAccessKeyId.NotFound', 'CredentialsNotFound'])(
    'tells how to set credentials for %s',
    (code) => {
      expect(ERROR_HELP[code]!.fix).toContain('alicloud:accessKey');
      expect(ERROR_HELP[code]!.fix).toContain('ALIBABA_CLOUD_ACCESS_KEY_ID');
    },
  );

  it('falls back to the code family, then to the status class', () => {
    expect(helpFor('InvalidParameter.Interval', 400)).toBe(ERROR_HELP.InvalidParameter);
    expect(helpFor('SomethingNew', 502)).toBe(ERROR_HELP.InternalError);
    expect(helpFor('SomethingNew', 400).fix).toBeTruthy();
    expect(helpFor('toString', 400)).not.toBe(undefined);
  });
});

describe('CenApiError', () => {
  it('says what failed, the code, the status, the help and the request id', () => {
    const e = new CenApiError({
      action: 'CreateFlowlog',
      code: 'Flowlog.AlreayExist',
      statusCode: 400,
      requestId: 'REQ-42',
      serverMessage: 'This attachment already has existed flowlog instance.',
    });
    expect(e.name).toBe('CenApiError');
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe(
      'CreateFlowlog failed: Flowlog.AlreayExist (HTTP 400): This attachment already has existed flowlog instance. ' +
        `${ERROR_HELP['Flowlog.AlreayExist']!.why} ${ERROR_HELP['Flowlog.AlreayExist']!.fix} (request id: REQ-42)`,
    );
    expect(e).toMatchObject({ action: 'CreateFlowlog', code: 'Flowlog.AlreayExist', statusCode: 400, requestId: 'REQ-42', network: false });
  });

  it('names the flow log and says a network error is one', () => {
    const e = new CenApiError({ action: 'DeleteFlowlog', code: 'ECONNRESET', network: true, flowLogId: 'flowlog-abc' });
    expect(e.message).toMatch(/^DeleteFlowlog of flowlog-abc failed: ECONNRESET \(network error\):/);
    expect(e.network).toBe(true);
  });

  it('adds attempts and time when retrying gave up', () => {
    const e = new CenApiError({ action: 'DescribeFlowlogs', code: 'Throttling.User', statusCode: 400, requestId: 'R' }).gaveUp({
      attempts: 7,
      elapsedMs: 65_000,
      outcomeUnknown: false,
    });
    expect(e.message).toContain('Gave up after 7 attempts over 1m05s.');
    expect(e.message).toMatch(/\(request id: R\)$/);
  });
});

describe('wait errors', () => {
  it('FlowlogWaitTimeoutError names the flow log, last status and time waited', () => {
    const e = new FlowlogWaitTimeoutError('flowlog-abc', 'Creating', 600_000, 'Active');
    expect(e.name).toBe('FlowlogWaitTimeoutError');
    expect(e.message).toContain('flowlog-abc');
    expect(e.message).toContain('last status: Creating');
    expect(e.message).toContain('10m00s');
    expect(e.message).toContain('Active');
  });

  it('FlowlogStatusError names the status that cannot lead to the wanted one', () => {
    const e = new FlowlogStatusError('flowlog-abc', 'Inactive', 'Active', 3500);
    expect(e.name).toBe('FlowlogStatusError');
    expect(e.message).toContain('flowlog-abc is Inactive');
    expect(e.message).toContain('become Active');
  });

  it.each([
    [400, '0.4s'],
    [9_960, '10s'],
    [42_000, '42s'],
    [185_000, '3m05s'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
