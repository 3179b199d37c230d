/**
 * The typed errors of this package. Callers match `code` and `name`, never
 * message text. Every message says what happened, to which flow log, and
 * what to do about it (the `why` and `fix` come from ERROR_HELP; `cause` is always the underlying error).
 */

/** Why an error usually happens and what a Pulumi user can do about it. */
export interface ErrorHelp {
  why: string;
  fix: string;
}

const RETRIED = "The provider retries this with backoff until the operation's timeout; if it persists,";
const REFRESH = 'Run `pulumi refresh` to re-read the flow log, then `pulumi up` again.';
const CREDS =
  'Set the stack config `alicloud:accessKey` and `alicloud:secretKey` (`pulumi config set --secret`), ' +
  'or the ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variables, or `alicloud:profile`.';

/** Help for every code the CEN flow-log API, its gateway, or the network is known to produce. */
export const ERROR_HELP: Readonly<Record<string, ErrorHelp>> = {
  // The CreateFlowlog error table.
  ProjectOrLogstoreNotExist: {
    why: 'The Simple Log Service project or Logstore does not exist.',
    fix: 'Check `projectName` and `logStoreName`, and that Log Service is activated in this region.',
  },
  SourceProjectNotExist: {
    why: 'The source Log Service project or Logstore does not exist.',
    fix: "Check `projectName` and `logStoreName` and that they are in the flow log's region.",
  },
  'OperationUnsupported.action': {
    why: 'The action is not supported in this region, or the transit router is not Enterprise Edition.',
    fix: 'Use an Enterprise Edition transit router in a region that supports transit-router flow logs.',
  },
  OperationUnsupported: {
    why: 'The operation is not supported for this resource (flow logs need an Enterprise Edition transit router).',
    fix: 'Use an Enterprise Edition transit router in a region that supports flow logs.',
  },
  RuleExist: {
    why: 'An equivalent rule already exists.',
    fix: 'Remove the duplicate configuration, or adopt the existing flow log with the `adopt` input (README "Adoption").',
  },
  'QuotaExceeded.FlowlogCount': {
    why: 'The account has reached its flow-log quota.',
    fix: 'Delete unused flow logs or request a higher quota in the Quota Center, then run `pulumi up` again.',
  },
  'InvalidFlowlogId.exist': {
    why: 'This CEN instance (or transit router) already has a flow log.',
    fix: 'Adopt the existing flow log with the `adopt` input (README "Adoption"), or delete it first.',
  },
  'Flowlog.AlreayExist': {
    why: 'The transit router or attachment already has a flow log; only one is allowed.',
    fix: 'Adopt the existing flow log with the `adopt` input (README "Adoption"), or delete it first.',
  },
  'IllegalParam.TransitRouterAttachmentId': {
    why: 'The attachment ID is not valid for this transit router.',
    fix: 'Check `transitRouterAttachmentId` belongs to `transitRouterId` and the CEN instance.',
  },
  'InvalidTransitRouterAttachmentId.NotFound': {
    why: 'The transit router attachment does not exist.',
    fix: 'Check `transitRouterAttachmentId` and the region; omit it for a flow log on the whole transit router.',
  },
  'IncorrectStatus.flowlog': {
    why: 'The flow log is mid-transition (Creating, Modifying or Deleting); only queries are allowed.',
    fix: `${RETRIED} check the flow log in the console and ${REFRESH.charAt(0).toLowerCase()}${REFRESH.slice(1)}`,
  },
  'InvalidOperation.TransitRouterNotExist': {
    why: 'The transit router does not exist in this region.',
    fix: 'Check `transitRouterId`, `cenId` and `regionId`.',
  },
  'IncorrectStatus.TransitRouterAttachmentId': {
    why: 'The attachment is in an unstable state.',
    fix: 'Wait until the attachment is Attached, then run `pulumi up` again.',
  },
  ProjectExist: {
    why: 'The Log Service project name is taken (project names are unique per region, across accounts).',
    fix: 'Choose another `projectName`.',
  },
  'InvalidParameter.ProjectName': {
    why: 'The project name is invalid or belongs to another region.',
    fix: "Use 3-63 characters of a-z, 0-9 and -, starting and ending with a letter or digit, in the flow log's region.",
  },
  'IncorrectStatus.TrFlowlog': {
    why: "The transit router's flow log is mid-transition; only queries are allowed.",
    fix: `${RETRIED} ${REFRESH.charAt(0).toLowerCase()}${REFRESH.slice(1)}`,
  },
  'OperationInvalid.IncompatibleFlowlogExist': {
    why: 'An incompatible flow-log configuration exists on this transit router.',
    fix: 'Delete the other flow log (or adopt it with `adopt`), then run `pulumi up` again.',
  },
  'InvalidParameter.LogFormatString': {
    why: 'The log format is invalid.',
    fix: 'Set `logFormatString` to `${f1}${f2}...` starting with `${srcaddr}${dstaddr}${bytes}`, or leave it unset for all fields.',
  },
  'InvalidParameter.LogStoreName': {
    why: 'The Logstore name is invalid.',
    fix: 'Use 3-63 characters of a-z, 0-9, _ and -, starting and ending with a letter or digit.',
  },
  'OperationFailed.InvalidLogInfo': {
    why: 'The Log Service information is invalid, or Log Service is not activated.',
    fix: 'Check `projectName` and `logStoreName`, and activate Log Service for the account.',
  },
  'IncorrectStatus.TransitRouterInstance': {
    why: 'The transit router is in an invalid state.',
    fix: 'Wait until the transit router is Active, then run `pulumi up` again.',
  },
  InvalidParameter: {
    why: 'A parameter has an invalid value.',
    fix: 'Check the resource inputs against the rules in the README (names, interval 60 or 600, tags).',
  },
  Unauthorized: {
    why: 'The AccessKey is not authorized for this operation.',
    fix: 'Grant the RAM user the cen:*Flowlog* actions (e.g. AliyunCENFullAccess) or use other credentials.',
  },
  'InvalidParameter.CenId': { why: 'The CEN instance ID is invalid.', fix: 'Check `cenId` (it looks like cen-xxxxxxxx).' },
  'NoPermission.AliyunServiceRoleForTRFlowLog': {
    why: 'The caller may not create the service-linked role AliyunServiceRoleForTRFlowLog.',
    fix: 'Grant ram:CreateServiceLinkedRole, or have an administrator create the role once.',
  },
  // Seen elsewhere for these actions.
  'InvalidFlowlogId.NotFound': { why: 'No flow log with this ID exists (it may have been deleted outside Pulumi).', fix: REFRESH },
  'Operation.Blocking': {
    why: 'Another operation on the same resource is in progress.',
    fix: `${RETRIED} make sure no other tool is changing this transit router.`,
  },
  LOCK_ERROR: {
    why: 'The resource is locked by a concurrent operation.',
    fix: `${RETRIED} make sure no other tool is changing this transit router.`,
  },
  IdempotentParameterMismatch: {
    why: 'A ClientToken was reused with different parameters.',
    fix: 'This is a provider bug or a changed input mid-operation; run `pulumi up` again and report it if it repeats.',
  },
  // Gateway-wide codes.
  Throttling: { why: 'The request rate is over the API limit.', fix: `${RETRIED} lower \`pulumi up --parallel\`.` },
  'Throttling.User': {
    why: "The account's request rate is over its limit.",
    fix: `${RETRIED} lower \`pulumi up --parallel\` or stop other clients using this account.`,
  },
  'Throttling.Api': { why: "The API's request rate is over its limit.", fix: `${RETRIED} lower \`pulumi up --parallel\`.` },
  ServiceUnavailable: { why: 'The service is temporarily unavailable.', fix: `${RETRIED} try again later.` },
  InternalError: {
    why: 'The service had an internal error.',
    fix: `${RETRIED} try again later and quote the request id to Alibaba Cloud support.`,
  },
  SignatureDoesNotMatch: { why: 'The request signature does not match: the AccessKey secret is wrong.', fix: CREDS },
  'InvalidAccessKeyId.NotFound': { why: 'The AccessKey ID does not exist.', fix: CREDS },
  'InvalidAccessKeyId.Inactive': { why: 'The AccessKey is disabled.', fix: CREDS },
  'InvalidSecurityToken.Expired': { why: 'The STS security token has expired.', fix: `Refresh the token. ${CREDS}` },
  'InvalidTimeStamp.Expired': {
    why: 'The request timestamp is outside the 15-minute window.',
    fix: "Synchronise this machine's clock (NTP) and run `pulumi up` again.",
  },
  SignatureNonceUsed: { why: 'The request nonce was already used.', fix: 'Run `pulumi up` again; report it if it repeats.' },
  'InvalidAction.NotFound': {
    why: 'The endpoint does not know this action.',
    fix: 'Check the `endpoint` setting points at the CEN API (cbn.aliyuncs.com).',
  },
  InvalidVersion: {
    why: 'The endpoint does not serve API version 2017-09-12.',
    fix: 'Check the `endpoint` setting points at the CEN API (cbn.aliyuncs.com).',
  },
  MissingParameter: {
    why: 'A required parameter is missing.',
    fix: 'Check that `regionId` and `cenId` are set; report a provider bug if they are.',
  },
  'Forbidden.RAM': {
    why: 'The RAM policy does not allow this action.',
    fix: 'Grant the RAM user the cen:*Flowlog* and cen:TagResources actions.',
  },
  // Raised on our side, before or after the HTTP exchange.
  InvalidCredentials: { why: 'No credentials were configured for the API client.', fix: CREDS },
  CredentialsNotFound: { why: 'No Alibaba Cloud credentials were found.', fix: CREDS },
  InvalidResponse: {
    why: 'The endpoint answered with something that is not a CEN API response.',
    fix: 'Check the `endpoint` setting and any HTTP proxy in between.',
  },
  // Network failures: no HTTP response.
  ECONNRESET: { why: 'The connection was reset before a response arrived.', fix: `${RETRIED} check your network and proxy.` },
  ECONNREFUSED: {
    why: 'The endpoint refused the connection.',
    fix: `${RETRIED} check the \`endpoint\` setting and that the service (or emulator) is running.`,
  },
  ECONNABORTED: { why: 'The connection was aborted.', fix: `${RETRIED} check your network and proxy.` },
  EPIPE: { why: 'The connection closed while the request was being sent.', fix: `${RETRIED} check your network and proxy.` },
  ETIMEDOUT: { why: 'The connection timed out.', fix: `${RETRIED} check your network, or raise the client timeouts.` },
  RequestTimeout: {
    why: 'No response arrived within the client timeout.',
    fix: `${RETRIED} check your network, or raise the client timeouts.`,
  },
  DeadlineExceeded: {
    why: "The operation's timeout ended before the request could be sent (the request budget held it back: the account is being throttled).",
    fix: "Raise the resource's `timeouts`, lower `pulumi up --parallel`, or stop other clients using this AccessKey; nothing was sent, so nothing was changed.",
  },
  ENOTFOUND: { why: 'The endpoint host name does not resolve.', fix: 'Check the `endpoint` setting and DNS.' },
  EAI_AGAIN: { why: 'DNS lookup of the endpoint failed temporarily.', fix: `${RETRIED} check DNS.` },
  EHOSTUNREACH: { why: 'The endpoint host is unreachable.', fix: `${RETRIED} check your network route and proxy.` },
  ENETUNREACH: { why: 'The network is unreachable.', fix: `${RETRIED} check your network connection.` },
};

