import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCoalescingThrottle, type CoalescingThrottle } from '../../src/slack/reply/answer-writers/coalescing-throttle.ts';

const INTERVAL_MS = 400;

/** The fake clock's monotonic time; vi.useFakeTimers replaces the global `performance`, not node:perf_hooks' one. */
let fakeClock: { now(): number };

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  fakeClock = globalThis.performance;
  // The throttle reads node:perf_hooks' performance, so it is pointed at the fake clock.
  vi.spyOn(performance, 'now').mockImplementation(() => fakeClock.now());
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

// ---- small factories -------------------------------------------------------

interface Run {
  /** When the run started, on the fake monotonic clock. */
  at: number;
  /** The newest value when it started: what a redraw would send. */
  value: string;
  /** Ends a run whose task was told to wait for the test. */
  finish(): void;
  fail(error: Error): void;
}

interface Scene {
  throttle: CoalescingThrottle;
  runs: Run[];
  /** Most runs ever in flight at once. */
  maxConcurrent: () => number;
  /** A new value arrives and a redraw is asked for, as a model token does. */
  ask(value: string): void;
}

/**
 * A throttle around a task that records each run. By default a run takes
 * `taskMs` on the fake clock; with `manual`, it lasts until the test ends it.
 */
function throttled(options: { taskMs?: number; manual?: boolean; intervalMs?: number } = {}): Scene {
  const runs: Run[] = [];
  let latest = '';
  let inFlight = 0;
  let maxInFlight = 0;
  const task = async (): Promise<void> => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await new Promise<void>((resolve, reject) => {
        runs.push({ at: fakeClock.now(), value: latest, finish: resolve, fail: reject });
        if (!options.manual) setTimeout(resolve, options.taskMs ?? 0);
      });
    } finally {
      inFlight -= 1;
    }
  };
  const throttle = createCoalescingThrottle(options.intervalMs ?? INTERVAL_MS, task);
  return {
    throttle,
    runs,
    maxConcurrent: () => maxInFlight,
    ask(value) {
      latest = value;
      throttle.request();
    },
  };
}

/** Moves the fake clock on, running due timers and the promise callbacks they release. */
async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

/** Whether `promise` has settled once pending callbacks have run. */
async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await advance(0);
  return settled;
}

function startsOf(runs: readonly Run[]): number[] {
  return runs.map((run) => run.at);
}

// ---- requests ------------------------------------------------------------------

