/**
 * check(): every documented input rule, one failure per bad property, and the
 * one place where inputs are normalised (defaults, tag order, number forms).
 * Pure: no I/O. Unknown values (preview) are skipped, never errors.
 *
 * Lengths count characters (Unicode code points) as the service does; every
 * string must be well-formed Unicode (a lone surrogate cannot be sent); keys are
 * data (own properties only, `__proto__` included); a failure quotes at most a
 * bounded prefix of a value.
 */
import type { FieldFailure } from '../errors';
import { BLANK_MEANS_UNSET, DEFAULT_STATUS, FlowlogInputs, INPUT_FIELDS, MAX_ID_CHARS, MAX_REGION_CHARS, NormalizedInputs } from './model';
import { LOG_FIELDS, LOG_FORMAT_PREFIX, isSystemTagKey } from './facts';
import { parseDuration } from './duration';
import { sortedByKey } from './records';
import { charCount, QUOTE_CHARS, quote, unicodeProblem } from './text';

/** The engine's placeholder for a value not known until apply. */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** One failure per property, naming the field and the rule. */
export type CheckFailure = FieldFailure;
export interface CheckOutcome {
  inputs: NormalizedInputs;
  failures: CheckFailure[];
}

const KNOWN_KEYS: ReadonlySet<string> = new Set(INPUT_FIELDS);
/** Keys the engine or our own outputs put beside the inputs. */
const IGNORED_KEYS: ReadonlySet<string> = new Set(['__provider', 'flowLogId', 'creationTime', 'flowLogVersion']);
/** A field lists at most this many problems, and a check at most this many unknown arguments. */
const MAX_LISTED = 10;

export const isUnknown = (v: unknown): boolean => v === UNKNOWN;
const isSet = (v: unknown): boolean => v !== undefined && v !== null;
/** A plain object (of any realm) or a null-prototype one: not an array, a Map or a Date, whose entries would mislead. */
const isMap = (v: unknown): v is object => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
};

type Rule = (value: unknown) => string | undefined;

const text =
  (max: number): Rule =>
  (v) => {
    if (typeof v !== 'string') return `must be a string, got ${quote(v)}`;
    const n = charCount(v);
    if (n > max) return `must be empty or 1 to ${max} characters long, got ${n} characters: ${quote(v)}`;
    if (/^https?:\/\//i.test(v)) return `must not start with "http://" or "https://", got ${quote(v)}`;
    return undefined;
  };

const id =
  (what: string, example: string, optional = false): Rule =>
  (v) => {
    const unset = optional ? ', or leave it out' : '';
    if (optional && typeof v !== 'string') return `must be a ${what} (e.g. "${example}")${unset}, got ${quote(v)}`;
    if (typeof v !== 'string' || (!optional && v.trim() === '')) return `is required: the ${what} (e.g. "${example}"), got ${quote(v)}`;
    if (/\s/.test(v)) return `must be a ${what} without spaces (e.g. "${example}")${unset}, got ${quote(v)}`;
    const n = charCount(v);
    if (n > MAX_ID_CHARS) return `must be a ${what} of at most ${MAX_ID_CHARS} characters, got ${n} characters (${quote(v)})`;
    return undefined;
  };

const slsName =
  (pattern: RegExp, chars: string, example: string): Rule =>
  (v) => {
    if (typeof v !== 'string' || v === '') return `is required: 3 to 63 characters of ${chars} (e.g. "${example}"), got ${quote(v)}`;
    const n = charCount(v);
    if (n < 3 || n > 63) return `must be 3 to 63 characters long, got ${n} (${quote(v)})`;
    if (!pattern.test(v)) return `may contain only ${chars} and must start and end with a lowercase letter or digit, got ${quote(v)}`;
    return undefined;
  };

export function checkLogFormat(v: unknown): string | undefined {
  if (typeof v !== 'string') return `must be a string like "${LOG_FORMAT_PREFIX}", got ${quote(v)}`;
  if (!/^(\$\{[^${}]+\})+$/.test(v)) return `must be a list of fields written \${field}\${field}…, got ${quote(v)}`;
  if (!v.startsWith(LOG_FORMAT_PREFIX)) return `must start with the required fields "${LOG_FORMAT_PREFIX}", got ${quote(v)}`;
  const fields = [...v.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]);
  const unknown = fields.filter((f) => !(LOG_FIELDS as readonly string[]).includes(f));
  if (unknown.length > 0)
    return `names unknown field(s) ${unknown.slice(0, MAX_LISTED).map(quote).join(', ')}; known fields: ${LOG_FIELDS.join(', ')}`;
  const dup = fields.find((f, i) => fields.indexOf(f) !== i);
  if (dup) return `names the field ${quote(dup)} twice`;
  return undefined;
}

