import { getEventListeners } from 'node:events';
import { pollUntil, type PollOptions } from '../../src/waiting/poller';
import { FakeClock } from '../fixtures/fake-clock';

const DEADLINE_MS = 60_000;
const GAP_MS = 1000;

/** A wait whose reads come back on the fake clock when due; done at the `doneAt`-th read. */
function waitOn(clock: FakeClock, read: (dueAt: number) => Promise<number>, extra: Partial<PollOptions<number, number>> = {}) {
  return pollUntil<number, number>({
    read,
    accept: (n) => (n >= 5 ? { state: 'done', result: n } : { state: 'pending' }),
    transient: () => false,
    gap: () => GAP_MS,
    deadline: clock.now() + DEADLINE_MS,
    onTimeout: ({ waitedMs }) => new Error(`timed out after ${waitedMs} ms`),
    clock,
    ...extra,
  });
}

describe('pollUntil', () => {
  it('keeps one deadline timer for the whole wait, not one per read', async () => {
    const clock = new FakeClock();
    let reads = 0;
    const read = (dueAt: number) => clock.sleep(dueAt - clock.now()).then(() => ++reads);
    await expect(waitOn(clock, read)).resolves.toBe(5);
    expect(reads).toBe(5);
    // The reads' own sleeps are a gap long; anything longer is a deadline timer.
    expect(clock.sleeps.filter((ms) => ms > GAP_MS)).toEqual([DEADLINE_MS]);
  });

  it('still ends a read that never answers at the deadline', async () => {
    const clock = new FakeClock();
    const never = () => new Promise<number>(() => undefined);
    await expect(waitOn(clock, never)).rejects.toThrow(`timed out after ${DEADLINE_MS} ms`);
    expect(clock.elapsed()).toBe(DEADLINE_MS);
  });

  it('still ends a read in flight with the cancel reason', async () => {
    const clock = new FakeClock();
    const cancel = new AbortController();
    let reads = 0;
    const read = (dueAt: number) => {
      if (++reads === 1) return clock.sleep(dueAt - clock.now()).then(() => 1);
      void clock.sleep(GAP_MS).then(() => cancel.abort(new Error('cancelled by the engine')));
      return new Promise<number>(() => undefined);
    };
    await expect(waitOn(clock, read, { signal: cancel.signal })).rejects.toThrow('cancelled by the engine');
    expect(clock.elapsed()).toBe(2 * GAP_MS);
  });

  it('adds no listener to a cancel signal many waits share (Node warns past 10)', async () => {
    const clock = new FakeClock();
    const cancel = new AbortController();
    const read = (dueAt: number) => clock.sleep(dueAt - clock.now()).then(() => 5);
    const waits = Array.from({ length: 20 }, () => waitOn(clock, read, { signal: cancel.signal }));
    expect(getEventListeners(cancel.signal, 'abort')).toHaveLength(0);
    await expect(Promise.all(waits)).resolves.toEqual(Array(20).fill(5));
  });
});