describe('createCoalescingThrottle', () => {
  it('runs the first request at once', () => {
    const scene = throttled();
    scene.ask('Dep');
    expect(scene.runs.map((run) => [run.at, run.value])).toEqual([[0, 'Dep']]);
  });

  it('coalesces the requests made while it waits into one run with the newest value', async () => {
    const scene = throttled({ taskMs: 20 });
    scene.ask('Dep');
    for (const [at, value] of [
      [50, 'Deploys'],
      [120, 'Deploys rose'],
      [390, 'Deploys rose 12%'],
    ] as const) {
      await advance(at - fakeClock.now());
      scene.ask(value);
    }
    await advance(INTERVAL_MS - fakeClock.now() - 1);
    expect(scene.runs).toHaveLength(1);

    await advance(1);
    expect(scene.runs.map((run) => [run.at, run.value])).toEqual([
      [0, 'Dep'],
      [400, 'Deploys rose 12%'],
    ]);
  });

  it('starts consecutive runs at least the interval apart, however often it is asked', async () => {
    const scene = throttled({ taskMs: 30 });
    for (let token = 0; token < 300; token += 1) {
      scene.ask(`token ${token}`);
      await advance(7);
    }
    await advance(INTERVAL_MS);

    const starts = startsOf(scene.runs);
    const gaps = starts.slice(1).map((at, index) => at - (starts[index] as number));
    expect(gaps.every((gap) => gap >= INTERVAL_MS)).toBe(true);
    // Asked without pause, it runs as often as allowed: no run is lost to coalescing.
    expect(gaps.every((gap) => gap < INTERVAL_MS + 7)).toBe(true);
    expect(scene.runs.at(-1)?.value).toBe('token 299');
  });

  it('never overlaps runs: one slower than the interval holds the next back until it ends', async () => {
    const scene = throttled({ taskMs: 1_000 });
    for (let token = 0; token < 100; token += 1) {
      scene.ask(`token ${token}`);
      await advance(25);
    }
    await advance(2_000);

    expect(scene.maxConcurrent()).toBe(1);
    expect(startsOf(scene.runs)).toEqual([0, 1_000, 2_000, 3_000]);
    expect(scene.runs.at(-1)?.value).toBe('token 99');
  });

  it('spaces runs start to start: a request during a short run waits out the rest of the interval, not a whole one', async () => {
    const scene = throttled({ taskMs: 300 });
    scene.ask('a');
    await advance(100);
    scene.ask('b');
    await advance(299);
    expect(scene.runs).toHaveLength(1);

    await advance(1);
    expect(startsOf(scene.runs)).toEqual([0, 400]);
  });

  it('runs again at once when asked after a pause longer than the interval', async () => {
    const scene = throttled({ taskMs: 10 });
    scene.ask('a');
    await advance(1_000);
    scene.ask('b');
    expect(startsOf(scene.runs)).toEqual([0, 1_000]);
  });

  it('runs no more than asked: one request, one run', async () => {
    const scene = throttled({ taskMs: 10 });
    scene.ask('a');
    await advance(5_000);
    expect(scene.runs).toHaveLength(1);
  });

  it('keeps its spacing when the wall clock jumps, since it measures on the monotonic clock', async () => {
    const scene = throttled({ taskMs: 10 });
    scene.ask('a');
    await advance(100);
    // An NTP correction moves the wall clock an hour on: the next run still waits for the interval.
    vi.setSystemTime(Date.now() + 3_600_000);
    scene.ask('b');
    expect(scene.runs).toHaveLength(1);

    await advance(300);
    expect(startsOf(scene.runs)).toEqual([0, 400]);
  });

  it('keeps working after a run fails, without an unhandled rejection', async () => {
    const scene = throttled({ manual: true });
    scene.ask('a');
    scene.runs[0]?.fail(new Error('Slack said no'));
    await advance(INTERVAL_MS);

    scene.ask('b');
    expect(scene.runs.map((run) => run.value)).toEqual(['a', 'b']);
  });

  it('runs a request made during a run once that run ends, if the interval has passed', async () => {
    const scene = throttled({ manual: true });
    scene.ask('a');
    await advance(500);
    scene.ask('b');
    scene.ask('c');
    expect(scene.runs).toHaveLength(1);

    scene.runs[0]?.finish();
    await advance(0);
    expect(scene.runs.map((run) => [run.at, run.value])).toEqual([
      [0, 'a'],
      [500, 'c'],
    ]);
  });

  // ---- settle ------------------------------------------------------------------

  describe('settle()', () => {
    it('resolves at once when nothing is running', async () => {
      const scene = throttled();
      expect(await hasSettled(scene.throttle.settle())).toBe(true);
    });

    it('cancels a waiting run instead of flushing it', async () => {
      const scene = throttled({ taskMs: 10 });
      scene.ask('a');
      await advance(100);
      scene.ask('b');

      await scene.throttle.settle();
      await advance(5_000);
      expect(scene.runs.map((run) => run.value)).toEqual(['a']);
    });

    it('refuses requests made after it', async () => {
      const scene = throttled({ taskMs: 10 });
      await scene.throttle.settle();
      scene.ask('a');
      await advance(5_000);
      expect(scene.runs).toEqual([]);
    });

    it('resolves only once the run in flight has ended, and drops the requests made during it', async () => {
      const scene = throttled({ manual: true });
      scene.ask('a');
      await advance(500);
      scene.ask('b');

      const settling = scene.throttle.settle();
      expect(await hasSettled(settling)).toBe(false);

      scene.runs[0]?.finish();
      expect(await hasSettled(settling)).toBe(true);
      await advance(5_000);
      expect(scene.runs.map((run) => run.value)).toEqual(['a']);
    });

    it('resolves, without rejecting, when the run in flight fails', async () => {
      const scene = throttled({ manual: true });
      scene.ask('a');
      const settling = scene.throttle.settle();
      scene.runs[0]?.fail(new Error('Slack said no'));
      await expect(settling).resolves.toBeUndefined();
    });
  });
});
