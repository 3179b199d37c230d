/** Go-style durations for our `timeouts` input: "90s", "10m", "1h30m", "500ms". */
import { DEFAULT_TIMEOUT_MS, FlowlogTimeouts } from './model';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or undefined when `value` is not a positive duration. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(value)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of value.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) total += Number(amount) * UNIT_MS[unit];
  return total > 0 ? total : undefined;
}

/** The time budget of one operation, from the resource's `timeouts` or the default. */
export function timeoutMs(timeouts: FlowlogTimeouts | undefined, op: keyof FlowlogTimeouts): number {
  return parseDuration(timeouts?.[op]) ?? DEFAULT_TIMEOUT_MS;
}
