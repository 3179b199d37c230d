/**
 * The getFlowlogs filters: validation (the same field-naming reasons as
 * `check()`), the DescribeFlowlogs request they become, paging through every
 * match, and the result in the resource's output field names. No settings,
 * no Pulumi: the API is injected (see get-flowlogs.ts for the data source).
 */
import { describeAll } from '../waiting/pages';
import { FlowlogFilterError } from '../errors';
import { checkInputs, type CheckFailure } from '../model/check';
import type { ApiFlowLog, CenApi, DescribeFlowlogsRequest } from '../transport/types';
import { tagsToApi, toOutputs } from './mapping';
import { withoutUnset } from '../model/records';
import type { FlowlogInputs, FlowlogOutputs, FlowlogStatus, ListsAll, NormalizedInputs } from '../model/model';

/** Filters of {@link getFlowlogs}. Every one is optional; together they narrow the result (AND). */
export interface GetFlowlogsArgs {
  /** Region of the flow logs. @default the stack config `alicloud:region`, then `ALIBABA_CLOUD_REGION_ID`; none: every region */
  regionId?: string;
  /** CEN instance id (`cen-…`). */
  cenId?: string;
  /** Transit router id (`tr-…`): its own flow log and those of its attachments. */
  transitRouterId?: string;
  /** Attachment id (`tr-attach-…`). */
  transitRouterAttachmentId?: string;
  /** One flow-log id (`flowlog-…`). */
  flowLogId?: string;
  /** Exact flow-log name. */
  flowLogName?: string;
  /** Exact description. */
  description?: string;
  /** SLS project name. */
  projectName?: string;
  /** SLS Logstore name. */
  logStoreName?: string;
  /** `"Active"` or `"Inactive"`. */
  status?: FlowlogStatus;
  /** 60 or 600 (seconds). */
  interval?: number;
  /** The flow log's version as the service reports it (e.g. `"3"`). */
  flowLogVersion?: string;
  /** Flow logs carrying every one of these tags (an empty value matches any value of that key). At most 20. */
  tags?: Record<string, string>;
  /** Only these flow-log ids. */
  ids?: string[];
  /** Only flow logs whose name matches this JavaScript regular expression. */
  nameRegex?: string;
}

/** A flow log found: the resource's output fields. `status` may also be a transitional one. */
export type FoundFlowlog = Omit<FlowlogOutputs, 'timeouts' | 'adopt' | 'status'> & {
  status: FlowlogStatus | 'Creating' | 'Modifying' | 'Deleting';
};

export interface GetFlowlogsResult {
  /** The ids of the flow logs found, in the service's order. */
  ids: string[];
  /** Their names in the same order (`""` for a flow log without a name). */
  names: string[];
  /** Every flow log found, with the same field names as `CenFlowlog`'s outputs. */
  flowlogs: FoundFlowlog[];
}

/** The filters that share their rule with a resource argument; check() states it. */
const CHECKED = [
  'regionId',
  'cenId',
  'transitRouterId',
  'transitRouterAttachmentId',
  'flowLogName',
  'description',
  'projectName',
  'logStoreName',
  'status',
  'interval',
  'tags',
] as const satisfies readonly (keyof FlowlogInputs & keyof GetFlowlogsArgs)[];
const OWN = ['flowLogId', 'flowLogVersion', 'ids', 'nameRegex'] as const satisfies readonly (keyof GetFlowlogsArgs)[];
/** Every filter is either checked as the resource's argument or by its own rule. */
const _complete: ListsAll<keyof GetFlowlogsArgs, (typeof CHECKED)[number] | (typeof OWN)[number]> = true;
const KNOWN = new Set<string>([...CHECKED, ...OWN]);

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);
const isSet = (v: unknown): boolean => v !== undefined && v !== null;
const isToken = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '' && !/\s/.test(v);

