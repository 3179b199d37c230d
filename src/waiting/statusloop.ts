/**
 * One status loop per (client, region): every wait, refresh and pre-update
 * read for flow logs of that region asks it, and it keeps at most one
 * DescribeFlowlogs in flight, polling when the earliest ask is due. One call
 * serves everyone it can (dataloader-style coalescing), so the number of calls
 * stays flat in the number of waiters.
 *
 * Each tick picks the cheapest query: by FlowLogId for the asks that are due
 * when they are fewer than the pages a scan would take; otherwise a scan of
 * the CEN (and transit router) when every ask shares one, else of the whole
 * region, paged with the largest page size. One loop per region rather than
 * per CEN: it costs the same for one CEN, and one scan instead of one per CEN
 * when a stack spans many. Scans read pages from the last one down and stop
 * once every ask is answered; an id a scan did not list counts as gone only
 * when the scan proves it (snapshot.ts), else it is confirmed by id. The
 * loop's share of the request budget is small while writes queue (each poll
 * delays every queued write by a token; polls never starve, but neither do
 * creates), larger when they do not. A read that is not a wait may be answered
 * by a scan started a moment before it and after this process's last write.
 */
import type { AdaptiveBudget } from '../pacing/budget';
import type { ApiFlowLog, CenApi, DescribeFlowlogsRequest, DescribeFlowlogsResponse } from '../transport/types';
import { systemClock, type Clock } from '../pacing/clock';
import { metered } from '../pacing/retry';
import { creationTime, goneByChain, goneByOneRead, isSnapshot, pageRead, type PageRead } from './snapshot';
import { numberOption } from '../model/options';

export interface StatusLoopOptions {
  /**
   * DescribeFlowlogs page size for scans. The CEN page documents only the
   * default (20); 50 is the documented maximum of the sibling VPC flow-log API
   * and what the emulator accepts. A service that refuses it is asked with 20 from then on.
   * @default 50
   */
  pageSize?: number;
  /**
   * When this process last had a write to this flow log in flight (+Infinity while one is): `read` may answer from
   * a scan started after it. Without it, every read waits for a new DescribeFlowlogs.
   */
  lastWrite?: (flowLogId: string) => number;
}

/** What an ask resolves with: the flow log, or undefined when it is certainly gone. */
export type Observation = ApiFlowLog | undefined;

/** One tick's reads: counted, budgeted, in the poll lane. */
interface Reader {
  cost: number;
  describe(req: DescribeFlowlogsRequest): Promise<DescribeFlowlogsResponse>;
}

/** What a scan is narrowed to: a CEN (and a transit router of it), or the whole region. */
interface ScanFilter {
  CenId?: string;
  TransitRouterId?: string;
}
const filterKey = (f: ScanFilter): string => JSON.stringify([f.CenId ?? null, f.TransitRouterId ?? null]);

interface Ask {
  id: string;
  transitRouterId?: string;
  cenId?: string;
  dueAt: number;
  /** A read, not a wait: a recent scan may answer it. */
  read?: boolean;
  resolve: (f: Observation) => void;
  reject: (err: unknown) => void;
}

/** Share of the budget's rate the loop may use while writes wait, and while none do. */
const SHARE_BUSY = 0.05;
const SHARE_IDLE = 0.25;
/** How many recent transition times the loop remembers per kind, and how many it needs before it uses them. */
const RECENT_DURATIONS = 16;
const MIN_SAMPLES = 3;
/** At most this many ids a scan did not list are confirmed by id in one tick. */
const MAX_CONFIRMS_PER_TICK = 10;
/** How old a scan may be to answer a read (refresh), not a wait: a wave of reads costs one scan, not one each. */
const READ_STALE_MS = 1000;
/** A read due at once waits this long for the reads sent with it, so they share its call. */
const COALESCE_MS = 5;
/** The page size every CEN account accepts (the API's default). */
const SAFE_PAGE_SIZE = 20;

export class StatusLoop {
  private asks: Ask[] = [];
  private inFlight = false;
  private wake?: AbortController;
  private wakeAt = Number.POSITIVE_INFINITY;
  private lastTickAt = Number.NEGATIVE_INFINITY;
  private lastTickCost = 0;
  /** Last known match count per scan filter, to price a scan before making it. */
  private readonly counts = new Map<string, number>();
  private pageSize: number;
  /** CreationTime (epoch ms) of every flow log a read listed, and the newest of them: what scans prove with. */
  private readonly created = new Map<string, number>();
  /** How many pages from the last one each flow log was listed on: what a scan for it costs. */
  private readonly fromEnd = new Map<string, number>();
  private newest = Number.NEGATIVE_INFINITY;
  private increasingSeen = false;
  private unordered = false;

