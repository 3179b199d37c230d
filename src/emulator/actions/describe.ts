/** DescribeFlowlogs: every filter, pagination; an unknown id is an empty page, not an error. */
import type { FlowLogRecord } from '../store';
import { currentStatus, toView } from '../store';
import { checkPositiveInt, type Params } from '../validate';
import { tagFilters } from './tags';
import type { ActionContext, ActionResult } from './context';

/** Request parameter → the record field it filters on (exact match). */
const FILTERS: Array<[string, (r: FlowLogRecord) => string | number | undefined]> = [
  ['RegionId', (r) => r.regionId],
  ['CenId', (r) => r.cenId],
  ['FlowLogName', (r) => r.flowLogName],
  ['Description', (r) => r.description],
  ['ProjectName', (r) => r.projectName],
  ['LogStoreName', (r) => r.logStoreName],
  ['TransitRouterId', (r) => r.transitRouterId],
  ['TransitRouterAttachmentId', (r) => r.transitRouterAttachmentId],
  ['Status', (r) => currentStatus(r)],
  ['Interval', (r) => r.interval],
  ['FlowLogVersion', (r) => r.flowLogVersion],
];

function matcher(params: Params): (r: FlowLogRecord) => boolean {
  const active = FILTERS.filter(([name]) => params[name] !== undefined && params[name] !== '');
  const tags = tagFilters(params);
  return (r) =>
    active.every(([name, field]) => String(field(r) ?? '') === params[name]) &&
    tags.every((t) => r.tags.some((own) => own.Key === t.Key && (t.Value === '' || own.Value === t.Value)));
}

export function describeFlowlogs(ctx: ActionContext): ActionResult {
  const { params, store } = ctx;
  const pageNumber = checkPositiveInt(params, 'PageNumber', 1, 1_000_000);
  const pageSize = checkPositiveInt(params, 'PageSize', 20, 50);
  const matches = matcher(params);
  let candidates: FlowLogRecord[];
  if (params.FlowLogId) {
    const one = store.get(params.FlowLogId);
    candidates = one ? [one] : [];
  } else {
    candidates = store.all();
  }
  const found = candidates.filter(matches);
  const page = found.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    Success: 'true',
    TotalCount: String(found.length),
    PageNumber: String(pageNumber),
    PageSize: String(pageSize),
    FlowLogs: { FlowLog: page.map(toView) },
  };
}