function ownFailures(args: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string): void => {
    failures.push({ property, reason: `${property} ${reason}` });
  };
  if (isSet(args.flowLogId) && !isToken(args.flowLogId))
    fail('flowLogId', `must be a flow-log id without spaces (e.g. "flowlog-m5evbtbpt****"), got ${show(args.flowLogId)}`);
  if (isSet(args.flowLogVersion) && !isToken(args.flowLogVersion))
    fail('flowLogVersion', `must be a version string like "3", got ${show(args.flowLogVersion)}`);
  if (isSet(args.ids) && !(Array.isArray(args.ids) && args.ids.every(isToken)))
    fail('ids', `must be a list of flow-log ids without spaces, got ${show(args.ids)}`);
  if (isSet(args.nameRegex)) {
    if (typeof args.nameRegex !== 'string') fail('nameRegex', `must be a regular expression as a string, got ${show(args.nameRegex)}`);
    else {
      try {
        new RegExp(args.nameRegex);
      } catch (err) {
        fail('nameRegex', `is not a valid regular expression (${(err as Error).message}), got ${show(args.nameRegex)}`);
      }
    }
  }
  return failures;
}

/**
 * Validates the filters with check()'s rules for the fields they share with the
 * resource, and their own rules for the rest; throws FlowlogFilterError. Returns
 * the filters normalised (interval as a number, unset values dropped).
 */
export function checkFilters(args: unknown): GetFlowlogsArgs {
  if (isSet(args) && (typeof args !== 'object' || Array.isArray(args))) {
    throw new FlowlogFilterError([{ property: 'args', reason: `getFlowlogs expects an object of filters, got ${show(args)}` }]);
  }
  const given = withoutUnset({ ...(args as Record<string, unknown> | undefined) });
  const failures: CheckFailure[] = Object.keys(given)
    .filter((k) => !KNOWN.has(k))
    .map((k) => ({ property: k, reason: `${k} is not a getFlowlogs filter (known: ${[...KNOWN].join(', ')})` }));
  const shared = Object.fromEntries(CHECKED.filter((k) => k in given).map((k) => [k, given[k]]));
  const checked = checkInputs(shared);
  // checkInputs also reports the resource's required fields; only the filters given count here.
  failures.push(...checked.failures.filter((f) => f.property in shared), ...ownFailures(given));
  if (failures.length > 0) throw new FlowlogFilterError(failures);
  const normalised: Record<string, unknown> = { ...given };
  if ('interval' in shared) normalised.interval = checked.inputs.interval;
  return normalised as GetFlowlogsArgs;
}

/** The server-side part of the filters. `ids` with one id becomes FlowLogId (one cheap lookup). */
export function toDescribeRequest(f: GetFlowlogsArgs): DescribeFlowlogsRequest {
  const single = f.flowLogId ?? (f.ids?.length === 1 ? f.ids[0] : undefined);
  const tags = tagsToApi(f.tags ?? {});
  return withoutUnset({
    RegionId: f.regionId,
    CenId: f.cenId,
    TransitRouterId: f.transitRouterId,
    TransitRouterAttachmentId: f.transitRouterAttachmentId,
    FlowLogId: single,
    FlowLogName: f.flowLogName || undefined,
    Description: f.description || undefined,
    ProjectName: f.projectName,
    LogStoreName: f.logStoreName,
    Status: f.status,
    Interval: f.interval,
    FlowLogVersion: f.flowLogVersion,
    Tags: tags.length > 0 ? tags : undefined,
  });
}

/** A flow log in the resource's output field names. */
export function toFound(f: ApiFlowLog, regionId?: string): FoundFlowlog {
  const fallback = {
    regionId: regionId ?? '',
    cenId: '',
    transitRouterId: '',
    projectName: '',
    logStoreName: '',
    tags: {},
    status: 'Active',
  } satisfies NormalizedInputs;
  const { timeouts: _t, adopt: _a, ...outputs } = toOutputs(f, fallback);
  return outputs as FoundFlowlog;
}

/** Validates the filters, pages through every match, applies `ids` and `nameRegex`. */
export async function findFlowlogs(api: Pick<CenApi, 'describeFlowlogs'>, args: GetFlowlogsArgs): Promise<GetFlowlogsResult> {
  const filters = checkFilters(args);
  const listed = await describeAll(api, toDescribeRequest(filters));
  const ids = filters.ids ? new Set(filters.ids) : undefined;
  const nameRegex = filters.nameRegex !== undefined ? new RegExp(filters.nameRegex) : undefined;
  const flowlogs = listed
    .filter((f) => !ids || ids.has(f.FlowLogId))
    .filter((f) => !nameRegex || nameRegex.test(f.FlowLogName ?? ''))
    .map((f) => toFound(f, filters.regionId));
  return { ids: flowlogs.map((f) => f.flowLogId), names: flowlogs.map((f) => f.flowLogName ?? ''), flowlogs };
}