  constructor(
    private readonly api: CenApi,
    private readonly budget: AdaptiveBudget,
    readonly regionId: string,
    private readonly clock: Clock = systemClock,
    options: StatusLoopOptions = {},
  ) {
    this.pageSize = numberOption('pageSize', options.pageSize, 50, { sign: 'positive', integer: true });
    this.lastWrite = options.lastWrite ?? (() => Number.POSITIVE_INFINITY);
  }

  private readonly lastWrite: (flowLogId: string) => number;
  /** What the last scan listed or proved gone, and when it started. */
  private recent?: { startedAt: number; listed: Map<string, ApiFlowLog>; gone: Set<string> };

  /**
   * A read (refresh, the read before an update): the flow log as a scan saw it that started at most a second ago
   * and after this process's last write to it, else as `observe` sees it now.
   */
  read(id: string, cenId?: string): Promise<Observation> {
    const known = this.fromRecent(id);
    if (known) return Promise.resolve(known.flowLog);
    return new Promise((resolve, reject) => {
      this.asks.push({ id, cenId, dueAt: this.clock.now(), resolve, reject, read: true });
      this.schedule();
    });
  }

  /** The flow log as the last scan saw it, if that scan may answer a read now. */
  private fromRecent(id: string): { flowLog: Observation } | undefined {
    const r = this.recent;
    if (!r || this.clock.now() - r.startedAt > READ_STALE_MS || this.lastWrite(id) >= r.startedAt) return undefined;
    if (r.listed.has(id)) return { flowLog: r.listed.get(id) };
    return r.gone.has(id) ? { flowLog: undefined } : undefined;
  }

  /** Recent transition times on this CEN, per kind of wait, most recent last. */
  private readonly durations = new Map<string, number[]>();

  /** A wait of this kind took `ms` from its write to the read that saw it done. */
  recordDuration(kind: string, ms: number): void {
    const list = this.durations.get(kind) ?? [];
    list.push(ms);
    if (list.length > RECENT_DURATIONS) list.shift();
    this.durations.set(kind, list);
  }

  /**
   * The shortest recent transition of this kind, once a few were seen: a wait
   * need not read before most of it has passed (one scan then serves them all).
   */
  typicalMinimum(kind: string): number | undefined {
    const list = this.durations.get(kind);
    return list && list.length >= MIN_SAMPLES ? Math.min(...list) : undefined;
  }

