/**
 * The gateway: GET or POST / with the business parameters in the query (or, for POST, a
 * form-encoded body), signed with ACS3 (v3) or HMAC-SHA1 (v2). Order as the real gateway: path and method, action and version, signature,
 * flow control, then the action (where faults apply).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { handleAdmin, type AdminDeps } from './admin';
import { ACTIONS, API_VERSION } from './actions';
import { COMMON_PARAMS, NonceCache, authenticate, requestedAction, type SignedRequest } from './auth';
import { ApiError, errorBody, newRequestId } from './errors';
import type { Faults } from './faults';
import type { RequestLog } from './requestlog';
import type { Service } from './service';
import { rateLimitHeaders, type RateLimiter } from './throttle';
import type { AccessKey, RequestLogEntry } from './types';
import { MAX_HEADER_BYTES, MAX_REQUEST_LINE_BYTES, parseForm, readBody, sendError, sendJson, toApiError } from './wire';

/** The API metadata says `GET|POST` for every action. */
const METHODS = new Set(['GET', 'POST']);

export interface Gateway {
  keys: ReadonlyMap<string, AccessKey>;
  nonces: NonceCache;
  limiter: RateLimiter;
  faults: Faults;
  service: Service;
  log: RequestLog;
  logRequests: boolean;
  /** Resolves after `ms`, or never if the emulator closes first. */
  sleep(ms: number): Promise<void>;
}

async function parse(req: IncomingMessage): Promise<SignedRequest> {
  const url = req.url ?? '/';
  const method = req.method ?? '';
  // The request line is ASCII (anything else is refused below), so characters are bytes.
  const lineBytes = method.length + url.length + ` HTTP/${req.httpVersion}`.length + 1;
  if (lineBytes > MAX_REQUEST_LINE_BYTES) {
    throw new ApiError('RequestURITooLong', `The request line is ${lineBytes} bytes; at most ${MAX_REQUEST_LINE_BYTES}.`);
  }
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path !== '/') throw new ApiError('InvalidPath', `Got ${path.slice(0, 100)}.`);
  if (!METHODS.has(method)) throw new ApiError('UnsupportedHTTPMethod', `Got ${method.slice(0, 20)}.`);
  const body = await readBody(req);
  const isForm = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
  return {
    method,
    headers: req.headers,
    body,
    query: parseForm(q < 0 ? '' : url.slice(q + 1)),
    form: isForm ? parseForm(body.toString('latin1')) : {},
  };
}

function businessParams(req: SignedRequest): Record<string, string> {
  const params = Object.create(null) as Record<string, string>;
  for (const source of [req.form, req.query]) {
    for (const [k, v] of Object.entries(source)) if (!COMMON_PARAMS.has(k)) params[k] = v;
  }
  return params;
}

async function serve(g: Gateway, req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry, requestId: string): Promise<void> {
  const signed = await parse(req);
  const { action, version } = requestedAction(signed);
  entry.action = action;
  if (!Object.hasOwn(ACTIONS, action)) throw new ApiError('InvalidAction.NotFound', `Action ${action.slice(0, 100)} of Cbn.`);
  if (version !== API_VERSION) throw new ApiError('InvalidVersion', `Expected ${API_VERSION}, got ${version.slice(0, 100)}.`);
  const caller = authenticate(signed, g.keys, g.nonces, Date.now());
  entry.accessKeyId = caller.accessKeyId;
  const rate = g.limiter.take(caller.accessKeyId, Date.now());
  if (rate) for (const [name, value] of Object.entries(rateLimitHeaders(rate))) res.setHeader(name, value);
  if (rate && !rate.ok) throw new ApiError('Throttling.User', `Retry in ${rate.timeLeftMs} ms.`);
  const params = businessParams(signed);
  entry.params = params;
  entry.flowLogId = params.FlowLogId ?? params['ResourceId.1'];
  g.log.count(action);
  const plan = g.faults.before(action);
  if (plan.latencyMs > 0) await g.sleep(plan.latencyMs);
  if (plan.reset) {
    entry.fault = 'resetConnection';
    req.socket.destroy();
    return;
  }
  if (plan.fail) {
    entry.fault = 'failNext';
    throw plan.fail;
  }
  const result = g.service.run(action, params, caller.accessKeyId);
  entry.statusCode = 200;
  if (typeof result.FlowLogId === 'string') entry.flowLogId = result.FlowLogId;
  const drop = g.faults.drop(action);
  if (drop) {
    entry.fault = `dropResponse:${drop}`;
    if (drop === 'reset') req.socket.destroy();
    return;
  }
  sendJson(res, 200, { RequestId: requestId, ...result });
}

/** The request listener for the API (the admin endpoint is routed before this). */
export async function handleApi(g: Gateway, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newRequestId();
  const entry: RequestLogEntry = { time: new Date().toISOString(), action: '', accessKeyId: '', statusCode: 0, params: {} };
  try {
    await serve(g, req, res, entry, requestId);
  } catch (err) {
    const apiErr = toApiError(err);
    entry.statusCode = apiErr.statusCode;
    entry.code = apiErr.code;
    sendError(res, apiErr, requestId);
  }
  g.log.record(entry);
  if (g.logRequests) {
    process.stderr.write(`${entry.time} ${entry.action || '-'} ${entry.statusCode} ${entry.code ?? ''} ${entry.fault ?? ''}\n`);
  }
}

/** One HTTP server for the API and the admin endpoint; broken HTTP gets a JSON 400 too. */
export function createEmulatorServer(g: Gateway, admin: AdminDeps): Server {
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    const done = (req.url ?? '').startsWith('/__admin/') ? handleAdmin(admin, req, res) : handleApi(g, req, res);
    done.catch(() => req.socket.destroy());
  });
  server.on('clientError', (err: Error, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const apiErr =
      (err as NodeJS.ErrnoException).code === 'HPE_HEADER_OVERFLOW'
        ? new ApiError('RequestHeaderFieldsTooLarge', `The request line and headers exceed ${MAX_HEADER_BYTES} bytes.`)
        : new ApiError('MalformedRequest', err.message);
    const body = JSON.stringify(errorBody(apiErr, newRequestId()));
    const status = `${apiErr.statusCode} ${apiErr.statusCode === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}`;
    socket.end(
      `HTTP/1.1 ${status}\r\ncontent-type: application/json;charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
