/**
 * One operation's view of the API: the shared client, retries bounded by the
 * operation's deadline, the account's adaptive budget and the status loops.
 * Clients, budgets and loops are per process (shared by every resource);
 * nothing here holds per-call data beyond the deadline.
 */
import { createHash } from 'node:crypto';
import { AdaptiveBudget } from '../pacing/budget';
import type { ApiFlowLog, CallOptions, CenApi } from '../transport/types';
import { createCenClient } from '../transport/client';
import type { Clock } from '../pacing/clock';
import { resolveCredentials } from '../transport/credentials';
import { resilient, withRetry } from '../pacing/retry';
import type { ProviderSettings } from './settings';
import { StatusLoop } from '../waiting/statusloop';
import { WantedState, waitForStatus } from '../waiting/wait';

export interface Where {
  regionId: string;
  cenId?: string;
  transitRouterId?: string;
}

export interface Session {
  /** Every call is budgeted and retried (same request object, same ClientToken) until the deadline. */
  readonly api: CenApi;
  readonly deadline: number;
  /** The flow log by id, read through the CEN's status loop; undefined when it is gone. A transient error is thrown, never "gone". */
  describe(regionId: string, cenId: string | undefined, flowLogId: string): Promise<ApiFlowLog | undefined>;
  /**
   * Waits until the flow log reaches `want`; resolves with it, or with undefined when `want` is Gone.
   * `kind` names the transition (`create`, `modify`, `status`, `delete`) so the
   * CEN's loop can learn how long such transitions take.
   */
  waitFor(where: Where, flowLogId: string, want: 'Gone', kind?: string): Promise<undefined>;
  waitFor(where: Where, flowLogId: string, want: Exclude<WantedState, 'Gone'>, kind?: string): Promise<ApiFlowLog>;
}

/** `signal` (the engine's Cancel) ends the session's waits at once with its reason. */
export type SessionFactory = (settings: ProviderSettings, deadline: number, signal?: AbortSignal) => Session;

/** What one endpoint + credentials shares across every resource of the process. */
export class Account {
  readonly budget: AdaptiveBudget;
  private readonly loops = new Map<string, StatusLoop>();
  /**
   * The base client, noting per flow log when a write to it was last in flight: a read of it may be answered by a
   * scan started after that (writes to other flow logs do not change it, so the reads before an update do not wait
   * for a scan after every other update's write).
   */
  private readonly noted: CenApi;
  private readonly writing = new Map<string, number>();
  private readonly wroteAt = new Map<string, number>();

  constructor(
    readonly base: CenApi,
    private readonly clock: Clock,
    maxRate?: number,
  ) {
    this.budget = new AdaptiveBudget({ maxRate, initialRate: maxRate === undefined ? undefined : Math.min(20, maxRate) }, clock);
    const note = (ids: readonly string[], delta: number): void => {
      const now = clock.now();
      for (const id of ids) {
        const n = (this.writing.get(id) ?? 0) + delta;
        if (n > 0) this.writing.set(id, n);
        else this.writing.delete(id);
        this.wroteAt.set(id, now);
      }
    };
    const write =
      <Q, R>(ids: (req: Q) => readonly string[], fn: (req: Q, opts?: CallOptions) => Promise<R>) =>
      async (req: Q, opts?: CallOptions): Promise<R> => {
        note(ids(req), 1);
        try {
          return await fn(req, opts);
        } finally {
          note(ids(req), -1);
        }
      };
    const one = <Q extends { FlowLogId: string }>(req: Q) => [req.FlowLogId];
    const many = <Q extends { ResourceIds: string[] }>(req: Q) => req.ResourceIds;
    this.noted = {
      describeFlowlogs: (req, opts) => base.describeFlowlogs(req, opts),
      // A new flow log's id is known only from the answer: nothing reads it before, and only a scan started after
      // the answer may answer for it.
      createFlowlog: async (req, opts) => {
        const out = await base.createFlowlog(req, opts);
        this.wroteAt.set(out.flowLogId, clock.now());
        return out;
      },
      modifyFlowLogAttribute: write(one, (req, opts) => base.modifyFlowLogAttribute(req, opts)),
      activeFlowLog: write(one, (req, opts) => base.activeFlowLog(req, opts)),
      deactiveFlowLog: write(one, (req, opts) => base.deactiveFlowLog(req, opts)),
      deleteFlowlog: write(one, (req, opts) => base.deleteFlowlog(req, opts)),
      tagResources: write(many, (req, opts) => base.tagResources(req, opts)),
      untagResources: write(many, (req, opts) => base.untagResources(req, opts)),
    };
  }

