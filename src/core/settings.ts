/**
 * Provider settings, read at run time in the provider process from the stack
 * config (the keys pulumi-alicloud users already set) and the environment.
 * Nothing here is ever serialized, written to state or logged.
 */
import * as pulumi from '@pulumi/pulumi';
import type { CredentialSettings } from '../transport/credentials';
import { parseEndpoint } from '../transport/endpoint';
import { parseDuration } from '../model/duration';

export const DEFAULT_ENDPOINT = 'https://cbn.aliyuncs.com';
export const ENDPOINT_CONFIG_KEY = 'cenFlowlog:endpoint';
export const ENDPOINT_ENV = 'CEN_FLOWLOG_ENDPOINT';
export const REQUEST_TIMEOUT_CONFIG_KEY = 'cenFlowlog:requestTimeout';
export const REQUEST_TIMEOUT_ENV = 'CEN_FLOWLOG_REQUEST_TIMEOUT';
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const RATE_CONFIG_KEY = 'cenFlowlog:requestsPerSecond';
export const RATE_ENV = 'CEN_FLOWLOG_REQUESTS_PER_SECOND';
/**
 * The exact CEN API limits are unpublished (they live in Quota Center). Unset,
 * the budget adapts to the account's limit by itself (budget.ts); set, it is a ceiling.
 */

export interface ConfigSource {
  get(key: string): string | undefined;
}

export interface ProviderSettings {
  endpoint: string;
  /** The default region for resources that do not set `regionId`. */
  region?: string;
  credentials: CredentialSettings;
  /** Connect and read timeout of one HTTP request (both are set: the client's 3 s default breaks slow calls). */
  requestTimeoutMs: number;
  /** A ceiling on the provider process's adaptive request rate per endpoint and credentials; undefined = adapt freely. */
  requestsPerSecond?: number;
}

/** The running program's stack config; outside a Pulumi program it is empty and the environment decides. */
export const programConfig: ConfigSource = { get: (key) => pulumi.runtime.getConfig(key) };

const nonEmpty = (...values: (string | undefined)[]): string | undefined => values.find((v) => v !== undefined && v.trim() !== '')?.trim();

/** Stack config first, then the environment (pulumi-alicloud's ALICLOUD_* and the SDK's ALIBABA_CLOUD_*). */
export function readSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): ProviderSettings {
  const get = (key: string): string | undefined => config?.get(key);
  return {
    endpoint: normalizeEndpoint(nonEmpty(get(ENDPOINT_CONFIG_KEY), env[ENDPOINT_ENV]) ?? DEFAULT_ENDPOINT),
    requestTimeoutMs: requestTimeout(nonEmpty(get(REQUEST_TIMEOUT_CONFIG_KEY), env[REQUEST_TIMEOUT_ENV])),
    requestsPerSecond: requestRate(nonEmpty(get(RATE_CONFIG_KEY), env[RATE_ENV])),
    region: defaultRegion(config, env),
    credentials: {
      accessKey: nonEmpty(get('alicloud:accessKey'), env.ALICLOUD_ACCESS_KEY),
      secretKey: nonEmpty(get('alicloud:secretKey'), env.ALICLOUD_SECRET_KEY),
      securityToken: nonEmpty(get('alicloud:securityToken'), env.ALICLOUD_SECURITY_TOKEN),
      profile: nonEmpty(get('alicloud:profile'), env.ALICLOUD_PROFILE),
    },
  };
}

/**
 * The region of a flow log that does not name one, for the resource, the provider, `getFlowlogs` and the
 * command alike: `alicloud:region`, then ALICLOUD_REGION (pulumi-alicloud's), then ALIBABA_CLOUD_REGION_ID (the SDK's).
 */
export function defaultRegion(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return nonEmpty(config?.get('alicloud:region'), env.ALICLOUD_REGION, env.ALIBABA_CLOUD_REGION_ID);
}

/**
 * A full URL; a bare host gets https. Plain HTTP is refused for anything but
 * loopback, where the emulator runs: credentials must never cross a network in clear.
 */
export function normalizeEndpoint(raw: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`;
  const from = `(from ${ENDPOINT_CONFIG_KEY} or ${ENDPOINT_ENV})`;
  let parsed: ReturnType<typeof parseEndpoint>;
  try {
    parsed = parseEndpoint(withScheme);
  } catch (err) {
    const hint =
      withScheme.startsWith('http:') && /^http:\/\/[^/]/i.test(withScheme)
        ? 'it uses plain HTTP to a host that is not loopback; credentials would travel in clear. Use https, or http only for 127.0.0.1 / localhost (the emulator).'
        : (err as Error).message;
    throw new Error(`The CEN endpoint ${JSON.stringify(raw)} ${from} is not usable: ${hint}`, { cause: err });
  }
  return `${parsed.protocol.toLowerCase()}://${parsed.host}`;
}

function requestTimeout(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_REQUEST_TIMEOUT_MS;
  const ms = parseDuration(raw);
  if (ms === undefined) {
    throw new Error(
      `The request timeout ${JSON.stringify(raw)} (from ${REQUEST_TIMEOUT_CONFIG_KEY} or ${REQUEST_TIMEOUT_ENV}) is not a duration like "30s" or "2m".`,
    );
  }
  return ms;
}

function requestRate(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(
      `The request rate ${JSON.stringify(raw)} (from ${RATE_CONFIG_KEY} or ${RATE_ENV}) must be a positive number of requests per second.`,
    );
  }
  return n;
}
