/**
 * Provider settings, read at run time in the provider process from the stack
 * config (the keys pulumi-alicloud users already set) and the environment.
 * Nothing here is ever serialized, written to state or logged.
 */
import * as pulumi from '@pulumi/pulumi';
import type { CredentialSettings } from '../transport/credentials';
import { parseEndpoint, type Endpoint } from '../transport/endpoint';
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
  /** How a message names the setting a stack-config key stands for. @default the key itself */
  label?(key: string): string;
}

/** One setting: where it is read (stack config key, then environment variables) and what it means. */
export interface SettingSpec {
  /** The stack config key the dynamic resource reads (pulumi-alicloud's keys where they exist). */
  configKey: string;
  /** Environment variables read after the config, in order. */
  env: readonly string[];
  /** Whether the value is a credential: stored encrypted, never logged. */
  secret: boolean;
  type: 'string' | 'number';
  description: string;
}

/**
 * Every provider setting, by the name a provider plugin's config uses (`cen-flowlog:region`,
 * an explicit provider's `region`). readSettings() reads each from its `configKey`, then `env`.
 */
export const SETTINGS = {
  region: {
    configKey: 'alicloud:region',
    env: ['ALICLOUD_REGION', 'ALIBABA_CLOUD_REGION_ID'],
    secret: false,
    type: 'string',
    description: 'The region of flow logs that do not set `regionId` (e.g. `cn-hangzhou`), and where `pulumi import` looks.',
  },
  accessKey: {
    configKey: 'alicloud:accessKey',
    env: ['ALICLOUD_ACCESS_KEY'],
    secret: false,
    type: 'string',
    description:
      'The AccessKey ID. Unset, the default credential chain applies (ALIBABA_CLOUD_ACCESS_KEY_ID, the aliyun CLI profile, an ECS RAM role, …).',
  },
  secretKey: {
    configKey: 'alicloud:secretKey',
    env: ['ALICLOUD_SECRET_KEY'],
    secret: true,
    type: 'string',
    description: 'The AccessKey secret. Stored encrypted in the stack.',
  },
  securityToken: {
    configKey: 'alicloud:securityToken',
    env: ['ALICLOUD_SECURITY_TOKEN'],
    secret: true,
    type: 'string',
    description: 'An STS security token, with temporary AccessKeys. Stored encrypted in the stack.',
  },
  profile: {
    configKey: 'alicloud:profile',
    env: ['ALICLOUD_PROFILE'],
    secret: false,
    type: 'string',
    description: 'A profile of the aliyun CLI configuration (`~/.aliyun/config.json`) to take credentials from.',
  },
  endpoint: {
    configKey: ENDPOINT_CONFIG_KEY,
    env: [ENDPOINT_ENV],
    secret: false,
    type: 'string',
    description: `The CEN API endpoint: a URL or host name; plain HTTP only to 127.0.0.1 or localhost (the emulator). Default: \`${DEFAULT_ENDPOINT}\`.`,
  },
  requestTimeout: {
    configKey: REQUEST_TIMEOUT_CONFIG_KEY,
    env: [REQUEST_TIMEOUT_ENV],
    secret: false,
    type: 'string',
    description: 'Connect and read timeout of one HTTP request, a duration like `"30s"` or `"2m"`. Default: `"30s"`.',
  },
  requestsPerSecond: {
    configKey: RATE_CONFIG_KEY,
    env: [RATE_ENV],
    secret: false,
    type: 'number',
    description: "A ceiling on the request rate (per endpoint and AccessKey); unset, the rate adapts to the account's limit by itself.",
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;

/**
 * Settings given by name (a provider plugin's config) as a ConfigSource: each answers for its
 * stack config key, and messages name the setting as the user wrote it (`prefix` + name).
 */
export function namedSettings(values: Partial<Record<SettingName, string>>, prefix = ''): ConfigSource {
  const byKey = new Map<string, SettingName>(Object.entries(SETTINGS).map(([name, spec]) => [spec.configKey, name as SettingName]));
  return {
    get: (key) => {
      const name = byKey.get(key);
      return name === undefined ? undefined : values[name];
    },
    label: (key) => {
      const name = byKey.get(key);
      return name === undefined ? key : `${prefix}${name}`;
    },
  };
}

export interface ProviderSettings {
  /** Parsed and checked once, here; the client takes it as it is. */
  endpoint: Endpoint;
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
  const read = (name: SettingName): string | undefined => readSetting(name, config, env);
  const from = (name: SettingName): string => {
    const spec: SettingSpec = SETTINGS[name];
    return `(from ${config?.label?.(spec.configKey) ?? spec.configKey} or ${spec.env.join(' or ')})`;
  };
  return {
    endpoint: normalizeEndpoint(read('endpoint') ?? DEFAULT_ENDPOINT, from('endpoint')),
    requestTimeoutMs: requestTimeout(read('requestTimeout'), from('requestTimeout')),
    requestsPerSecond: requestRate(read('requestsPerSecond'), from('requestsPerSecond')),
    region: defaultRegion(config, env),
    credentials: {
      accessKey: read('accessKey'),
      secretKey: read('secretKey'),
      securityToken: read('securityToken'),
      profile: read('profile'),
    },
  };
}

/**
 * The region of a flow log that does not name one, for the resource, the provider, `getFlowlogs` and the
 * command alike: `alicloud:region`, then ALICLOUD_REGION (pulumi-alicloud's), then ALIBABA_CLOUD_REGION_ID (the SDK's).
 */
export function defaultRegion(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return readSetting('region', config, env);
}

/** One setting: its stack config key, then its environment variables, in the order {@link SETTINGS} gives. */
function readSetting(name: SettingName, config: ConfigSource | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const spec: SettingSpec = SETTINGS[name];
  return nonEmpty(config?.get(spec.configKey), ...spec.env.map((e) => env[e]));
}

/**
 * A full URL; a bare host gets https. Plain HTTP is refused for anything but
 * loopback, where the emulator runs: credentials must never cross a network in clear.
 */
export function normalizeEndpoint(raw: string, from = `(from ${ENDPOINT_CONFIG_KEY} or ${ENDPOINT_ENV})`): Endpoint {
  const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`;
  try {
    return parseEndpoint(withScheme);
  } catch (err) {
    const hint =
      withScheme.startsWith('http:') && /^http:\/\/[^/]/i.test(withScheme)
        ? 'it uses plain HTTP to a host that is not loopback; credentials would travel in clear. Use https, or http only for 127.0.0.1 / localhost (the emulator).'
        : (err as Error).message;
    throw new Error(`The CEN endpoint ${JSON.stringify(raw)} ${from} is not usable: ${hint}`, { cause: err });
  }
}

function requestTimeout(raw: string | undefined, from: string): number {
  if (raw === undefined) return DEFAULT_REQUEST_TIMEOUT_MS;
  const ms = parseDuration(raw);
  if (ms === undefined) {
    throw new Error(`The request timeout ${JSON.stringify(raw)} ${from} is not a duration like "30s" or "2m".`);
  }
  return ms;
}

function requestRate(raw: string | undefined, from: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`The request rate ${JSON.stringify(raw)} ${from} must be a positive number of requests per second.`);
  }
  return n;
}
