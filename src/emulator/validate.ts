/** Input rules of the CEN flow-log API (from the CreateFlowlog seed pages), as pure checks. */
import type { ApiTag } from './types';
import { ApiError, missing } from './errors';
import { LOG_FIELDS, LOG_FORMAT_PREFIX as REQUIRED_LOG_PREFIX } from '../model/facts';

export { LOG_FIELDS };

export type Params = Record<string, string>;

/** What the service logs when LogFormatString is not given: every field. */
export const DEFAULT_LOG_FORMAT = LOG_FIELDS.map((f) => `\${${f}}`).join('');
const KNOWN_FIELDS = new Set<string>(LOG_FIELDS);

export function required(params: Params, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw missing(name);
  return value;
}

const startsWithUrl = (s: string): boolean => /^https?:\/\//i.test(s);

/** FlowLogName (1–128) and Description (1–256): no http(s):// prefix. Empty means unset. */
export function checkText(name: 'FlowLogName' | 'Description', value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const max = name === 'FlowLogName' ? 128 : 256;
  if ([...value].length > max) throw new ApiError(`InvalidParameter.${name}`, `${name} must be at most ${max} characters.`);
  if (startsWithUrl(value)) throw new ApiError(`InvalidParameter.${name}`, `${name} must not start with http:// or https://.`);
  return value;
}

export function checkProjectName(value: string): string {
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(value)) {
    throw new ApiError(
      'InvalidParameter.ProjectName',
      `"${value}" must be 3-63 characters of a-z, 0-9 and -, starting and ending with a letter or digit.`,
    );
  }
  return value;
}

export function checkLogStoreName(value: string): string {
  if (!/^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/.test(value)) {
    throw new ApiError(
      'InvalidParameter.LogStoreName',
      `"${value}" must be 3-63 characters of a-z, 0-9, _ and -, starting and ending with a letter or digit.`,
    );
  }
  return value;
}

export function checkInterval(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (value !== '60' && value !== '600') {
    throw new ApiError('InvalidParameter.Interval', `Expected Interval to be 60 or 600, got ${value}.`);
  }
  return Number(value);
}

/** A given LogFormatString, checked; none gives the default the emulator was told to model. */
export function checkLogFormat(value: string | undefined, whenUnset: 'fill' | 'empty' = 'fill'): string {
  if (value === undefined || value === '') return whenUnset === 'fill' ? DEFAULT_LOG_FORMAT : '';
  const bad = (why: string): ApiError => new ApiError('InvalidParameter.LogFormatString', why);
  if (!/^(\$\{[^${}]+\})+$/.test(value)) throw bad('The format is ${field1}${field2}...');
  if (!value.startsWith(REQUIRED_LOG_PREFIX)) throw bad(`It must start with ${REQUIRED_LOG_PREFIX}.`);
  const fields = value.slice(2, -1).split('}${');
  const seen = new Set<string>();
  for (const f of fields) {
    if (!KNOWN_FIELDS.has(f)) throw bad(`Unknown field \${${f}}.`);
    if (seen.has(f)) throw bad(`Field \${${f}} appears twice.`);
    seen.add(f);
  }
  return value;
}

function indexed(params: Params, prefix: string): number[] {
  const re = new RegExp(`^${prefix.replace('.', '\\.')}\\.(\\d+)(\\.|$)`);
  const found = new Set<number>();
  for (const key of Object.keys(params)) {
    const m = re.exec(key);
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

/** `ResourceId.1`, `TagKey.1`, … in index order. */
export function list(params: Params, prefix: string): string[] {
  return indexed(params, prefix).map((i) => params[`${prefix}.${i}`] ?? '');
}

function checkTagPart(kind: 'TagKey' | 'TagValue', value: string): void {
  const max = kind === 'TagKey' ? 64 : 128;
  const code = `InvalidParameter.${kind}`;
  if (kind === 'TagKey' && value === '') throw new ApiError(code, 'A tag key must not be empty.');
  if ([...value].length > max) throw new ApiError(code, `"${value.slice(0, 20)}…" is longer than ${max} characters.`);
  if (/^(aliyun|acs:)/i.test(value)) throw new ApiError(code, `"${value}" must not start with aliyun or acs:.`);
  if (/https?:\/\//i.test(value)) throw new ApiError(code, `"${value}" must not contain http:// or https://.`);
}

/** `Tag.N.Key` / `Tag.N.Value`: at most 20, keys unique, each part per the rules. */
export function checkTags(params: Params, opts: { validate: boolean } = { validate: true }): ApiTag[] {
  const tags: ApiTag[] = indexed(params, 'Tag').map((i) => ({
    Key: params[`Tag.${i}.Key`] ?? '',
    Value: params[`Tag.${i}.Value`] ?? '',
  }));
  if (!opts.validate) return tags;
  if (tags.length > 20) throw new ApiError('InvalidParameter.TagNum', `At most 20 tags, got ${tags.length}.`);
  const keys = new Set<string>();
  for (const tag of tags) {
    checkTagPart('TagKey', tag.Key);
    checkTagPart('TagValue', tag.Value);
    if (keys.has(tag.Key)) throw new ApiError('InvalidParameter.TagKey', `Tag key "${tag.Key}" is given twice.`);
    keys.add(tag.Key);
  }
  return tags;
}

/**
 * A boolean parameter, read case-insensitively as the service does: Go, Java and JavaScript send
 * `true`/`false`, Python sends `True`/`False`. Absent or empty is `dflt`; anything else is refused,
 * so a misspelt value never turns into a silent no-op.
 */
export function checkBoolean(params: Params, name: string, dflt: boolean): boolean {
  const raw = params[name];
  if (raw === undefined || raw === '') return dflt;
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new ApiError(`InvalidParameter.${name}`, `Expected ${name} to be true or false, got ${JSON.stringify(raw.slice(0, 100))}.`);
}

export function checkPositiveInt(params: Params, name: string, dflt: number, max: number): number {
  const raw = params[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max) {
    throw new ApiError(`InvalidParameter.${name}`, `Expected ${name} to be an integer from 1 to ${max}, got ${raw}.`);
  }
  return n;
}