/** The help for `code`: exact match, then its family (`InvalidParameter.X` → `InvalidParameter`), then by status. */
export function helpFor(code: string, statusCode?: number, network = false): ErrorHelp {
  const exact = Object.hasOwn(ERROR_HELP, code) ? ERROR_HELP[code] : undefined;
  if (exact) return exact;
  const family = code.split('.')[0] ?? code;
  if (family !== code && Object.hasOwn(ERROR_HELP, family)) return ERROR_HELP[family]!;
  if (network) return { why: 'The network failed before a response arrived.', fix: `${RETRIED} check your network and proxy.` };
  if (statusCode !== undefined && statusCode >= 500) return ERROR_HELP.InternalError!;
  if (statusCode === 403) return ERROR_HELP['Forbidden.RAM']!;
  return {
    why: 'The service rejected the request.',
    fix: 'Check the resource inputs; quote the request id if you contact Alibaba Cloud support.',
  };
}

/** What the client knows when a call to the CEN API fails. */
export interface CenApiErrorInit {
  /** The API action, e.g. `CreateFlowlog`. */
  action: string;
  /** The API error code (`Flowlog.AlreayExist`) or the network code (`ECONNRESET`). */
  code: string;
  statusCode?: number;
  requestId?: string;
  /** The service's own message (the `Message` field of the error body). */
  serverMessage?: string;
  /** True when no HTTP response was received (reset, refused, timeout, ...). */
  network?: boolean;
  /** The flow log the call was about, when there is one. */
  flowLogId?: string;
  /** The error thrown by the underlying library (becomes `cause`). */
  originalError?: unknown;
  /** The wait the service named for a throttled call (rate-limit headers' `TimeLeft`), in ms. */
  retryAfterMs?: number;
  /** When retrying gave up: how many attempts were made. */
  attempts?: number;
  /** When retrying gave up: time from the first attempt, in ms. */
  elapsedMs?: number;
  /** When retrying gave up: true when some attempt got no answer (or a 5xx), so a write may have happened. */
  outcomeUnknown?: boolean;
}

