/**
 * check(): every documented input rule, one failure per bad property, and the
 * one place where inputs are normalised (defaults, tag order, number forms).
 * Pure: no I/O. Unknown values (preview) are skipped, never errors.
 */
import { DEFAULT_STATUS, FlowlogInputs, LOG_FIELDS, LOG_FORMAT_PREFIX, NormalizedInputs } from './model';
import { parseDuration } from './duration';

/** The engine's placeholder for a value not known until apply. */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

export interface CheckFailure { property: string; reason: string }
export interface CheckOutcome { inputs: NormalizedInputs; failures: CheckFailure[] }


const KNOWN_KEYS = new Set<string>([
  'regionId', 'cenId', 'transitRouterId', 'transitRouterAttachmentId', 'projectName', 'logStoreName',
  'flowLogName', 'description', 'interval', 'logFormatString', 'tags', 'status', 'timeouts', 'adopt',
]);
/** Keys the engine or our own outputs put beside the inputs. */
const IGNORED_KEYS = new Set(['__provider', 'flowLogId', 'creationTime', 'flowLogVersion']);

export const isUnknown = (v: unknown): boolean => v === UNKNOWN;
const isSet = (v: unknown): boolean => v !== undefined && v !== null;
const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

type Rule = (value: unknown) => string | undefined;

const text = (max: number, what: string): Rule => (v) => {
  if (typeof v !== 'string') return `must be a string, got ${show(v)}`;
  if (v.length > max) return `must be empty or 1 to ${max} characters long, got ${v.length} characters`;
  if (/^https?:\/\//i.test(v)) return `must not start with "http://" or "https://", got ${show(v)}`;
  return undefined;
};

const id = (what: string, example: string): Rule => (v) => {
  if (typeof v !== 'string' || v.trim() === '') return `is required: the ${what} (e.g. "${example}"), got ${show(v)}`;
  if (/\s/.test(v)) return `must be a ${what} without spaces (e.g. "${example}"), got ${show(v)}`;
  return undefined;
};

const slsName = (pattern: RegExp, chars: string, example: string): Rule => (v) => {
  if (typeof v !== 'string' || v === '') return `is required: 3 to 63 characters of ${chars} (e.g. "${example}"), got ${show(v)}`;
  if (v.length < 3 || v.length > 63) return `must be 3 to 63 characters long, got ${v.length} (${show(v)})`;
  if (!pattern.test(v)) return `may contain only ${chars} and must start and end with a lowercase letter or digit, got ${show(v)}`;
  return undefined;
};

export function checkLogFormat(v: unknown): string | undefined {
  if (typeof v !== 'string') return `must be a string like "${LOG_FORMAT_PREFIX}", got ${show(v)}`;
  if (!/^(\$\{[^${}]+\})+$/.test(v)) return `must be a list of fields written \${field}\${field}…, got ${show(v)}`;
  if (!v.startsWith(LOG_FORMAT_PREFIX)) return `must start with the required fields "${LOG_FORMAT_PREFIX}", got ${show(v)}`;
  const fields = [...v.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]);
  const unknown = fields.filter((f) => !(LOG_FIELDS as readonly string[]).includes(f));
  if (unknown.length > 0) return `names unknown field(s) ${unknown.map((f) => `"${f}"`).join(', ')}; known fields: ${LOG_FIELDS.join(', ')}`;
  const dup = fields.find((f, i) => fields.indexOf(f) !== i);
  if (dup) return `names the field "${dup}" twice`;
  return undefined;
}

const RULES: Partial<Record<keyof FlowlogInputs, Rule>> = {
  regionId: (v) => (typeof v === 'string' && /^[a-z]{2,}(-[a-z0-9]+)+$/.test(v)
    ? undefined
    : `must be a region id like "cn-hangzhou" (set it, or set the stack config alicloud:region), got ${show(v)}`),
  cenId: id('CEN instance id', 'cen-7qthudw0ll6jmc****'),
  transitRouterId: id('transit router id', 'tr-bp1rmwxnk221e3fas****'),
  transitRouterAttachmentId: (v) => (isSet(v) ? id('transit router attachment id', 'tr-attach-r6g0m3epjehw57****')(v) : undefined),
  projectName: slsName(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/, 'lowercase letters, digits and hyphens', 'flowlog-project'),
  logStoreName: slsName(/^[a-z0-9][a-z0-9_-]*[a-z0-9]$/, 'lowercase letters, digits, hyphens and underscores', 'flowlog-logstore'),
  flowLogName: (v) => (isSet(v) ? text(128, 'flowLogName')(v) : undefined),
  description: (v) => (isSet(v) ? text(256, 'description')(v) : undefined),
  interval: (v) => (!isSet(v) || v === 60 || v === 600 ? undefined : `must be 60 or 600 (seconds), got ${show(v)}`),
  logFormatString: (v) => (isSet(v) ? checkLogFormat(v) : undefined),
  status: (v) => {
    if (!isSet(v) || v === 'Active' || v === 'Inactive') return undefined;
    const hint = typeof v === 'string' && /^in-?active$/i.test(v) ? ' (did you mean "Inactive"?)' : '';
    return `must be "Active" or "Inactive"${hint}, got ${show(v)}`;
  },
  adopt: (v) => (!isSet(v) || typeof v === 'boolean' || (typeof v === 'string' && /^\S+$/.test(v))
    ? undefined
    : `must be true (find the flow log on the transit router or attachment) or a flow-log id like "flowlog-m5evbtbpt****", got ${show(v)}`),
};

