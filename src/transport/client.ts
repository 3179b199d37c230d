/**
 * The CEN flow-log API client: the only module that imports
 * `@alicloud/openapi-client`. One method per action, typed requests and
 * normalised responses; every failure becomes a CenApiError. It never
 * retries (see retry.ts): the library's own retry is off.
 */
import OpenApiClient, { Config, OpenApiRequest, Params } from '@alicloud/openapi-client';
import OpenApiUtil from '@alicloud/openapi-util';
import { randomUUID } from 'node:crypto';
import * as diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { CredentialProvider } from './credentials';
import { CenApiError } from '../errors';
import { parseEndpoint, type Endpoint } from './endpoint';
import { numberOption, type NumberRule } from '../model/options';
import { withoutUnset } from '../model/records';
import { releaseReadTimers } from './readtimer';
import type { ApiFlowLog, CallOptions, CenApi, FlowLogRef, RateLimitState } from './types';

const MILLISECONDS: NumberRule = { sign: 'positive', unit: 'milliseconds' };

export interface ClientOptions {
  /**
   * Full URL: `https://cbn.aliyuncs.com`, or `http://127.0.0.1:PORT` (plain HTTP only to loopback); or one
   * parseEndpoint already accepted (the provider's settings hold it so), used as it is.
   */
  endpoint: string | Endpoint;
  credential: CredentialProvider;
  /**
   * Connect timeout. The library also applies it as the socket idle limit,
   * so a response slower than this is cut off too: raise both together.
   * @default 10000
   */
  connectTimeoutMs?: number;
  /** @default 30000 */
  readTimeoutMs?: number;
  /** `v3` = ACS3-HMAC-SHA256 headers; `v2` = classic HMAC-SHA1 query signing. @default 'v3' */
  signatureAlgorithm?: 'v2' | 'v3';
  /**
   * Told of every answer the account bucket's level its rate-limit headers report (undefined when they are
   * absent or malformed); `throttled` when the answer was a refusal. The budget paces on it (budget.ts); a throw
   * here is ignored.
   */
  onRateLimit?: (state: RateLimitState | undefined, answer: { throttled: boolean }) => void;
}

const VERSION = '2017-09-12';
/** Tags each HTTP request with its call, so the response's headers can be matched to it. */
const CALL_HEADER = 'x-cen-flowlog-call';
const RESPONSE_CHANNEL = 'http.client.response.finish';

/**
 * The wait a throttled answer names, in ms. `x-acs-retry-after: <ms>` first, as the current
 * Alibaba runtimes read it (a positive integer; 0, empty, negative or not a number names none);
 * else the larger `TimeLeft` of the older `x-ratelimit-user-api` and `x-ratelimit-user` headers
 * (`Limit:20,Remain:0,TimeLeft:350,Reset:…`); undefined when none names one.
 */
export function throttlingTimeLeft(headers: IncomingHttpHeaders): number | undefined {
  const retryAfter = headers['x-acs-retry-after'];
  const after = (Array.isArray(retryAfter) ? retryAfter[0] : retryAfter)?.trim();
  if (after !== undefined && /^\+?\d+$/.test(after) && Number(after) > 0) return Number(after);
  let best: number | undefined;
  for (const name of ['x-ratelimit-user-api', 'x-ratelimit-user']) {
    const raw = headers[name];
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    const match = value === undefined ? null : /(?:^|,)\s*TimeLeft\s*:\s*(\d+)/.exec(value);
    if (match) best = Math.max(best ?? 0, Number(match[1]));
  }
  return best;
}

/** Largest values believed: a header beyond them is garbage, and a garbage wait must never stall the process. */
const MAX_LIMIT = 1_000_000;
const MAX_TIME_LEFT_MS = 60_000;

/**
 * The account bucket as the `x-ratelimit-user` / `x-ratelimit-user-api` headers report it
 * (`Limit:20,Remain:7,TimeLeft:0,Reset:…`), the one with fewer tokens left when both are there;
 * undefined when neither is present and well-formed (Limit a positive integer, Remain and
 * TimeLeft non-negative integers, Remain not above Limit, none absurdly large).
 */