  /**
   * The flow log as seen by a DescribeFlowlogs started after this call, no
   * later than `dueAt` (sooner when another ask's poll can serve it too).
   */
  observe(id: string, dueAt: number, transitRouterId?: string, cenId?: string): Promise<Observation> {
    return new Promise((resolve, reject) => {
      this.asks.push({ id, transitRouterId, cenId, dueAt, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight || this.asks.length === 0) return;
    const earliest = Math.min(...this.asks.map((a) => a.dueAt));
    const now = this.clock.now();
    const at = Math.max(earliest <= now ? now + COALESCE_MS : earliest, this.lastTickAt + this.minGapMs());
    if (this.wake && at >= this.wakeAt) return;
    this.wake?.abort();
    const wake = new AbortController();
    this.wake = wake;
    this.wakeAt = at;
    this.clock.sleep(Math.max(0, at - this.clock.now()), wake.signal).then(
      () => {
        if (this.wake !== wake) return;
        this.wake = undefined;
        this.wakeAt = Number.POSITIVE_INFINITY;
        void this.tick();
      },
      () => undefined, // superseded by an earlier wake-up
    );
  }

  /** The gap after a tick that keeps the loop within its share of the budget. */
  private minGapMs(): number {
    const share = this.budget.writesWaiting > 0 ? SHARE_BUSY : SHARE_IDLE;
    return (this.lastTickCost * 1000) / (this.budget.rate * share);
  }

  private async tick(): Promise<void> {
    const now = this.clock.now();
    if (now < this.lastTickAt + this.minGapMs()) {
      this.schedule(); // writes queued up since the wake-up was set: keep to the busy share
      return;
    }
    this.inFlight = true;
    this.lastTickAt = now;
    const plan = this.plan(now);
    const ids = [...new Set(plan.served.map((a) => a.id))];
    const cenOf = new Map(plan.served.map((a) => [a.id, a.cenId]));
    const read: Reader = {
      cost: 0,
      describe: (req) => {
        read.cost++;
        return metered(this.budget, 'poll', () => this.api.describeFlowlogs({ RegionId: this.regionId, ...req }));
      },
    };
    // What this tick established: the flow log, or null when a read by id found none. Asks it
    // established are answered even if a later call of the tick fails; the others wait for the next.
    const seen = new Map<string, ApiFlowLog | null>();
    let failure: { err: unknown } | undefined;
    try {
      if (plan.byId) await this.readByIds(ids, cenOf, read, seen);
      else
        await this.scan(
          plan.filter,
          ids,
          cenOf,
          read,
          seen,
          plan.served.some((a) => a.read),
        );
    } catch (err) {
      failure = { err };
    } finally {
      const answered = plan.served.filter((a) => seen.has(a.id));
      this.settle(answered, (a) => a.resolve(seen.get(a.id) ?? undefined));
      if (failure) {
        const { err } = failure;
        this.settle(
          plan.served.filter((a) => !seen.has(a.id)),
          (a) => a.reject(err),
        );
      }
      // Reads asked while this tick's scan was in flight: it started less than a second before them.
      const reads = this.asks.filter((a) => a.read && this.fromRecent(a.id));
      this.settle(reads, (a) => a.resolve(this.fromRecent(a.id)!.flowLog));
      this.lastTickCost = read.cost;
      this.inFlight = false;
      this.schedule();
    }
  }

  /**
   * By id for the due asks when that is cheaper than a scan; otherwise a scan
   * serves every ask: of their CEN (and transit router) when they share one,
   * else of the region, so flow logs of several CENs still cost one scan.
   */
  private plan(now: number): { byId: boolean; served: Ask[]; filter: ScanFilter } {
    const due = this.asks.filter((a) => a.dueAt <= now);
    const cens = new Set(this.asks.map((a) => a.cenId));
    const trs = new Set(this.asks.map((a) => a.transitRouterId));
    const CenId = cens.size === 1 ? [...cens][0] : undefined;
    const filter: ScanFilter = { CenId, TransitRouterId: CenId !== undefined && trs.size === 1 ? [...trs][0] : undefined };
    const known = this.counts.get(filterKey(filter));
    const pages = known === undefined ? 1 : Math.max(1, Math.ceil(known / this.pageSize));
    // A scan reads from the last page down until it has met every ask: as deep as the deepest one was last seen.
    const depth = (a: Ask) => {
      const fromEnd = this.fromEnd.get(a.id);
      return fromEnd === undefined ? pages : fromEnd + 1;
    };
    const scanPages = Math.min(pages, Math.max(1, ...this.asks.map(depth)));
    const byId = due.length > 0 && (due.length < scanPages || (known === undefined && due.length === 1));
    return { byId, served: byId ? due : this.asks.slice(), filter };
  }

  private async readByIds(
    ids: string[],
    cenOf: Map<string, string | undefined>,
    read: Reader,
    seen: Map<string, ApiFlowLog | null>,
  ): Promise<void> {
    for (const id of ids) {
      const f = (await read.describe({ FlowLogId: id, CenId: cenOf.get(id) })).flowLogs.find((x) => x.FlowLogId === id);
      seen.set(id, f ?? null);
      const t = f ? creationTime(f) : Number.NaN;
      if (!f) {
        this.created.delete(id);
        this.fromEnd.delete(id);
      } else if (!Number.isNaN(t)) this.created.set(id, t);
    }
  }

  /**
   * Pages from the last one down (see snapshot.ts), stopping as soon as every asked id is listed or proved gone:
   * pending creates are the newest flow logs, so a scan for them reads the tail of the listing, not all of it.
   * Asked ids still unproved are confirmed by id, a few per tick, so that many flow logs gone at once (a large
   * destroy in a listing too large or too new to prove it) cost a bounded number of calls per tick.
   */
  private async scan(
    filter: ScanFilter,
    ids: string[],
    cenOf: Map<string, string | undefined>,
    read: Reader,
    seen: Map<string, ApiFlowLog | null>,
    forReads: boolean,
  ): Promise<void> {
    const startedAt = this.clock.now();
    this.recent = undefined;
    let proof: { reads: PageRead[]; chain: PageRead[]; newest: number; listed: Map<string, ApiFlowLog> };
    try {
      proof = await this.pagesFromLast(filter, ids, read, seen);
    } catch (err) {
      if (this.pageSize <= SAFE_PAGE_SIZE || !(err as { code?: string }).code?.startsWith('InvalidParameter')) throw err;
      this.pageSize = SAFE_PAGE_SIZE; // this service refuses larger pages: ask as it documents, from now on
      proof = await this.pagesFromLast(filter, ids, read, seen);
    }
    const ordered = this.ordered();
    for (const id of ids) {
      if (seen.has(id)) continue;
      const created = this.created.get(id);
      if (goneByOneRead(proof.reads, id, created, ordered) || goneByChain(proof.chain, id, created, proof.newest, ordered)) {
        seen.set(id, null);
        this.created.delete(id);
        this.fromEnd.delete(id);
      }
    }
    const missing = ids.filter((id) => !seen.has(id)).slice(0, MAX_CONFIRMS_PER_TICK);
    await this.readByIds(missing, cenOf, read, seen);
    const gone = new Set([...seen].filter(([, f]) => f === null).map(([id]) => id));
    // Only a scan reads asked for answers later reads: one made for waits (say, after a create) does not answer
    // the next operation's read, which must see what changed since, out of band included.
    if (forReads) this.recent = { startedAt, listed: proof.listed, gone };
  }

  /** The listing is known to be in ascending creation order: some page showed it, none contradicted it. */
  private ordered(): boolean {
    return this.increasingSeen && !this.unordered;
  }

  private async pagesFromLast(
    filter: ScanFilter,
    ids: string[],
    read: Reader,
    seen: Map<string, ApiFlowLog | null>,
  ): Promise<{ reads: PageRead[]; chain: PageRead[]; newest: number; listed: Map<string, ApiFlowLog> }> {
    const key = filterKey(filter);
    const asked = new Set(ids);
    const reads: PageRead[] = [];
    const listed = new Map<string, ApiFlowLog>();
    const readPage = async (page: number): Promise<PageRead> => {
      const res = await read.describe({ ...filter, PageNumber: page, PageSize: this.pageSize });
      // A service that answers with smaller pages than asked: count pages as it does, from now on.
      if (res.pageSize > 0 && res.pageSize < this.pageSize) this.pageSize = res.pageSize;
      const r = pageRead(page, res.pageSize > 0 ? res.pageSize : this.pageSize, res);
      reads.push(r);
      this.counts.set(key, res.totalCount);
      if (r.descending) this.unordered = true;
      if (r.increasing) this.increasingSeen = true;
      const lastPage = Math.max(page, Math.ceil(res.totalCount / r.pageSize));
      for (const f of res.flowLogs) {
        this.fromEnd.set(f.FlowLogId, lastPage - page);
        const t = creationTime(f);
        if (!Number.isNaN(t)) {
          this.created.set(f.FlowLogId, t);
          if (t > this.newest) this.newest = t;
        }
        listed.set(f.FlowLogId, f);
        if (asked.has(f.FlowLogId)) seen.set(f.FlowLogId, f); // a later page is a later read: it wins
      }
      return r;
    };
    const done = () => ids.every((id) => seen.has(id) || goneByOneRead(reads, id, this.created.get(id), this.ordered()));
    const known = this.counts.get(key);
    let page = known === undefined ? 1 : Math.max(1, Math.ceil(known / this.pageSize));
    for (let restarts = 0; ; restarts++) {
      const first = await readPage(page);
      const newest = this.newest;
      if (isSnapshot(first) || done()) return { reads, chain: [], newest, listed };
      const last = Math.max(1, Math.ceil(first.total / first.pageSize));
      // The count moved since the last scan: start again from the page that is last now (twice at most, then
      // read down from there all the same; such a chain does not start on its last page and proves nothing).
      if (last !== page && restarts < 2) {
        page = last;
        continue;
      }
      const chain = last === page ? [first] : [];
      for (let k = last === page ? page - 1 : last; k >= 1 && !done(); k--) chain.push(await readPage(k));
      return { reads, chain, newest, listed };
    }
  }

  private settle(served: Ask[], fn: (a: Ask) => void): void {
    const set = new Set(served);
    this.asks = this.asks.filter((a) => !set.has(a));
    for (const a of served) fn(a);
  }
}
