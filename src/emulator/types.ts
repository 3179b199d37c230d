/** Public types of the CEN flow-log emulator. */

/** Edition of a transit router; only `Enterprise` supports flow logs. */
export type TransitRouterEdition = 'Enterprise' | 'Basic';

/** Kind of network-instance connection a transit-router attachment represents. */
export type AttachmentKind = 'VPC' | 'VPN' | 'VBR' | 'ECR' | 'TR';

export interface CenInstance {
  cenId: string;
  name?: string;
}

export interface TransitRouter {
  transitRouterId: string;
  cenId: string;
  regionId: string;
  edition: TransitRouterEdition;
}

export interface TransitRouterAttachment {
  attachmentId: string;
  transitRouterId: string;
  /** `TR` is an inter-region connection. */
  kind: AttachmentKind;
}

export interface SlsProject {
  name: string;
  regionId: string;
  /** `other` = owned by another account: creating a flow log into it answers `ProjectExist`. */
  owner: 'self' | 'other';
  logStores: string[];
}

/** The account the emulator serves. */
export interface Topology {
  accountId: string;
  regions: string[];
  cens: CenInstance[];
  transitRouters: TransitRouter[];
  attachments: TransitRouterAttachment[];
  projects: SlsProject[];
  /** Maximum number of flow logs in the account (`QuotaExceeded.FlowlogCount`). */
  quota: number;
}

/** A partial topology; list items are merged into the defaults by id, scalars replace. */
export interface TopologyInput {
  accountId?: string;
  regions?: string[];
  cens?: CenInstance[];
  transitRouters?: TransitRouter[];
  attachments?: TransitRouterAttachment[];
  projects?: SlsProject[];
  quota?: number;
}

export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface EmulatorDelays {
  /** How long a new flow log stays `Creating`. @default 50 (library), 3000 (CLI) */
  createMs?: number;
  /** How long activate/deactivate stays `Modifying`. @default 50 (library), 2000 (CLI) */
  modifyMs?: number;
  /** How long ModifyFlowLogAttribute stays `Modifying`. @default the `modifyMs` in effect */
  modifyAttributeMs?: number;
  /** How long a deleted flow log stays `Deleting`. @default 50 (library), 2000 (CLI) */
  deleteMs?: number;
}

export interface EmulatorOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 'emulator-access-key-id' */
  accessKeyId?: string;
  /** @default 'emulator-access-key-secret' */
  accessKeySecret?: string;
  /** When set, requests signed with the main key must carry this STS token. */
  securityToken?: string;
  /** More AccessKey pairs the emulator accepts (each with its own rate bucket). */
  extraKeys?: AccessKey[];
  delays?: EmulatorDelays;
  /** Per-AccessKey token-bucket rate; 0 disables throttling. @default 100 */
  ratePerSecond?: number;
  /** @default 200 */
  burst?: number;
  /**
   * Persist state here: every change is saved (temporary file, fsync, rename) before it is
   * answered; a change that cannot be saved is undone and answered 503 `ServiceUnavailable`.
   */
  stateFile?: string;
  /** Override of the default topology (partial allowed). */
  topology?: TopologyInput;
  /** Flow-log quota; overrides `topology.quota`. @default 50 */
  quota?: number;
  /** Print one line per request to stderr. @default false */
  logRequests?: boolean;
  /**
   * What a flow log created without LogFormatString reports: `fill` = every field
   * (`DEFAULT_LOG_FORMAT`), `empty` = an empty LogFormatString. The live service's choice is
   * not documented. @default 'fill'
   */
  defaultLogFormat?: DefaultLogFormat;
  /**
   * A DeleteFlowlog of a flow log whose Log Service project or Logstore was removed
   * (`removeLogProject`, `removeLogStore`) answers `SourceProjectNotExist` or
   * `ProjectOrLogstoreNotExist` (400); whether the flow log goes all the same is not documented.
   * `remove`: it is gone at once (DescribeFlowlogs no longer lists it); `keep`: it stays, unchanged.
   * @default 'remove'
   */
  deleteWithoutLogStore?: DeleteWithoutLogStore;
}

