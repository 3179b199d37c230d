/**
 * The CEN flow-log API's wire types, as the client sends and returns them.
 * Imports nothing: the model's mapping and the client both read them.
 */

export interface ApiTag {
  Key: string;
  Value: string;
}

/** One flow log as DescribeFlowlogs returns it, normalised (Interval a number, Tags flat). */
export interface ApiFlowLog {
  FlowLogId: string;
  FlowLogName?: string;
  Description?: string;
  CenId?: string;
  RegionId?: string;
  Status?: string;
  ProjectName?: string;
  LogStoreName?: string;
  Interval?: number;
  LogFormatString?: string;
  FlowLogVersion?: string;
  TransitRouterId?: string;
  TransitRouterAttachmentId?: string;
  CreationTime?: string;
  Tags: ApiTag[];
}

export interface CreateFlowlogRequest {
  RegionId: string;
  CenId: string;
  ClientToken?: string;
  FlowLogName?: string;
  Description?: string;
  ProjectName?: string;
  LogStoreName?: string;
  Interval?: number;
  TransitRouterId?: string;
  TransitRouterAttachmentId?: string;
  LogFormatString?: string;
  Tags?: ApiTag[];
}

export interface DescribeFlowlogsRequest {
  RegionId?: string;
  CenId?: string;
  FlowLogId?: string;
  FlowLogName?: string;
  Description?: string;
  ProjectName?: string;
  LogStoreName?: string;
  TransitRouterId?: string;
  TransitRouterAttachmentId?: string;
  Status?: string;
  Interval?: number;
  FlowLogVersion?: string;
  Tags?: ApiTag[];
  /** @default 1 */
  PageNumber?: number;
  /** @default 20 */
  PageSize?: number;
}

export interface DescribeFlowlogsResponse {
  flowLogs: ApiFlowLog[];
  totalCount: number;
  pageNumber: number;
  pageSize: number;
  requestId: string;
}

/** Identifies one flow log in a write call. Set ClientToken once per logical operation and reuse it on retries. */
export interface FlowLogRef {
  RegionId: string;
  FlowLogId: string;
  CenId?: string;
  ClientToken?: string;
}

/**
 * The account's request bucket as one answer's `x-ratelimit-user` / `x-ratelimit-user-api` headers
 * report it, the binding one of the two (fewer tokens left).
 */
export interface RateLimitState {
  /** The bucket's size (the burst). */
  limit: number;
  /** Whole requests left after this one. */
  remain: number;
  /** Milliseconds until a request would be let through; 0 when one would be now. */
  timeLeftMs: number;
}

/** Per-call options. */
export interface CallOptions {
  /** Connect and read timeout of this one HTTP attempt, capped by the client's own. */
  timeoutMs?: number;
}

export interface CenApi {
  createFlowlog(req: CreateFlowlogRequest, opts?: CallOptions): Promise<{ flowLogId: string; requestId: string }>;
  describeFlowlogs(req: DescribeFlowlogsRequest, opts?: CallOptions): Promise<DescribeFlowlogsResponse>;
  modifyFlowLogAttribute(
    req: FlowLogRef & { FlowLogName?: string; Description?: string; Interval?: number },
    opts?: CallOptions,
  ): Promise<{ requestId: string }>;
  activeFlowLog(req: FlowLogRef, opts?: CallOptions): Promise<{ requestId: string }>;
  deactiveFlowLog(req: FlowLogRef, opts?: CallOptions): Promise<{ requestId: string }>;
  deleteFlowlog(req: FlowLogRef, opts?: CallOptions): Promise<{ requestId: string }>;
  tagResources(req: { RegionId: string; ResourceIds: string[]; Tags: ApiTag[] }, opts?: CallOptions): Promise<{ requestId: string }>;
  untagResources(req: { RegionId: string; ResourceIds: string[]; TagKeys: string[] }, opts?: CallOptions): Promise<{ requestId: string }>;
}
