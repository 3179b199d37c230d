/** The unsigned admin endpoint under /__admin/ (loopback only): state, request log, faults, drift. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, newRequestId } from './errors';
import type { Faults } from './faults';
import type { RequestLog } from './requestlog';
import type { Service } from './service';
import type { FlowLogPatch } from './types';
import { readBody, sendError, sendJson, toApiError } from './wire';

export interface AdminDeps {
  service: Service;
  faults: Faults;
  log: RequestLog;
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(address));
}

const badRequest = (why: string): ApiError => new ApiError('InvalidAdminRequest', undefined, 400, why);

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req)).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text === '' ? '{}' : text);
  } catch (err) {
    throw badRequest(`The body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('The body must be a JSON object.');
  return value as Record<string, unknown>;
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw badRequest(`The flow-log id in the path is not valid percent-encoded UTF-8: "${part.slice(0, 64)}".`);
  }
}

type Args = Record<string, unknown>;
const FAULTS: Record<string, (f: Faults, a: Args) => void> = {
  failNext: (f, a) =>
    f.failNext(a.action as string, (a.count ?? 1) as number, a.code as string, a.statusCode as number, a.message as string | undefined),
  latency: (f, a) => f.latency(a.action as string, a.ms as number),
  resetConnection: (f, a) => f.resetConnection(a.action as string, (a.count ?? 1) as number),
  dropResponse: (f, a) => f.dropResponse(a.action as string, (a.count ?? 1) as number, a.mode as 'reset' | 'hang' | undefined),
  stick: (f, a) => f.stick(a.flowLogId as string, a.status as string | undefined),
  unstick: (f, a) => f.unstick(a.flowLogId as string),
  clear: (f) => f.clear(),
};

function applyFaults(faults: Faults, body: Record<string, unknown>): void {
  const keys = Object.keys(body);
  if (keys.length === 0) throw badRequest(`Name a fault: one of ${Object.keys(FAULTS).join(', ')}.`);
  for (const key of keys) {
    const apply = FAULTS[key];
    if (!apply || !Object.hasOwn(FAULTS, key))
      throw badRequest(`Unknown fault "${key}"; expected one of ${Object.keys(FAULTS).join(', ')}.`);
    const args = body[key];
    if (key !== 'clear' && (typeof args !== 'object' || args === null)) throw badRequest(`"${key}" takes an object of arguments.`);
    apply(faults, (args ?? {}) as Args);
  }
}

async function route(deps: AdminDeps, method: string, path: string, req: IncomingMessage): Promise<unknown> {
  const { service, faults, log } = deps;
  const systemTags = /^\/__admin\/flowlogs\/([^/]+)\/system-tags$/.exec(path);
  if (systemTags && method === 'PUT') {
    const id = decodePathPart(systemTags[1]!);
    if (!service.store.get(id)) throw new ApiError('InvalidFlowlogId.NotFound', undefined, 404, `No flow log ${id}.`);
    return service.setSystemTags(id, (await readJson(req)).Tags);
  }
  const project = /^\/__admin\/projects\/([^/]+)(?:\/logstores\/([^/]+))?$/.exec(path);
  if (project && method === 'DELETE') {
    const name = decodePathPart(project[1]!);
    const logStore = project[2] === undefined ? undefined : decodePathPart(project[2]);
    const removed = logStore === undefined ? service.removeProject(name) : service.removeLogStore(name, logStore);
    if (!removed) throw new ApiError('InvalidPath', undefined, 404, `No project ${name}${logStore ? ` with Logstore ${logStore}` : ''}.`);
    return { removed: logStore === undefined ? { project: name } : { project: name, logStore } };
  }
  const flowLog = /^\/__admin\/flowlogs\/([^/]+)$/.exec(path);
  if (flowLog) {
    const id = decodePathPart(flowLog[1]!);
    if (!service.store.get(id)) throw new ApiError('InvalidFlowlogId.NotFound', undefined, 404, `No flow log ${id}.`);
    if (method === 'POST') return service.update(id, (await readJson(req)) as FlowLogPatch);
    if (method === 'DELETE') return { deleted: service.remove(id) && id };
  }
  switch (`${method} ${path}`) {
    case 'GET /__admin/state':
      return { flowLogs: service.views(), topology: service.account.topology, projects: [...service.store.projects.values()] };
    case 'GET /__admin/requests':
      return log.list();
    case 'GET /__admin/counts':
      return log.callCounts();
    case 'POST /__admin/reset-requests':
      log.reset();
      return { ok: true };
    case 'POST /__admin/faults':
      applyFaults(faults, await readJson(req));
      return { ok: true };
    case 'POST /__admin/seed': {
      const { count } = await readJson(req);
      return { flowLogIds: service.seed(count as number) };
    }
    default:
      throw new ApiError('InvalidPath', undefined, 404, `No admin route ${method} ${path}.`);
  }
}

export async function handleAdmin(deps: AdminDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newRequestId();
  try {
    if (!isLoopback(req.socket.remoteAddress))
      throw new ApiError('Forbidden', undefined, 403, 'The admin endpoint answers loopback clients only.');
    const path = (req.url ?? '').split('?')[0]!;
    sendJson(res, 200, await route(deps, req.method ?? 'GET', path, req));
  } catch (err) {
    const apiErr = err instanceof TypeError ? badRequest(err.message) : toApiError(err);
    sendError(res, apiErr, requestId);
  }
}
