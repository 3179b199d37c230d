/**
 * Text as the service sees it: lengths in characters (Unicode code points, so an
 * emoji or a CJK ideograph is one), well-formed Unicode only, and values quoted
 * in messages by a bounded prefix. Pure.
 */

/** A failure message quotes at most this many characters of a value. */
export const QUOTE_CHARS = 64;

/** Length in characters (code points), as the service counts it. */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The first `max` characters of `s` (never splitting a surrogate pair), and how many characters `s` has. */
function head(s: string, max: number): { head: string; total: number } {
  let total = 0;
  let end = 0;
  for (const c of s) {
    if (total < max) end += c.length;
    total++;
  }
  return { head: s.slice(0, end), total };
}

/**
 * Why `s` cannot be sent, or undefined: a lone UTF-16 surrogate has no UTF-8 form,
 * so no request can carry it (encodeURIComponent throws "URI malformed").
 */
export function unicodeProblem(s: string): string | undefined {
  let at = 0;
  for (const c of s) {
    const unit = c.charCodeAt(0);
    if (c.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      return `must be valid Unicode text, but character ${at + 1} is a lone UTF-16 surrogate (U+${unit.toString(16).toUpperCase()})`;
    }
    at++;
  }
  return undefined;
}

function asText(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/**
 * `v` for a message: JSON (so a lone surrogate shows as `\udXXX`), cut after
 * QUOTE_CHARS characters with the full length said: 1 MiB in is not 1 MiB out.
 */
export function quote(v: unknown): string {
  if (typeof v === 'string') {
    const { head: h, total } = head(v, QUOTE_CHARS);
    return total <= QUOTE_CHARS ? JSON.stringify(v) : `${JSON.stringify(h)}…(${total} characters)`;
  }
  const t = asText(v);
  const { head: h, total } = head(t, QUOTE_CHARS);
  return total <= QUOTE_CHARS ? t : `${h}…(${total} characters)`;
}
