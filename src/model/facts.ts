/**
 * Facts of the CEN flow-log service that the provider's input checks rely on
 * and the emulator models. They belong to the model; this file imports
 * nothing, so the emulator reads them without loading any of the provider.
 */

/**
 * Log fields seen in CEN flow-log documentation (the last five are unverified for
 * transit routers).
 */
export const LOG_FIELDS = [
  'version',
  'account-id',
  'cen-id',
  'attachment-id',
  'src-region-id',
  'dst-region-id',
  'srcaddr',
  'srcport',
  'dstaddr',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'direction',
  'tcp-flags',
  'log-status',
  'action',
] as const;

/** A custom LogFormatString must start with these fields. */
export const LOG_FORMAT_PREFIX = '${srcaddr}${dstaddr}${bytes}';

/**
 * System tags: keys the platform puts on a flow log itself (`acs:…`, `aliyun…`), which users
 * can neither set nor remove. They are matched as the Terraform provider matches them
 * (`^aliyun`, `^acs:`, `^http://`, `^https://`), without regard to case, as check() refuses
 * them: a key a program can never declare is a key it must never untag.
 */
const SYSTEM_TAG_KEY = /^(aliyun|acs:|https?:\/\/)/i;

/** Whether `key` is a system tag's: never read into outputs, never diffed, never tagged or untagged. */
export const isSystemTagKey = (key: string): boolean => SYSTEM_TAG_KEY.test(key);
