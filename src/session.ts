/**
 * One operation's view of the API: the shared client, retries bounded by the
 * operation's deadline, the process-wide rate limiter and status poller.
 * Clients, the limiter and the poller are per process (shared by every
 * resource); nothing here holds per-call data beyond the deadline.
 */
import type { ApiFlowLog, CenApi } from './client';
import { createCenClient } from './client';
import type { Clock } from './clock';
import { resolveCredentials } from './credentials';
import { TokenBucket, resilient } from './retry';
import type { ProviderSettings } from './settings';
import { StatusPoller, WantedState, waitForStatus } from './wait';

export interface Where { regionId: string; cenId?: string }

export interface Session {
  /** Every call is rate-limited and retried (same request object, same ClientToken) until the deadline. */
  readonly api: CenApi;
  readonly deadline: number;
  /** The flow log by id, or undefined when it is gone. A transient error is thrown, never "gone". */
  describe(regionId: string, cenId: string | undefined, flowLogId: string): Promise<ApiFlowLog | undefined>;
  /** Polls until the flow log reaches `want`; resolves with it (undefined for Gone). */
  waitFor(where: Where, flowLogId: string, want: WantedState): Promise<ApiFlowLog>;
}

export type SessionFactory = (settings: ProviderSettings, deadline: number) => Session;

export function makeSession(
  base: CenApi, poller: StatusPoller, deadline: number, clock: Clock, log: (line: string) => void, limiter: TokenBucket,
): Session {
  const api = resilient(base, {
    deadline,
    clock,
    limiter,
    onRetry: ({ action, attempt, error, delayMs }) =>
      log(`${action}: ${error.code}, retrying in ${(delayMs / 1000).toFixed(1)}s (attempt ${attempt + 1})`),
  });
  return {
    api,
    deadline,
    async describe(regionId, cenId, flowLogId) {
      const { flowLogs } = await api.describeFlowlogs({ RegionId: regionId, CenId: cenId, FlowLogId: flowLogId });
      return flowLogs.find((f) => f.FlowLogId === flowLogId);
    },
    async waitFor(where, flowLogId, want) {
      const found = await waitForStatus({ regionId: where.regionId, cenId: where.cenId, flowLogId, want, deadline, clock, poller, onProgress: log });
      return found as ApiFlowLog;
    },
  };
}

/**
 * Per process: one client, one rate limiter and one poller for each endpoint and
 * set of credential settings (the API limits per account), shared by every resource.
 * The engine runs up to `--parallel` resources at once in one provider process;
 * without a shared budget a large stack's waits and retries would turn into a
 * Throttling.User storm.
 */
export function defaultSessionFactory(clock: Clock, log: (line: string) => void): SessionFactory {
  const cache = new Map<string, { base: CenApi; poller: StatusPoller; limiter: TokenBucket }>();
  return (settings, deadline) => {
    const key = JSON.stringify([settings.endpoint, settings.credentials, settings.requestTimeoutMs, settings.requestsPerSecond]);
    let entry = cache.get(key);
    if (!entry) {
      const base = createCenClient({
        endpoint: settings.endpoint,
        credential: resolveCredentials(settings.credentials),
        connectTimeoutMs: settings.requestTimeoutMs,
        readTimeoutMs: settings.requestTimeoutMs,
      });
      // Polls share the process's rate budget too: one DescribeFlowlogs per CEN per tick at most.
      const limiter = new TokenBucket(settings.requestsPerSecond, 2 * settings.requestsPerSecond, clock);
      const polled: CenApi = { ...base, describeFlowlogs: async (req) => { await limiter.take(); return base.describeFlowlogs(req); } };
      entry = { base, poller: new StatusPoller(polled, clock), limiter };
      cache.set(key, entry);
    }
    return makeSession(entry.base, entry.poller, deadline, clock, log, entry.limiter);
  };
}