/** Any failed CEN API call, whether the service answered with an error or the network failed. */
export class CenApiError extends Error {
  override readonly name = 'CenApiError';
  readonly action: string;
  readonly code: string;
  readonly statusCode?: number;
  readonly requestId?: string;
  readonly serverMessage?: string;
  readonly network: boolean;
  readonly flowLogId?: string;
  /** Why this usually happens (from ERROR_HELP); `cause` is the underlying error, when there is one. */
  readonly why: string;
  /** What the user can do about it (from ERROR_HELP). */
  readonly fix: string;
  /** The wait the service named for a throttled call (rate-limit headers' `TimeLeft`), in ms. */
  readonly retryAfterMs?: number;
  /** Set when retrying gave up: how many attempts were made. */
  readonly attempts?: number;
  /** Set when retrying gave up: time from the first attempt, in ms. */
  readonly elapsedMs?: number;
  /**
   * Set when retrying gave up: true when some attempt got no answer
   * (or a 5xx), so a write may have happened even though this, the last error, says otherwise.
   */
  readonly outcomeUnknown?: boolean;

  constructor(init: CenApiErrorInit) {
    super('', init.originalError === undefined ? undefined : { cause: init.originalError });
    this.action = init.action;
    this.code = init.code;
    this.statusCode = init.statusCode;
    this.requestId = init.requestId;
    this.serverMessage = init.serverMessage;
    this.network = init.network ?? false;
    this.flowLogId = init.flowLogId;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts;
    this.elapsedMs = init.elapsedMs;
    this.outcomeUnknown = init.outcomeUnknown;
    const help = helpFor(init.code, init.statusCode, this.network);
    this.why = help.why;
    this.fix = help.fix;
    this.message = this.describe();
  }

