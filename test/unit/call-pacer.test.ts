/**
 * CallPacer spaces calls of one Slack method evenly; its waits are abortable.
 * Every test runs on vitest's fake clock: spacing is asserted as the exact
 * instants calls are released, never as wall-clock thresholds.
 */
import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallPacer, sleep } from '../../src/slack/call-pacer.ts';

const INTERVAL_MS = 1_000;

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

// ---- small factories -------------------------------------------------------

/** A pacer on the fake clock, and the fake-clock instants at which each take() resolved. */
function aPacer(intervalMs = INTERVAL_MS) {
  const pacer = new CallPacer(intervalMs, () => Date.now());
  const released: { call: string; at: number }[] = [];
  const take = (call: string, signal?: AbortSignal) =>
    pacer.take(signal).then(() => {
      released.push({ call, at: Date.now() });
    });
  return { pacer, released, take };
}

/** Resolves pending promises without moving the clock. */
const settle = () => vi.advanceTimersByTimeAsync(0);

/** The reason a promise rejected with (fails the test when it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (reason: unknown) => reason,
  );
}

// ---- behaviour -------------------------------------------------------------

describe('CallPacer', () => {
  it('lets the first call go at once and releases the queued ones one interval apart, in order', async () => {
    const { released, take } = aPacer();
    void take('a');
    void take('b');
    void take('c');

    await settle();
    expect(released).toEqual([{ call: 'a', at: 0 }]);

    await vi.advanceTimersByTimeAsync(INTERVAL_MS - 1);
    expect(released.map((entry) => entry.call)).toEqual(['a']);

    await vi.runAllTimersAsync();
    expect(released).toEqual([
      { call: 'a', at: 0 },
      { call: 'b', at: INTERVAL_MS },
      { call: 'c', at: 2 * INTERVAL_MS },
    ]);
  });

  it('does not save up idle time for a burst: after a pause the next two calls are still one interval apart', async () => {
    const { released, take } = aPacer();
    await take('before the pause');
    await vi.advanceTimersByTimeAsync(10 * INTERVAL_MS);

    void take('first after');
    void take('second after');
    await vi.runAllTimersAsync();

    expect(released.slice(1)).toEqual([
      { call: 'first after', at: 10 * INTERVAL_MS },
      { call: 'second after', at: 11 * INTERVAL_MS },
    ]);
  });

  it('lets a call go at once when its slot has already passed', async () => {
    const { released, take } = aPacer();
    await take('a');
    await vi.advanceTimersByTimeAsync(INTERVAL_MS + 250);

    void take('b');
    await settle();

    expect(released.at(-1)).toEqual({ call: 'b', at: INTERVAL_MS + 250 });
  });

  it('spaces calls by a minute divided by the calls allowed per minute', async () => {
    // perMinute reads the global clock, which the fake timers replace.
    const pacer = CallPacer.perMinute(50);
    const released: number[] = [];
    for (let call = 0; call < 3; call += 1) void pacer.take().then(() => released.push(Date.now()));

    await vi.runAllTimersAsync();

    expect(released).toEqual([0, 1_200, 2_400]);
  });

  it('rejects a waiting call with the abort reason when its signal aborts, and leaves no timer behind', async () => {
    const { take } = aPacer();
    await take('goes at once');
    const controller = new AbortController();
    const waiting = rejectionOf(take('waits', controller.signal));
    await settle();
    expect(vi.getTimerCount()).toBe(1);

    const reason = new Error('Pulse is shutting down');
    controller.abort(reason);

    expect(await waiting).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps the later callers\' slots when a waiting call between them is aborted', async () => {
    const { released, take } = aPacer();
    const controller = new AbortController();
    void take('a');
    const aborted = rejectionOf(take('b', controller.signal));
    void take('c');
    await settle();

    controller.abort(new Error('cancelled'));
    await aborted;
    await vi.runAllTimersAsync();

    // c keeps its own slot; b's cancelled slot is not given to anyone else.
    expect(released).toEqual([
      { call: 'a', at: 0 },
      { call: 'c', at: 2 * INTERVAL_MS },
    ]);
  });
});

describe('sleep', () => {
  it('resolves after the given time and not before', async () => {
    let done = false;
    void sleep(500).then(() => {
      done = true;
    });

    await vi.advanceTimersByTimeAsync(499);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });

  it('rejects at once with the reason when the signal is already aborted, starting no timer', async () => {
    const reason = new Error('already stopped');

    const rejection = rejectionOf(sleep(60_000, AbortSignal.abort(reason)));

    expect(vi.getTimerCount()).toBe(0);
    expect(await rejection).toBe(reason);
  });

  it('stops listening to the signal once it has resolved, so a long-lived signal does not collect listeners', async () => {
    const controller = new AbortController();
    const slept = sleep(100, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(100);
    await expect(slept).resolves.toBeUndefined();

    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    controller.abort(new Error('too late'));
    await expect(slept).resolves.toBeUndefined();
  });
});