const TAG_PREFIX = /^(aliyun|acs:)/i;
const TAG_URL = /https?:\/\//i;

export function checkTags(tags: unknown): string[] {
  if (!isSet(tags) || isUnknown(tags)) return [];
  if (typeof tags !== 'object' || Array.isArray(tags)) return [`must be a map of tag keys to values, got ${show(tags)}`];
  const entries = Object.entries(tags as Record<string, unknown>);
  const problems: string[] = [];
  if (entries.length > 20) problems.push(`may hold at most 20 tags, got ${entries.length}`);
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > 64) problems.push(`key ${show(key)} must be 1 to 64 characters long`);
    if (TAG_PREFIX.test(key)) problems.push(`key ${show(key)} must not start with "aliyun" or "acs:"`);
    if (TAG_URL.test(key)) problems.push(`key ${show(key)} must not contain "http://" or "https://"`);
    if (isUnknown(value)) continue;
    if (typeof value !== 'string') { problems.push(`value of ${show(key)} must be a string, got ${show(value)}`); continue; }
    if (value.length > 128) problems.push(`value of ${show(key)} must be at most 128 characters, got ${value.length}`);
    if (TAG_PREFIX.test(value)) problems.push(`value of ${show(key)} must not start with "aliyun" or "acs:"`);
    if (TAG_URL.test(value)) problems.push(`value of ${show(key)} must not contain "http://" or "https://"`);
  }
  return problems;
}

function checkTimeouts(v: unknown): string | undefined {
  if (!isSet(v) || isUnknown(v)) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) return `must be an object like { create: "10m" }, got ${show(v)}`;
  for (const [k, d] of Object.entries(v as Record<string, unknown>)) {
    if (!['create', 'update', 'delete'].includes(k)) return `has an unknown key "${k}" (allowed: create, update, delete)`;
    if (isSet(d) && !isUnknown(d) && parseDuration(d) === undefined) return `.${k} must be a duration like "90s", "10m" or "1h", got ${show(d)}`;
  }
  return undefined;
}

/** Numbers that arrive as strings (YAML programs, config) become numbers once, here. */
function normalizeNumber(v: unknown): unknown {
  return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
}

function sortedTags(tags: unknown): Record<string, string> {
  if (!isSet(tags)) return {};
  if (isUnknown(tags) || typeof tags !== 'object') return tags as Record<string, string>;
  return Object.fromEntries(Object.entries(tags as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Validates and normalises `news`. `defaultRegion` is the stack's `alicloud:region`
 * (or ALIBABA_CLOUD_REGION_ID) as the provider process sees it.
 */
export function checkInputs(news: Record<string, unknown>, defaultRegion?: string): CheckOutcome {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(news ?? {})) if (isSet(v) && !IGNORED_KEYS.has(k)) raw[k] = v;
  if (!isSet(raw.regionId) && defaultRegion) raw.regionId = defaultRegion;
  raw.interval = normalizeNumber(raw.interval);
  if (!isSet(raw.interval)) delete raw.interval;
  if (raw.flowLogName === '') delete raw.flowLogName;
  if (raw.description === '') delete raw.description;

  const failures: CheckFailure[] = [];
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) failures.push({ property: key, reason: `${key} is not a CenFlowlog argument (known: ${[...KNOWN_KEYS].join(', ')})` });
  }
  for (const [key, rule] of Object.entries(RULES) as [keyof FlowlogInputs, Rule][]) {
    const value = raw[key];
    if (isUnknown(value)) continue;
    const reason = rule(value);
    if (reason) failures.push({ property: key, reason: `${key} ${reason}` });
  }
  const tagProblems = checkTags(raw.tags);
  if (tagProblems.length > 0) failures.push({ property: 'tags', reason: `tags: ${tagProblems.join('; ')}` });
  const timeoutProblem = checkTimeouts(raw.timeouts);
  if (timeoutProblem) failures.push({ property: 'timeouts', reason: `timeouts ${timeoutProblem}` });

  const inputs = { ...raw, tags: sortedTags(raw.tags), status: raw.status ?? DEFAULT_STATUS } as NormalizedInputs;
  return { inputs, failures };
}
