/**
 * What a preview shows of a create or an in-place update before it runs: every
 * output that the operation cannot change is known. Pure: no I/O.
 */
import { diffFlowlog, fieldOf } from './diff';
import { UNKNOWN } from './check';
import { withoutUnset } from './records';
import { SERVICE_DEFAULTED_FIELDS, type FlowlogOutputs, type NormalizedInputs } from './model';

/** Outputs only the service knows: unknown until the flow log exists. */
const COMPUTED = ['flowLogId', 'creationTime', 'flowLogVersion'] as const satisfies readonly Exclude<
  keyof FlowlogOutputs,
  keyof NormalizedInputs
>[];

/** A create: the declared inputs, with what the service fills in unknown. */
export function previewCreate(news: NormalizedInputs): Record<string, unknown> {
  const defaulted = Object.fromEntries(SERVICE_DEFAULTED_FIELDS.filter((f) => fieldOf(news, f) === undefined).map((f) => [f, UNKNOWN]));
  return { ...withoutUnset(news), ...defaulted, ...Object.fromEntries(COMPUTED.map((f) => [f, UNKNOWN])) };
}

/**
 * An in-place update: the recorded outputs, with each changed field taking its
 * declared value (unknown stays unknown). The id, creation time and every
 * unchanged field stay as recorded, so whatever references them shows no change.
 */
export function previewUpdate(olds: FlowlogOutputs, news: NormalizedInputs): Record<string, unknown> {
  const { updates } = diffFlowlog(olds, news);
  const changed = Object.fromEntries(updates.map((f) => [f, fieldOf(news, f) ?? null]));
  return withoutUnset({ ...olds, timeouts: news.timeouts, adopt: news.adopt, ...changed });
}
