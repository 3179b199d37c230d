/** Fault injection: scripted failures, latency, connection resets, dropped responses, stuck statuses. */
import type { FaultControls } from './types';
import { ApiError } from './errors';

type DropMode = 'reset' | 'hang';
interface Failure {
  code: string;
  statusCode: number;
  message?: string;
}

/** What to do to one call before it is performed. */
export interface Plan {
  latencyMs: number;
  fail?: ApiError;
  reset: boolean;
}

/** A counted queue per action name ('*' = any action). */
class Queues<T> {
  private readonly byAction = new Map<string, Array<{ left: number; value: T }>>();

  add(action: string, count: number, value: T): void {
    const queue = this.byAction.get(action) ?? [];
    queue.push({ left: count, value });
    this.byAction.set(action, queue);
  }

  take(action: string): T | undefined {
    for (const key of [action, '*']) {
      const queue = this.byAction.get(key);
      const head = queue?.[0];
      if (!queue || !head) continue;
      if (--head.left <= 0) queue.shift();
      return head.value;
    }
    return undefined;
  }

  clear(): void {
    this.byAction.clear();
  }
}

function check(action: unknown, count: unknown): void {
  if (typeof action !== 'string' || action === '') throw new TypeError('Expected `action` to be an action name or "*"');
  if (!Number.isInteger(count) || (count as number) < 1)
    throw new TypeError(`Expected \`count\` to be a positive integer, got ${String(count)}`);
}

export interface StickTarget {
  stick(flowLogId: string, status: string | undefined): void;
  unstick(flowLogId: string): void;
  unstickAll(): void;
}

export class Faults implements FaultControls {
  private readonly failures = new Queues<Failure>();
  private readonly resets = new Queues<true>();
  private readonly drops = new Queues<DropMode>();
  private readonly latencies = new Map<string, number>();

  constructor(private readonly target: StickTarget) {}

  failNext(action: string, count: number, code: string, statusCode: number, message?: string): void {
    check(action, count);
    if (typeof code !== 'string' || code === '') throw new TypeError('Expected `code` to be a non-empty string');
    if (!Number.isInteger(statusCode) || statusCode < 400 || statusCode > 599) {
      throw new TypeError(`Expected \`statusCode\` to be 400-599, got ${String(statusCode)}`);
    }
    this.failures.add(action, count, { code, statusCode, message });
  }

  latency(action: string, ms: number): void {
    check(action, 1);
    if (!Number.isFinite(ms) || ms < 0) throw new TypeError(`Expected \`ms\` to be >= 0, got ${String(ms)}`);
    if (ms === 0) this.latencies.delete(action);
    else this.latencies.set(action, ms);
  }

  resetConnection(action: string, count: number): void {
    check(action, count);
    this.resets.add(action, count, true);
  }

  dropResponse(action: string, count: number, mode: DropMode = 'reset'): void {
    check(action, count);
    if (mode !== 'reset' && mode !== 'hang') throw new TypeError(`Expected \`mode\` to be reset or hang, got ${String(mode)}`);
    this.drops.add(action, count, mode);
  }

  stick(flowLogId: string, status?: string): void {
    this.target.stick(flowLogId, status);
  }

  unstick(flowLogId: string): void {
    this.target.unstick(flowLogId);
  }

  /** Drop every pending fault and latency, and release every stuck flow log. */
  clear(): void {
    this.target.unstickAll();
    this.failures.clear();
    this.resets.clear();
    this.drops.clear();
    this.latencies.clear();
  }

  /** Consume the faults that apply to this call before it runs. */
  before(action: string): Plan {
    const latencyMs = this.latencies.get(action) ?? this.latencies.get('*') ?? 0;
    if (this.resets.take(action)) return { latencyMs, reset: true };
    const f = this.failures.take(action);
    const fail = f ? new ApiError(f.code, undefined, f.statusCode, f.message ?? `Injected fault: ${f.code}.`) : undefined;
    return { latencyMs, fail, reset: false };
  }

  /** How to lose the answer of a call that was performed, if at all. */
  drop(action: string): DropMode | undefined {
    return this.drops.take(action);
  }
}