export type DefaultLogFormat = 'fill' | 'empty';

/** What DeleteFlowlog does to a flow log whose Log Service project or Logstore was removed. */
export type DeleteWithoutLogStore = 'remove' | 'keep';

export type FlowLogStatus = 'Creating' | 'Active' | 'Modifying' | 'Inactive' | 'Deleting';

export interface ApiTag {
  Key: string;
  Value: string;
}

/** A flow log exactly as DescribeFlowlogs returns it. */
export interface FlowLogView {
  FlowLogId: string;
  FlowLogName?: string;
  Description?: string;
  CenId: string;
  RegionId: string;
  Status: string;
  ProjectName: string;
  LogStoreName: string;
  Interval: number;
  LogFormatString: string;
  FlowLogVersion: string;
  TransitRouterId: string;
  TransitRouterAttachmentId?: string;
  CreationTime: string;
  Tags: { Tag: ApiTag[] };
}

export interface RequestLogEntry {
  time: string;
  action: string;
  accessKeyId: string;
  statusCode: number;
  code?: string;
  flowLogId?: string;
  /** The fault applied to this call, if any: `failNext`, `resetConnection`, `dropResponse:reset|hang`. */
  fault?: string;
  params: Record<string, string>;
}

/** Out-of-band change an admin may make to a stored flow log. */
export interface FlowLogPatch {
  FlowLogName?: string;
  Description?: string;
  Interval?: number;
  Status?: 'Active' | 'Inactive';
  ProjectName?: string;
  LogStoreName?: string;
  LogFormatString?: string;
  Tags?: ApiTag[];
}

export interface FaultControls {
  /** Fail the next `count` calls of `action` ('*' = any) without performing them. */
  failNext(action: string, count: number, code: string, statusCode: number, message?: string): void;
  /** Delay every call of `action` ('*' = any) by `ms`; 0 clears. */
  latency(action: string, ms: number): void;
  /** Destroy the socket of the next `count` calls without answering or performing them. */
  resetConnection(action: string, count: number): void;
  /** Perform the next `count` calls, then reset the socket or never answer. */
  dropResponse(action: string, count: number, mode?: 'reset' | 'hang'): void;
  /** Keep (or put) a flow log in a transitional status until `unstick`. */
  stick(flowLogId: string, status?: string): void;
  unstick(flowLogId: string): void;
  /** Drop every pending fault and latency, and release every stuck flow log. */
  clear(): void;
}

export interface Emulator {
  endpoint: string;
  host: string;
  port: number;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  topology: Topology;
  faults: FaultControls;
  flowLogs(): FlowLogView[];
  requests(): RequestLogEntry[];
  callCounts(): Record<string, number>;
  resetRequestLog(): void;
  /** Make an out-of-band change (drift); throws if the id is unknown. */
  updateFlowLog(flowLogId: string, patch: FlowLogPatch): FlowLogView;
  /**
   * Set the flow log's system tags (keys starting with `aliyun`, `acs:`, `http://` or `https://`)
   * to exactly `tags`, as the platform puts them: past the rules that refuse such keys in
   * TagResources and UntagResources. User tags stay. Throws if the id is unknown or a key is not
   * a system tag's.
   */
  setSystemTags(flowLogId: string, tags: ApiTag[]): FlowLogView;
  /**
   * Remove a Log Service project (with its Logstores) out of band, as deleting it in SLS would;
   * its flow logs stay. Returns false if no project or flow log had that name.
   */
  removeLogProject(projectName: string): boolean;
  /** Remove one Logstore of a project out of band; its flow logs stay. Returns false if unknown. */
  removeLogStore(projectName: string, logStoreName: string): boolean;
  /** Delete out of band; returns false if the id was unknown. */
  deleteFlowLog(flowLogId: string): boolean;
  /** Store `count` Active flow logs directly (no API calls, no quota); returns their ids. */
  seedFlowLogs(count: number): string[];
  close(): Promise<void>;
}