  /**
   * The one status loop of a region: it scans one CEN when every waiting flow
   * log is of that CEN, and the region when they are of several, so a stack
   * spread over many CENs still costs one scan per tick. Polls are not retried:
   * the waiter reads again on its next due.
   */
  loop(regionId: string): StatusLoop {
    let loop = this.loops.get(regionId);
    if (!loop) {
      loop = new StatusLoop(this.base, this.budget, regionId, this.clock, {
        lastWrite: (id) => (this.writing.has(id) ? Number.POSITIVE_INFINITY : (this.wroteAt.get(id) ?? Number.NEGATIVE_INFINITY)),
      });
      this.loops.set(regionId, loop);
    }
    return loop;
  }

  session(deadline: number, log: (line: string) => void, signal?: AbortSignal): Session {
    const { clock } = this;
    const loopOf = (regionId: string) => this.loop(regionId);
    // A wait for anything but Gone ends only with the flow log in hand (not found fails it); for Gone, with undefined.
    function waitFor(where: Where, flowLogId: string, want: 'Gone', kind?: string): Promise<undefined>;
    function waitFor(where: Where, flowLogId: string, want: Exclude<WantedState, 'Gone'>, kind?: string): Promise<ApiFlowLog>;
    function waitFor(where: Where, flowLogId: string, want: WantedState, kind?: string): Promise<ApiFlowLog | undefined> {
      return waitForStatus({
        loop: loopOf(where.regionId),
        flowLogId,
        cenId: where.cenId,
        transitRouterId: where.transitRouterId,
        want,
        kind,
        deadline,
        clock,
        signal,
        onProgress: log,
      });
    }
    const api = resilient(this.noted, {
      deadline,
      clock,
      budget: this.budget,
      onRetry: ({ action, attempt, error, delayMs }) =>
        log(`${action}: ${error.code}, retrying in ${(delayMs / 1000).toFixed(1)}s (attempt ${attempt + 1})`),
    });
    return {
      api,
      deadline,
      // A read through the loop batches with the waits; a transient failure is retried within the
      // deadline like any call (the loop's own reads already went through the budget).
      describe: (regionId, cenId, flowLogId) =>
        withRetry('DescribeFlowlogs', () => this.loop(regionId).read(flowLogId, cenId), { deadline, clock }),
      waitFor,
    };
  }
}

/**
 * What tells two accounts apart: the endpoint, the key id or profile, and a sha256 of the secret and the STS
 * token, never the secret itself (the map lives as long as the process and is reachable from the package).
 */
export function accountKey(settings: ProviderSettings): string {
  const { accessKey, secretKey, securityToken, profile } = settings.credentials;
  const digest = (value: string | undefined) => (value === undefined ? null : createHash('sha256').update(value).digest('hex'));
  return JSON.stringify([
    `${settings.endpoint.protocol}://${settings.endpoint.host}`,
    accessKey ?? null,
    digest(secretKey),
    digest(securityToken),
    profile ?? null,
    settings.requestTimeoutMs,
    settings.requestsPerSecond ?? null,
  ]);
}

/**
 * Per process: one client, one adaptive budget and one status loop per region
 * for each endpoint and set of credential settings (the API limits per
 * account), shared by every resource. The engine runs up to `--parallel`
 * resources at once in one provider process; without a shared budget a large
 * stack's waits and retries would turn into a Throttling.User storm.
 */
export function defaultSessionFactory(clock: Clock, log: (line: string) => void): SessionFactory {
  const accounts = new Map<string, Account>();
  // Every operation asks with the provider's one settings object: its key (two sha256) is worked out once.
  const keys = new WeakMap<ProviderSettings, string>();
  return (settings, deadline, signal) => {
    let key = keys.get(settings);
    if (key === undefined) {
      key = accountKey(settings);
      keys.set(settings, key);
    }
    let account = accounts.get(key);
    if (!account) {
      let created: Account | undefined;
      const base = createCenClient({
        endpoint: settings.endpoint,
        credential: resolveCredentials(settings.credentials),
        connectTimeoutMs: settings.requestTimeoutMs,
        readTimeoutMs: settings.requestTimeoutMs,
        onRateLimit: (state, answer) => created?.budget.observe(state, answer),
      });
      account = created = new Account(base, clock, settings.requestsPerSecond);
      accounts.set(key, account);
    }
    return account.session(deadline, log, signal);
  };
}