const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;

/** One rule per input field; tags and timeouts have their own checks (checkTags, checkTimeouts). */
const RULES = {
  regionId: (v) => {
    if (typeof v === 'string' && charCount(v) > MAX_REGION_CHARS)
      return `must be a region id of at most ${MAX_REGION_CHARS} characters, got ${charCount(v)} characters (${quote(v)})`;
    return typeof v === 'string' && REGION.test(v)
      ? undefined
      : `must be a region id like "cn-hangzhou" (set it, or set the stack config alicloud:region), got ${quote(v)}`;
  },
  cenId: id('CEN instance id', 'cen-7qthudw0ll6jmc****'),
  transitRouterId: id('transit router id', 'tr-bp1rmwxnk221e3fas****'),
  transitRouterAttachmentId: (v) => (isSet(v) ? id('transit router attachment id', 'tr-attach-r6g0m3epjehw57****', true)(v) : undefined),
  projectName: slsName(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/, 'lowercase letters, digits and hyphens', 'flowlog-project'),
  logStoreName: slsName(/^[a-z0-9][a-z0-9_-]*[a-z0-9]$/, 'lowercase letters, digits, hyphens and underscores', 'flowlog-logstore'),
  flowLogName: (v) => (isSet(v) ? text(128)(v) : undefined),
  description: (v) => (isSet(v) ? text(256)(v) : undefined),
  interval: (v) => (!isSet(v) || v === 60 || v === 600 ? undefined : `must be 60 or 600 (seconds), got ${quote(v)}`),
  logFormatString: (v) => (isSet(v) ? checkLogFormat(v) : undefined),
  status: (v) => {
    if (!isSet(v) || v === 'Active' || v === 'Inactive') return undefined;
    const hint = typeof v === 'string' && /^in-?active$/i.test(v) ? ' (did you mean "Inactive"?)' : '';
    return `must be "Active" or "Inactive"${hint}, got ${quote(v)}`;
  },
  adopt: (v) => {
    if (!isSet(v) || typeof v === 'boolean') return undefined;
    const why = 'must be true (find the flow log on the transit router or attachment) or a flow-log id like "flowlog-m5evbtbpt****"';
    if (typeof v !== 'string' || !/^\S+$/.test(v)) return `${why}, got ${quote(v)}`;
    const n = charCount(v);
    return n > MAX_ID_CHARS ? `${why} of at most ${MAX_ID_CHARS} characters, got ${n} characters (${quote(v)})` : undefined;
  },
} satisfies Record<Exclude<keyof FlowlogInputs, 'tags' | 'timeouts'>, Rule>;

/** Tag values follow the service's own rule, narrower than the system-tag keys of model.ts. */
const TAG_PREFIX = /^(aliyun|acs:)/i;
const TAG_URL = /https?:\/\//i;

function tagProblems(key: string, value: unknown): string[] {
  const k = quote(key);
  const problems: string[] = [];
  const keyText = unicodeProblem(key);
  if (keyText) problems.push(`key ${k} ${keyText}`);
  const n = charCount(key);
  if (n === 0 || n > 64) problems.push(`key ${k} must be 1 to 64 characters, got ${n}`);
  if (isSystemTagKey(key))
    problems.push(
      `key ${k} must not start with "aliyun", "acs:", "http://" or "https://": such keys are system tags, which the platform sets itself; a program can neither set nor remove them (CenFlowlog leaves them on the flow log)`,
    );
  else if (TAG_URL.test(key)) problems.push(`key ${k} must not contain "http://" or "https://"`);
  if (isUnknown(value)) return problems;
  if (typeof value !== 'string') return [...problems, `value of ${k} must be a string, got ${quote(value)}`];
  const valueText = unicodeProblem(value);
  if (valueText) problems.push(`value of ${k} ${valueText}`);
  const m = charCount(value);
  if (m > 128) problems.push(`value of ${k} must be at most 128 characters, got ${m}`);
  if (TAG_PREFIX.test(value)) problems.push(`value of ${k} must not start with "aliyun" or "acs:"`);
  if (TAG_URL.test(value)) problems.push(`value of ${k} must not contain "http://" or "https://"`);
  return problems;
}