export function rateLimitState(headers: IncomingHttpHeaders): RateLimitState | undefined {
  let best: RateLimitState | undefined;
  for (const name of ['x-ratelimit-user-api', 'x-ratelimit-user']) {
    const raw = headers[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (typeof value !== 'string') continue;
    const field = (key: string): number | undefined => {
      const m = new RegExp(`(?:^|,)\\s*${key}\\s*:\\s*(\\d{1,9})\\s*(?:,|$)`).exec(value);
      return m ? Number(m[1]) : undefined;
    };
    const limit = field('Limit');
    const remain = field('Remain');
    const timeLeftMs = field('TimeLeft');
    if (limit === undefined || remain === undefined || timeLeftMs === undefined) continue;
    if (limit < 1 || limit > MAX_LIMIT || remain > limit || timeLeftMs > MAX_TIME_LEFT_MS) continue;
    if (!best || remain < best.remain || (remain === best.remain && timeLeftMs > best.timeLeftMs)) best = { limit, remain, timeLeftMs };
  }
  return best;
}

type Body = Record<string, unknown>;
type Runtime = Parameters<OpenApiClient['callApi']>[2];

export function createCenClient(opts: ClientOptions): CenApi {
  const { protocol, host } = typeof opts.endpoint === 'string' ? parseEndpoint(opts.endpoint) : opts.endpoint;
  const connectTimeout = numberOption('connectTimeoutMs', opts.connectTimeoutMs, 10_000, MILLISECONDS);
  const readTimeout = numberOption('readTimeoutMs', opts.readTimeoutMs, 30_000, MILLISECONDS);
  if (opts.signatureAlgorithm !== undefined && opts.signatureAlgorithm !== 'v2' && opts.signatureAlgorithm !== 'v3') {
    throw new TypeError(`Expected \`signatureAlgorithm\` to be 'v2' or 'v3', got ${JSON.stringify(opts.signatureAlgorithm)}`);
  }
  releaseReadTimers(); // httpx would otherwise keep each finished exchange alive for its read timeout (readtimer.ts)
  const credential = opts.credential;
  const onRateLimit = opts.onRateLimit;
  // The library wants an @alicloud/credentials object; only getCredential() is used.
  const libCredential = {
    async getCredential() {
      const c = await credential.getCredential();
      return { ...c, type: c.securityToken ? 'sts' : 'access_key', providerName: 'cen-flowlog' };
    },
  };
  const client = new OpenApiClient(
    new Config({
      endpoint: host,
      protocol,
      connectTimeout,
      readTimeout,
      credential: libCredential as unknown as Config['credential'],
      signatureAlgorithm: opts.signatureAlgorithm === 'v2' ? 'v2' : undefined,
    }),
  );

  async function call(action: string, query: Record<string, unknown>, flowLogId?: string, opts: CallOptions = {}): Promise<Body> {
    const params = new Params({
      action,
      version: VERSION,
      protocol,
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      pathname: '/',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const callId = randomUUID();
    const request = new OpenApiRequest({ query: OpenApiUtil.query(withoutUnset(query)), headers: { [CALL_HEADER]: callId } });
    const timeout = opts.timeoutMs === undefined ? undefined : Math.max(1, Math.min(readTimeout, Math.ceil(opts.timeoutMs)));
    const runtime = (timeout === undefined ? {} : { readTimeout: timeout, connectTimeout: Math.min(connectTimeout, timeout) }) as Runtime;
    let body: unknown;
    let timeLeftMs: number | undefined;
    const onResponse = (msg: unknown) => {
      const { request: req, response } = msg as { request: ClientRequest; response: IncomingMessage };
      if (req.getHeader(CALL_HEADER) !== callId) return;
      timeLeftMs = throttlingTimeLeft(response.headers);
      if (!onRateLimit) return;
      try {
        onRateLimit(rateLimitState(response.headers), { throttled: response.statusCode !== undefined && response.statusCode >= 400 });
      } catch {
        // a pacing hint: a failing observer must not fail the call
      }
    };
    // The library drops response headers from its errors; the throttling headers are read here instead.
    diagnostics.subscribe(RESPONSE_CHANNEL, onResponse);
    try {
      body = (await client.callApi(params, request, runtime)).body;
    } catch (err) {
      throw toCenApiError(action, err, flowLogId, timeLeftMs);
    } finally {
      diagnostics.unsubscribe(RESPONSE_CHANNEL, onResponse);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new CenApiError({
        action,
        code: 'InvalidResponse',
        statusCode: 200,
        flowLogId,
        serverMessage: 'The response body is not a JSON object',
      });
    }
    const b = body as Body;
    if (typeof b.Code === 'string' && !isTrue(b.Success)) {
      throw new CenApiError({
        action,
        code: b.Code,
        statusCode: 200,
        requestId: str(b.RequestId),
        serverMessage: str(b.Message),
        flowLogId,
      });
    }
    return b;
  }
  const ack = async (action: string, query: Record<string, unknown>, id?: string, opts?: CallOptions) => ({
    requestId: str((await call(action, query, id, opts)).RequestId) ?? '',
  });
  const ref = ({ RegionId, FlowLogId, CenId, ClientToken }: FlowLogRef) => ({ RegionId, FlowLogId, CenId, ClientToken });
  /** The tag actions address flow logs as resources of type Flowlog. */
  const resources = ({ RegionId, ResourceIds }: { RegionId: string; ResourceIds: string[] }) => ({
    RegionId,
    ResourceType: 'Flowlog',
    ResourceId: ResourceIds,
  });

  return {
    async createFlowlog(req, opts) {
      const { Tags, ...rest } = req;
      const b = await call('CreateFlowlog', { ...rest, Tag: Tags }, undefined, opts);
      const flowLogId = str(b.FlowLogId);
      if (!flowLogId) {
        throw new CenApiError({
          action: 'CreateFlowlog',
          code: 'InvalidResponse',
          statusCode: 200,
          requestId: str(b.RequestId),
          serverMessage: 'The response has no FlowLogId',
        });
      }
      return { flowLogId, requestId: str(b.RequestId) ?? '' };
    },
    async describeFlowlogs(req, opts) {
      const { Tags, ...rest } = req;
      const b = await call('DescribeFlowlogs', { ...rest, Tag: Tags }, req.FlowLogId, opts);
      const container = b.FlowLogs as { FlowLog?: unknown } | undefined;
      const items = Array.isArray(container?.FlowLog) ? container.FlowLog : [];
      return {
        flowLogs: items.map(normaliseFlowLog),
        totalCount: num(b.TotalCount) ?? items.length,
        pageNumber: num(b.PageNumber) ?? req.PageNumber ?? 1,
        pageSize: num(b.PageSize) ?? req.PageSize ?? 20,
        requestId: str(b.RequestId) ?? '',
      };
    },
    modifyFlowLogAttribute: (req, opts) =>
      ack(
        'ModifyFlowLogAttribute',
        { ...ref(req), FlowLogName: req.FlowLogName, Description: req.Description, Interval: req.Interval },
        req.FlowLogId,
        opts,
      ),
    activeFlowLog: (req, opts) => ack('ActiveFlowLog', ref(req), req.FlowLogId, opts),
    deactiveFlowLog: (req, opts) => ack('DeactiveFlowLog', ref(req), req.FlowLogId, opts),
    deleteFlowlog: (req, opts) => ack('DeleteFlowlog', ref(req), req.FlowLogId, opts),
    tagResources: (req, opts) => ack('TagResources', { ...resources(req), Tag: req.Tags }, req.ResourceIds.join(','), opts),
    untagResources: (req, opts) => ack('UntagResources', { ...resources(req), TagKey: req.TagKeys }, req.ResourceIds.join(','), opts),
  };
}

/** Turn whatever the library threw into a CenApiError. Matches codes and names, never message text. */
export function toCenApiError(action: string, err: unknown, flowLogId?: string, retryAfterMs?: number): CenApiError {
  if (err instanceof CenApiError) {
    return new CenApiError({
      action,
      code: err.code,
      statusCode: err.statusCode,
      requestId: err.requestId,
      serverMessage: err.serverMessage,
      network: err.network,
      flowLogId,
      originalError: err.cause,
      retryAfterMs: err.retryAfterMs,
    });
  }
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    code?: unknown;
    name?: unknown;
    statusCode?: unknown;
    data?: unknown;
  };
  const data = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Body;
  const statusCode = num(e.statusCode) ?? num(data.statusCode);
  if (statusCode !== undefined) {
    const code = str(data.Code) ?? str(data.code) ?? `Http${statusCode}`;
    return new CenApiError({
      action,
      code,
      statusCode,
      requestId: str(data.RequestId) ?? str(data.requestId),
      serverMessage: str(data.Message) ?? str(data.message),
      flowLogId,
      originalError: err,
      retryAfterMs,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  if (e.name === 'RequestTimeoutError') {
    return new CenApiError({ action, code: 'RequestTimeout', network: true, serverMessage: message, flowLogId, originalError: err });
  }
  if (typeof e.code === 'string' && /^E[A-Z0-9_]+$/.test(e.code)) {
    return new CenApiError({ action, code: e.code, network: true, serverMessage: message, flowLogId, originalError: err });
  }
  if (err instanceof SyntaxError) {
    return new CenApiError({ action, code: 'InvalidResponse', serverMessage: 'The response is not JSON', flowLogId, originalError: err });
  }
  const code = typeof e.code === 'string' && e.code !== '' ? e.code : 'ClientError';
  return new CenApiError({ action, code, serverMessage: message, flowLogId, originalError: err });
}

function normaliseFlowLog(raw: unknown): ApiFlowLog {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Body;
  const tags = (r.Tags as { Tag?: unknown } | undefined)?.Tag;
  const out: ApiFlowLog = {
    FlowLogId: str(r.FlowLogId) ?? '',
    Tags: Array.isArray(tags) ? tags.map((t: Body) => ({ Key: str(t.Key) ?? '', Value: str(t.Value) ?? '' })) : [],
  };
  for (const k of [
    'FlowLogName',
    'Description',
    'CenId',
    'RegionId',
    'Status',
    'ProjectName',
    'LogStoreName',
    'LogFormatString',
    'FlowLogVersion',
    'TransitRouterId',
    'TransitRouterAttachmentId',
    'CreationTime',
  ] as const) {
    const v = str(r[k]);
    if (v !== undefined) out[k] = v;
  }
  const interval = num(r.Interval);
  if (interval !== undefined) out.Interval = interval;
  return out;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

const isTrue = (v: unknown): boolean => v === true || v === 'true';
