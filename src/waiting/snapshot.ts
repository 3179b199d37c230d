/**
 * When a paged DescribeFlowlogs scan proves that a flow log it did not list is gone, so the status loop need not
 * confirm it with a read by id. Pages are separate queries: a flow log deleted between two pages shifts the ones
 * after it toward the first page, and one created between them can shift the ones after its place the other way,
 * so "not on any page" alone proves nothing. What does, for a flow log whose CreationTime the loop saw earlier:
 *
 * - One query that lists every match (page 1 holding TotalCount items, or TotalCount 0): what it does not list did
 *   not exist when it ran. No order is assumed.
 * - In a listing sorted by ascending CreationTime (each page is checked; the order is not documented, so it is
 *   trusted only once a page showed increasing times and no page ever showed a decrease):
 *   - a page whose first and last items were created strictly before and strictly after the flow log would list
 *     it, had it existed then; so would the last page (TotalCount reached) for one created after its last item, and
 *     page 1 for one created before its first;
 *   - pages read from the last to the first: a delete moves the items after it toward pages not read yet, so an
 *     item the first read did not reach is met by a later one at worst twice, never skipped; a create lands after
 *     every existing item, so it moves nothing, except one sharing the newest CreationTime second (ties at second
 *     resolution, or a clock a second off). So a flow log created at least MARGIN_MS before the newest item seen
 *     by the first read, and listed by no page of such a chain, no longer exists.
 * Anything else (a time not known, a tie with the newest items, a page out of order, a count that changed shape)
 * is left to a read by id.
 */
import type { ApiFlowLog, DescribeFlowlogsResponse } from '../transport/types';

/** A flow log this much older than the newest one seen cannot be passed by a create's place in the listing. */
export const MARGIN_MS = 2000;

/** One page as the scan read it. */
export interface PageRead {
  page: number;
  /** The page size the service used. */
  pageSize: number;
  total: number;
  ids: Set<string>;
  /** CreationTime (epoch ms) of its first and last item; NaN when empty. */
  first: number;
  last: number;
  /** Every item has a CreationTime and none is older than the one before it. */
  ascending: boolean;
  /** An item is strictly older than the one before it: this service does not list in creation order. */
  descending: boolean;
  /** Its first item is strictly older than its last: evidence of ascending order. */
  increasing: boolean;
}

export const creationTime = (f: ApiFlowLog): number => Date.parse(f.CreationTime ?? '');

export function pageRead(page: number, pageSize: number, res: DescribeFlowlogsResponse): PageRead {
  const times = res.flowLogs.map(creationTime);
  let ascending = times.every((t) => !Number.isNaN(t));
  let descending = false;
  for (let i = 1; i < times.length; i++) {
    if (times[i]! < times[i - 1]!) {
      ascending = false;
      descending = true;
    }
  }
  const first = times.length > 0 ? times[0]! : Number.NaN;
  const last = times.length > 0 ? times[times.length - 1]! : Number.NaN;
  return {
    page,
    pageSize,
    total: res.totalCount,
    ids: new Set(res.flowLogs.map((f) => f.FlowLogId)),
    first,
    last,
    ascending,
    descending,
    increasing: ascending && first < last,
  };
}

/** The query listed every match: what it does not list did not exist then. */
export function isSnapshot(r: PageRead): boolean {
  return r.ids.size === r.total && (r.total === 0 || (r.page === 1 && r.total <= r.pageSize));
}

/** The page holds the listing's last item (TotalCount ends on it). */
export function isLastPage(r: PageRead): boolean {
  return r.ids.size > 0 && r.ids.size <= r.pageSize && r.total === (r.page - 1) * r.pageSize + r.ids.size;
}

/**
 * Gone by one page alone: a snapshot that does not list it, or (in a listing known to be ascending) a page whose
 * creation times bracket its own, the last page for one newer than its end, page 1 for one older than its start.
 */
export function goneByOneRead(reads: readonly PageRead[], id: string, created: number | undefined, ordered: boolean): boolean {
  for (const r of reads) {
    if (r.ids.has(id)) return false;
    if (isSnapshot(r)) return true;
    if (!ordered || created === undefined || !r.ascending || r.ids.size === 0) continue;
    if (r.first < created && created < r.last) return true;
    if (isLastPage(r) && created > r.last) return true;
    if (r.page === 1 && created < r.first) return true;
  }
  return false;
}

/**
 * Pages read from the last one (TotalCount reached) down to page 1, one after the other, each in ascending order,
 * each page's first item no newer than the last item of the page read just before it (a consistent shift).
 */
export function isDescendingChain(chain: readonly PageRead[]): boolean {
  if (chain.length === 0 || !isLastPage(chain[0]!)) return false;
  for (let i = 0; i < chain.length; i++) {
    const r = chain[i]!;
    if (r.page !== chain[0]!.page - i || !r.ascending || r.pageSize !== chain[0]!.pageSize) return false;
    const before = chain[i - 1];
    if (before && r.ids.size > 0 && before.ids.size > 0 && r.first > before.last) return false;
  }
  return chain[chain.length - 1]!.page === 1;
}

/**
 * Gone by a descending chain (see the module comment): not listed by it, and created at least MARGIN_MS before
 * `newest`, the newest CreationTime seen when the chain's first page was read.
 */
export function goneByChain(
  chain: readonly PageRead[],
  id: string,
  created: number | undefined,
  newest: number,
  ordered: boolean,
): boolean {
  if (!ordered || created === undefined || !isDescendingChain(chain)) return false;
  return chain.every((r) => !r.ids.has(id)) && created + MARGIN_MS <= newest;
}
