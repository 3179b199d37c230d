/** Errors the emulator answers with: the real status codes, codes and messages. */
import { randomUUID } from 'node:crypto';

/** code → [HTTP status, documented message]. Seed-table messages are verbatim. */
const CATALOG: Record<string, [number, string]> = {
  // Gateway-wide.
  SignatureDoesNotMatch: [400, 'Specified signature is not matched with our calculation.'],
  'InvalidAccessKeyId.NotFound': [404, 'Specified access key is not found.'],
  'InvalidTimeStamp.Expired': [400, 'Specified time stamp or date value is expired.'],
  'InvalidTimeStamp.Format': [400, 'Specified time stamp or date value is not well formatted.'],
  SignatureNonceUsed: [400, 'Specified signature nonce was used already.'],
  'InvalidAction.NotFound': [404, 'Specified api is not found, please check your url and method.'],
  InvalidVersion: [400, 'Specified parameter Version is not valid.'],
  MissingParameter: [400, 'The input parameter that is mandatory for processing this request is not supplied.'],
  'InvalidSecurityToken.MismatchWithAccessKey': [400, 'Specified security token mismatch with access key.'],
  MissingSecurityToken: [400, 'The security token is required for this AccessKey.'],
  IncompleteSignature: [400, 'The request signature does not conform to Aliyun standards.'],
  'Throttling.User': [400, 'Request was denied due to user flow control.'],
  IdempotentParameterMismatch: [400, 'The request uses the same client token as a previous, but non-identical request.'],
  InvalidPath: [404, 'The requested path does not exist; the API is served at GET or POST /.'],
  UnsupportedHTTPMethod: [405, 'This API accepts GET and POST only.'],
  RequestEntityTooLarge: [413, 'The request is too large.'],
  RequestURITooLong: [414, 'The request URI is too long.'],
  RequestHeaderFieldsTooLarge: [431, 'The request headers are too large.'],
  MalformedRequest: [400, 'The request could not be parsed.'],
  InternalError: [500, 'The request processing has failed due to some unknown error.'],
  ServiceUnavailable: [503, 'The request has failed due to a temporary failure of the server.'],
  // CreateFlowlog seed table.
  ProjectOrLogstoreNotExist: [400, 'The specified project or logstore does not exist.'],
  SourceProjectNotExist: [400, 'The specified source project does not exist.'],
  'OperationUnsupported.action': [400, 'This action is not support.'],
  'QuotaExceeded.FlowlogCount': [400, 'This user has reached the maximum instance number of flowlog.'],
  'InvalidFlowlogId.exist': [400, 'This cenId already has flowlog instance existed.'],
  'Flowlog.AlreayExist': [400, 'This attachment already has existed flowlog instance.'],
  'IllegalParam.TransitRouterAttachmentId': [400, 'TransitRouterAttachmentId is illegal.'],
  'InvalidTransitRouterAttachmentId.NotFound': [400, 'The TransitRouterAttachmentId is not found.'],
  'IncorrectStatus.flowlog': [400, 'This action is not allowed in the current flow log status.'],
  'InvalidOperation.TransitRouterNotExist': [400, 'Operation is invalid because the transit router not exist.'],
  ProjectExist: [400, 'Project already exist, please try a different project name.'],
  'InvalidParameter.ProjectName': [400, 'Project name is invalid or does not belong to specified region.'],
  'IncorrectStatus.TrFlowlog': [400, 'Flowlog status for specified TransitRouter is invalid for this operation.'],
  'InvalidParameter.LogFormatString': [400, 'LogFormatString is invalid.'],
  'InvalidParameter.LogStoreName': [400, 'Specified LogStore name is invalid.'],
  InvalidParameter: [400, 'Invalid parameter.'],
  'InvalidParameter.CenId': [400, 'The specified parameter CenId is invalid.'],
  // Other actions.
  'InvalidFlowlogId.NotFound': [400, 'The specified FlowLogId is not found.'],
  'InvalidParameter.FlowLogName': [400, 'The specified FlowLogName is invalid.'],
  'InvalidParameter.Description': [400, 'The specified Description is invalid.'],
  'InvalidParameter.Interval': [400, 'The specified Interval is invalid.'],
  'InvalidParameter.All': [400, 'The specified All is invalid.'],
  'InvalidParameter.PageNumber': [400, 'The specified PageNumber is invalid.'],
  'InvalidParameter.PageSize': [400, 'The specified PageSize is invalid.'],
  'InvalidParameter.NextToken': [400, 'The specified NextToken is invalid.'],
  'InvalidParameter.TagKey': [400, 'The specified tag key is invalid.'],
  'InvalidParameter.TagValue': [400, 'The specified tag value is invalid.'],
  'InvalidParameter.TagNum': [400, 'Too many tags.'],
  'InvalidParameter.ResourceId': [400, 'The specified ResourceId is invalid.'],
  'InvalidResourceType.NotSupported': [400, 'The specified ResourceType is not supported.'],
};

/** An answer with an error status; `detail` is appended to the documented message. */
export class ApiError extends Error {
  readonly code: string;
  readonly statusCode: number;
  /** The action changed state before it answered this error: the change is kept (and saved). */
  committed = false;

  constructor(code: string, detail?: string, statusCode?: number, message?: string) {
    const [status, documented] = CATALOG[code] ?? [statusCode ?? 400, code];
    super(message ?? (detail ? `${documented} ${detail}` : documented));
    this.code = code;
    this.statusCode = statusCode ?? status;
  }
}

export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

/** The real service's error body. */
export function errorBody(err: ApiError, requestId: string): Record<string, string> {
  return {
    RequestId: requestId,
    HostId: 'cbn.aliyuncs.com',
    Code: err.code,
    Message: err.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=Cbn&requestId=${requestId}`,
  };
}

export const missing = (name: string): ApiError =>
  new ApiError(
    'MissingParameter',
    undefined,
    400,
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  );