  /** This failure as retrying gives up on it: the same facts and `cause`, and the attempts said in the message. */
  gaveUp(retried: Required<Pick<CenApiErrorInit, 'attempts' | 'elapsedMs' | 'outcomeUnknown'>>): CenApiError {
    const { action, code, statusCode, requestId, serverMessage, network, flowLogId, retryAfterMs, cause } = this;
    return new CenApiError({
      action,
      code,
      statusCode,
      requestId,
      serverMessage,
      network,
      flowLogId,
      retryAfterMs,
      originalError: cause,
      ...retried,
    });
  }

  private describe(): string {
    const subject = this.flowLogId ? `${this.action} of ${this.flowLogId}` : this.action;
    const where = this.network ? ' (network error)' : this.statusCode !== undefined ? ` (HTTP ${this.statusCode})` : '';
    const server = this.serverMessage ? ` ${ensurePeriod(this.serverMessage)}` : '';
    const tries =
      this.attempts && this.attempts > 1 ? ` Gave up after ${this.attempts} attempts over ${formatDuration(this.elapsedMs ?? 0)}.` : '';
    const rid = this.requestId ? ` (request id: ${this.requestId})` : '';
    return `${subject} failed: ${this.code}${where}:${server} ${this.why} ${this.fix}${tries}${rid}`;
  }
}

/** The flow log did not reach the wanted state before the deadline. */
export class FlowlogWaitTimeoutError extends Error {
  override readonly name = 'FlowlogWaitTimeoutError';
  readonly code = 'FlowlogWaitTimeout';
  constructor(
    readonly flowLogId: string,
    /** The last status seen; undefined when it was never found (or never read). */
    readonly lastStatus: string | undefined,
    readonly waitedMs: number,
    readonly wanted: string,
    /** The last polling error, when the last poll failed. */
    readonly lastError?: unknown,
  ) {
    super(
      `Timed out after ${formatDuration(waitedMs)} waiting for flow log ${flowLogId} to become ${wanted}; ` +
        `last status: ${lastStatus ?? 'not found'}` +
        (lastError instanceof Error ? ` (last poll failed: ${lastError.message})` : '') +
        '. The operation may still complete: run `pulumi refresh` to see its state, ' +
        "or raise the resource's timeout inputs and run `pulumi up` again.",
    );
  }
}

/** The flow log is in a status from which the wanted one cannot follow without another call. */
export class FlowlogStatusError extends Error {
  override readonly name = 'FlowlogStatusError';
  readonly code = 'FlowlogUnexpectedStatus';
  constructor(
    readonly flowLogId: string,
    /** The status seen; undefined when the flow log was not found. */
    readonly status: string | undefined,
    readonly wanted: string,
    readonly waitedMs: number,
  ) {
    super(
      `Flow log ${flowLogId} is ${status === undefined ? 'not found (deleted outside Pulumi?)' : status}, ` +
        `so it will not become ${wanted} by itself (checked for ${formatDuration(waitedMs)}). ` +
        'Someone may have changed it outside Pulumi: run `pulumi refresh`, then `pulumi up`.',
    );
  }
}

