/** What one scan's pages prove about a flow log they did not list (snapshot.ts), page by page. */
import { goneByChain, goneByOneRead, isDescendingChain, isLastPage, isSnapshot, MARGIN_MS, pageRead } from '../../src/waiting/snapshot';

const T0 = Date.UTC(2025, 0, 1);
const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Page `page` of `size`, TotalCount `total`, listing ids `x<second>-<n>` created at the given seconds. */
function page(pageNumber: number, total: number, seconds: number[], size = 3) {
  return pageRead(pageNumber, size, {
    flowLogs: seconds.map((s, i) => ({ FlowLogId: `x${s}-${pageNumber}-${i}`, CreationTime: at(s), Tags: [] })),
    totalCount: total,
    pageNumber,
    pageSize: size,
    requestId: 'r',
  });
}

describe('snapshot rules', () => {
  it('reads the order of a page: ascending, descending, or unknown without CreationTime', () => {
    expect(page(1, 3, [1, 2, 2])).toMatchObject({ ascending: true, increasing: true, descending: false });
    expect(page(1, 3, [2, 2, 2])).toMatchObject({ ascending: true, increasing: false });
    expect(page(1, 3, [3, 2, 1])).toMatchObject({ ascending: false, descending: true });
    const noTimes = pageRead(1, 3, { flowLogs: [{ FlowLogId: 'a', Tags: [] }], totalCount: 1, pageNumber: 1, pageSize: 3, requestId: 'r' });
    expect(noTimes).toMatchObject({ ascending: false, descending: false });
  });

  it('takes page 1 listing TotalCount items, or TotalCount 0, as a snapshot; nothing else', () => {
    expect(isSnapshot(page(1, 2, [1, 2]))).toBe(true);
    expect(isSnapshot(page(3, 0, []))).toBe(true);
    expect(isSnapshot(page(1, 4, [1, 2, 3]))).toBe(false);
    expect(isSnapshot(page(2, 5, [4, 5]))).toBe(false);
  });

  it('knows the last page by TotalCount', () => {
    expect(isLastPage(page(2, 5, [4, 5]))).toBe(true);
    expect(isLastPage(page(2, 6, [4, 5]))).toBe(false);
    expect(isLastPage(page(2, 3, []))).toBe(false);
  });

  it('proves gone by one page only in an order known to ascend, strictly inside it or past an end', () => {
    const reads = [page(2, 6, [10, 12, 14]), page(1, 6, [4, 6, 8])];
    expect(goneByOneRead(reads, 'gone', T0 + 11_000, true)).toBe(true); // inside page 2
    expect(goneByOneRead(reads, 'gone', T0 + 20_000, true)).toBe(true); // after the last page's end
    expect(goneByOneRead(reads, 'gone', T0 + 1_000, true)).toBe(true); // before page 1's start
    expect(goneByOneRead(reads, 'gone', T0 + 9_000, true)).toBe(false); // between pages: a chain's to prove
    expect(goneByOneRead(reads, 'gone', T0 + 12_000, true)).toBe(true); // a tie inside the page is
    expect(goneByOneRead(reads, 'gone', T0 + 10_000, true)).toBe(false); // a tie with an end is not
    expect(goneByOneRead(reads, 'gone', T0 + 14_000, true)).toBe(false);
    expect(goneByOneRead(reads, 'gone', T0 + 11_000, false)).toBe(false);
    expect(goneByOneRead(reads, 'gone', undefined, true)).toBe(false);
  });

  it('proves gone by a chain from the last page down to page 1, for flow logs well older than the newest', () => {
    const chain = [page(2, 6, [10, 12, 14]), page(1, 6, [4, 6, 8])];
    expect(isDescendingChain(chain)).toBe(true);
    expect(goneByChain(chain, 'gone', T0 + 9_000, T0 + 14_000, true)).toBe(true);
    expect(goneByChain(chain, 'gone', T0 + 14_000 - MARGIN_MS + 1, T0 + 14_000, true)).toBe(false);
    expect(goneByChain(chain, 'gone', T0 + 9_000, T0 + 14_000, false)).toBe(false);
    expect(goneByChain(chain, chain[1]!.ids.values().next().value!, T0 + 4_000, T0 + 14_000, true)).toBe(false);
  });

  it('takes no chain that skips a page, stops before page 1, starts short of the end or is out of order', () => {
    expect(isDescendingChain([page(3, 9, [10, 11, 12]), page(1, 9, [1, 2, 3])])).toBe(false);
    expect(isDescendingChain([page(2, 6, [10, 12, 14])])).toBe(false);
    expect(isDescendingChain([page(2, 7, [10, 12, 14]), page(1, 7, [4, 6, 8])])).toBe(false);
    expect(isDescendingChain([page(2, 6, [10, 12, 14]), page(1, 6, [4, 13, 12])])).toBe(false);
  });
});
