/**
 * A local emulator of the CEN flow-log OpenAPI (Cbn 2017-09-12) that speaks the real wire
 * protocol, for tests, demos and previews without an Alibaba Cloud account.
 */
import type { Server } from 'node:http';
import { NonceCache } from './auth';
import { Faults } from './faults';
import { RequestLog } from './requestlog';
import { createEmulatorServer, type Gateway } from './server';
import { Service } from './service';
import { RateLimiter } from './throttle';
import { buildTopology } from './topology';
import type { AccessKey, Emulator, EmulatorOptions } from './types';

export * from './types';
export { DEFAULT_TOPOLOGY, EMULATOR_IDS } from './topology';
export { DEFAULT_LOG_FORMAT, LOG_FIELDS } from './validate';
export { DEFAULT_LOG_STORE, FLOW_LOG_VERSION, defaultProjectName } from './actions/create';
export { MAX_REQUEST_LINE_BYTES } from './wire';

export const DEFAULT_ACCESS_KEY_ID = 'emulator-access-key-id';
export const DEFAULT_ACCESS_KEY_SECRET = 'emulator-access-key-secret';
export const LIBRARY_DELAYS = { createMs: 50, modifyMs: 50, deleteMs: 50 } as const;

function checkDelay(name: string, value: number | undefined, dflt: number): number {
  if (value === undefined) return dflt;
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`Expected \`delays.${name}\` to be >= 0, got ${value}`);
  return value;
}

function keyRing(options: EmulatorOptions): Map<string, AccessKey> {
  const main: AccessKey = {
    accessKeyId: options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
    accessKeySecret: options.accessKeySecret ?? DEFAULT_ACCESS_KEY_SECRET,
    securityToken: options.securityToken,
  };
  const keys = new Map<string, AccessKey>();
  for (const key of [main, ...(options.extraKeys ?? [])]) {
    if (!key.accessKeyId || !key.accessKeySecret) throw new TypeError('Expected every AccessKey to have accessKeyId and accessKeySecret');
    keys.set(key.accessKeyId, key);
  }
  return keys;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Start an emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const d = options.delays ?? {};
  const delays = {
    createMs: checkDelay('createMs', d.createMs, LIBRARY_DELAYS.createMs),
    modifyMs: checkDelay('modifyMs', d.modifyMs, LIBRARY_DELAYS.modifyMs),
    deleteMs: checkDelay('deleteMs', d.deleteMs, LIBRARY_DELAYS.deleteMs),
  };
  const allDelays = { ...delays, modifyAttributeMs: checkDelay('modifyAttributeMs', d.modifyAttributeMs, delays.modifyMs) };
  const defaultLogFormat = options.defaultLogFormat ?? 'fill';
  if (defaultLogFormat !== 'fill' && defaultLogFormat !== 'empty') {
    throw new TypeError(`Expected \`defaultLogFormat\` to be fill or empty, got ${String(defaultLogFormat).slice(0, 40)}`);
  }
  const deleteWithoutLogStore = options.deleteWithoutLogStore ?? 'remove';
  if (deleteWithoutLogStore !== 'remove' && deleteWithoutLogStore !== 'keep') {
    throw new TypeError(`Expected \`deleteWithoutLogStore\` to be remove or keep, got ${String(deleteWithoutLogStore).slice(0, 40)}`);
  }
  const keys = keyRing(options);
  const service = new Service({
    topology: buildTopology(options.topology, options.quota),
    delays: allDelays,
    defaultLogFormat,
    deleteWithoutLogStore,
    stateFile: options.stateFile,
  });
  const faults = new Faults(service);
  const log = new RequestLog();
  const timers = new Set<NodeJS.Timeout>();
  const gateway: Gateway = {
    keys,
    nonces: new NonceCache(),
    faults,
    service,
    log,
    logRequests: options.logRequests ?? false,
    limiter: new RateLimiter(options.ratePerSecond ?? 100, options.burst ?? 200),
    sleep: (ms) =>
      new Promise((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, ms);
        timers.add(t);
      }),
  };
  const server = createEmulatorServer(gateway, { service, faults, log });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  const main = keys.values().next().value as AccessKey;
  const hostPort = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    endpoint: `http://${hostPort}`,
    host: hostPort,
    port,
    accessKeyId: main.accessKeyId,
    accessKeySecret: main.accessKeySecret,
    securityToken: main.securityToken,
    topology: service.account.topology,
    faults,
    flowLogs: () => service.views(),
    requests: () => log.list(),
    callCounts: () => log.callCounts(),
    resetRequestLog: () => log.reset(),
    updateFlowLog: (id, patch) => service.update(id, patch),
    setSystemTags: (id, tags) => service.setSystemTags(id, tags),
    deleteFlowLog: (id) => service.remove(id),
    removeLogProject: (name) => service.removeProject(name),
    removeLogStore: (project, logStore) => service.removeLogStore(project, logStore),
    seedFlowLogs: (count) => service.seed(count),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
