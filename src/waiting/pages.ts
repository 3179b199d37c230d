/**
 * Reading every match of a DescribeFlowlogs filter, page after page: one
 * place for the data source, adoption, the generator and the status loop's scans.
 */
import type { ApiFlowLog, CenApi, DescribeFlowlogsRequest } from '../transport/types';

/** The emulator's cap (the live service documents none); fewer calls than the default 20. */
export const PAGE_SIZE = 50;
/** A guard against a service whose TotalCount never stops growing: 500,000 flow logs. */
const MAX_PAGES = 10_000;

export interface PagingOptions {
  /** The page size asked for. @default PAGE_SIZE */
  pageSize?: number;
  /** Told the TotalCount of every page, so a caller can price its next scan of the same filter. */
  onTotal?: (totalCount: number) => void;
}

/** Every match, page after page, until TotalCount is reached or a page comes back short. */
export async function describeAll(
  api: Pick<CenApi, 'describeFlowlogs'>,
  request: DescribeFlowlogsRequest,
  { pageSize: asked = PAGE_SIZE, onTotal }: PagingOptions = {},
): Promise<ApiFlowLog[]> {
  const found = new Map<string, ApiFlowLog>();
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await api.describeFlowlogs({ ...request, PageNumber: page, PageSize: asked });
    onTotal?.(res.totalCount);
    // A flow log created or deleted between two pages shifts the rest: keep each id once.
    for (const f of res.flowLogs) if (!found.has(f.FlowLogId)) found.set(f.FlowLogId, f);
    const pageSize = res.pageSize > 0 ? res.pageSize : asked;
    if (res.flowLogs.length < pageSize || page * pageSize >= res.totalCount) break;
  }
  return [...found.values()];
}