/** Problems of a tags map; keys are own properties only, so `constructor` or `__proto__` are ordinary keys. */
export function checkTags(tags: unknown): string[] {
  if (!isSet(tags) || isUnknown(tags)) return [];
  if (!isMap(tags)) return [`must be a map of tag keys to values, got ${quote(tags)}`];
  const entries = Object.entries(tags);
  const problems: string[] = [];
  if (entries.length > 20) problems.push(`may hold at most 20 tags, got ${entries.length}`);
  for (const [key, value] of entries) {
    problems.push(...tagProblems(key, value));
    // A huge map must not make a huge message: the first few problems show what to fix.
    if (problems.length > MAX_LISTED) return [...problems.slice(0, MAX_LISTED), 'and more'];
  }
  return problems;
}

function checkTimeouts(v: unknown): string | undefined {
  if (!isSet(v) || isUnknown(v)) return undefined;
  if (!isMap(v)) return `must be an object like { create: "10m" }, got ${quote(v)}`;
  for (const [k, d] of Object.entries(v)) {
    if (!['create', 'update', 'delete'].includes(k)) return `has an unknown key ${quote(k)} (allowed: create, update, delete)`;
    if (isSet(d) && !isUnknown(d) && parseDuration(d) === undefined)
      return `.${k} must be a duration like "90s", "10m" or "1h", got ${quote(d)}`;
  }
  return undefined;
}

/** Numbers that arrive as strings (YAML programs, config) become numbers once, here. */
function normalizeNumber(v: unknown): unknown {
  return typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v;
}

function sortedTags(tags: unknown): Record<string, string> {
  if (!isSet(tags)) return {};
  if (!isMap(tags)) return tags as Record<string, string>;
  return sortedByKey(Object.entries(tags));
}

function unknownArguments(raw: Record<string, unknown>): CheckFailure[] {
  const unknown = Object.keys(raw).filter((k) => !KNOWN_KEYS.has(k));
  // A short plain key is named as is; a long or odd one by its bounded quote.
  const name = (key: string): string => (charCount(key) <= QUOTE_CHARS && !unicodeProblem(key) ? key : quote(key));
  const failures = unknown.slice(0, MAX_LISTED).map((key) => ({
    property: name(key),
    reason: `${name(key)} is not a CenFlowlog argument (known: ${[...KNOWN_KEYS].join(', ')})`,
  }));
  if (unknown.length > MAX_LISTED) {
    const next = name(unknown[MAX_LISTED]);
    failures.push({ property: next, reason: `${next} and ${unknown.length - MAX_LISTED - 1} more are not CenFlowlog arguments either` });
  }
  return failures;
}

/**
 * Validates and normalises `news`. `defaultRegion` is the stack's `alicloud:region`
 * (or ALIBABA_CLOUD_REGION_ID) as the provider process sees it.
 */
export function checkInputs(news: Record<string, unknown>, defaultRegion?: string): CheckOutcome {
  // Null prototype: an own `__proto__` key is a key like any other, and nothing is inherited.
  const raw: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(news ?? {})) if (isSet(v) && !IGNORED_KEYS.has(k)) raw[k] = v;
  if (!isSet(raw.regionId) && defaultRegion) raw.regionId = defaultRegion;
  raw.interval = normalizeNumber(raw.interval);
  if (!isSet(raw.interval)) delete raw.interval;
  for (const field of BLANK_MEANS_UNSET) if (raw[field] === '') delete raw[field];

  const failures = unknownArguments(raw);
  for (const [key, rule] of Object.entries(RULES) as [keyof FlowlogInputs, Rule][]) {
    const value = raw[key];
    if (isUnknown(value)) continue;
    const reason = (typeof value === 'string' ? unicodeProblem(value) : undefined) ?? rule(value);
    if (reason) failures.push({ property: key, reason: `${key} ${reason}` });
  }
  const tagList = checkTags(raw.tags);
  if (tagList.length > 0) failures.push({ property: 'tags', reason: `tags: ${tagList.join('; ')}` });
  const timeoutProblem = checkTimeouts(raw.timeouts);
  if (timeoutProblem) failures.push({ property: 'timeouts', reason: `timeouts ${timeoutProblem}` });

  const inputs = { ...raw, tags: sortedTags(raw.tags), status: raw.status ?? DEFAULT_STATUS } as NormalizedInputs;
  return { inputs, failures };
}