/** `1.2s`, `42s`, `3m05s`. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${Math.round(ms / 100) / 10}s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

function ensurePeriod(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** The engine records this when a flow log exists but the operation failed: its id, properties and reasons. */
export class FlowlogPartialError extends Error {
  override readonly name = 'FlowlogPartialError';
  readonly code = 'FlowlogPartialFailure';
  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: string[],
    cause: unknown,
  ) {
    super(reasons.join('; '), { cause });
  }
}

/** `adopt` found nothing to take over, or a flow log whose replace-on-change fields differ. */
export class FlowlogAdoptionError extends Error {
  override readonly name = 'FlowlogAdoptionError';
  readonly code = 'FlowlogAdoptionFailed';
}

/** The create was refused because the transit router or attachment already has a flow log. */
export class FlowlogAlreadyExistsError extends Error {
  override readonly name = 'FlowlogAlreadyExistsError';
  readonly code = 'FlowlogAlreadyExists';
  constructor(
    readonly existingId: string | undefined,
    message: string,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

/** The flow log in the stack no longer exists: it was deleted outside Pulumi. */
export class FlowlogGoneError extends Error {
  override readonly name = 'FlowlogGoneError';
  readonly code = 'FlowlogGone';
  constructor(
    readonly flowLogId: string,
    readonly regionId: string,
  ) {
    super(
      `Flow log ${flowLogId} no longer exists in ${regionId}: it was deleted outside Pulumi. ` +
        'Run `pulumi refresh` to drop it from the stack, then `pulumi up` to create it again.',
    );
  }
}

/** `pulumi import` (a read with no recorded state) named a flow-log id that does not exist where the provider looks. */
export class FlowlogNotFoundError extends Error {
  override readonly name = 'FlowlogNotFoundError';
  readonly code = 'FlowlogNotFound';
  constructor(
    readonly flowLogId: string,
    readonly regionId: string | undefined,
  ) {
    super(
      regionId === undefined
        ? `Cannot import flow log ${flowLogId}: no region to look in. Set the provider's \`region\` (\`pulumi config set cen-flowlog:region cn-hangzhou\`, or ALIBABA_CLOUD_REGION_ID).`
        : `Cannot import flow log ${flowLogId}: no flow log with this id exists in ${regionId}. Check the id, and that the provider's \`region\` is the flow log's region. Nothing was added to the stack.`,
    );
  }
}

/** The engine cancelled the operation (Ctrl-C): its waits ended at once. */
export class OperationCancelledError extends Error {
  override readonly name = 'OperationCancelledError';
  readonly code = 'Cancelled';
  constructor() {
    super(
      'The operation was cancelled (Ctrl-C or `pulumi cancel`). Run `pulumi refresh` to see where each flow log got to, then `pulumi up`.',
    );
  }
}

/**
 * DeleteFlowlog was refused because the flow log's Log Service project or Logstore is gone,
 * and the service still lists the flow log: it was not deleted. Retrying cannot help.
 */
export class FlowlogLogDestinationGoneError extends Error {
  override readonly name = 'FlowlogLogDestinationGoneError';
  readonly code = 'FlowlogLogDestinationGone';
  constructor(
    readonly flowLogId: string,
    readonly projectName: string,
    readonly logStoreName: string,
    cause: unknown,
  ) {
    super(
      `Flow log ${flowLogId} cannot be deleted: its Log Service project ${JSON.stringify(projectName)} or Logstore ` +
        `${JSON.stringify(logStoreName)} no longer exists, and the service still lists the flow log. Either recreate ` +
        'that project and Logstore and run `pulumi destroy` (or `pulumi up`) again, or drop the flow log from the stack ' +
        'with `pulumi state delete <urn>` and delete it in the CEN console.',
      { cause },
    );
  }
}

/** One check failure: the field and why (the engine's CheckFailure shape). */
export interface FieldFailure {
  property: string;
  reason: string;
}

/** Bad `getFlowlogs` filter values: one failure per filter, each naming the field, as `check()` reports them. */
export class FlowlogFilterError extends Error {
  override readonly name = 'FlowlogFilterError';
  readonly code = 'InvalidFilter';
  constructor(readonly failures: FieldFailure[]) {
    super(`getFlowlogs: invalid filter${failures.length > 1 ? 's' : ''}: ${failures.map((f) => f.reason).join('; ')}`);
  }
}
