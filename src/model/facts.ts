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
