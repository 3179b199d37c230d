/**
 * Validating a numeric option up front, with the message shape every option of the package uses:
 * ``Expected `maxDelayMs` to be a non-negative number, got -1``.
 */

/** What a numeric option must be; the message is built from it (`a positive integer`, `a positive number of milliseconds`). */
export interface NumberRule {
  sign: 'positive' | 'non-negative';
  integer?: boolean;
  /** What the number counts, for the message. */
  unit?: string;
}

/** `value`, or `fallback` when it is undefined; anything else that breaks `rule` throws a TypeError naming the option. */
export function numberOption(name: string, value: unknown, fallback: number, rule: NumberRule): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (rule.sign === 'positive' ? value <= 0 : value < 0) ||
    (rule.integer === true && !Number.isInteger(value))
  ) {
    const what = `a ${rule.sign} ${rule.integer ? 'integer' : 'number'}${rule.unit ? ` of ${rule.unit}` : ''}`;
    throw new TypeError(`Expected \`${name}\` to be ${what}, got ${String(value)}`);
  }
  return value;
}
