/** The request log and per-action call counts that tests and benchmarks read. */
import type { RequestLogEntry } from './types';

const MAX_ENTRIES = 10_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private counts = new Map<string, number>();

  /** Count a call that reached the action layer (faulted ones included). */
  count(action: string): void {
    this.counts.set(action, (this.counts.get(action) ?? 0) + 1);
  }

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
    // Trim in batches so recording stays O(1) amortised.
    if (this.entries.length > 2 * MAX_ENTRIES) this.entries = this.entries.slice(-MAX_ENTRIES);
  }

  list(): RequestLogEntry[] {
    return this.entries.slice(-MAX_ENTRIES).map((e) => ({ ...e, params: { ...e.params } }));
  }

  callCounts(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset(): void {
    this.entries = [];
    this.counts = new Map();
  }
}
