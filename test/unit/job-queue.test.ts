/**
 * The job queue caps concurrent answers and keeps one thread's answers in order. Jobs here finish
 * only when the test resolves them (deferred promises), so every interleaving is chosen, not timed.
 */
import { describe, expect, it } from 'vitest';
import { KeyedJobQueue } from '../../src/conversation/job-queue.ts';

// ---- small factories -------------------------------------------------------

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run (setImmediate fires after the microtask queue drains). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A queue whose jobs are controlled by name and which records what happens. */
function harness(concurrency: number) {
  const errors: unknown[] = [];
  const events: string[] = [];
  const gates = new Map<string, Deferred>();
  let running = 0;
  let maxRunning = 0;
  const queue = new KeyedJobQueue({ concurrency, onError: (error) => errors.push(error) });

  /** Queues a job under `key` that runs until `finish(name)` or `fail(name)`. */
  function push(key: string, name: string): void {
    const gate = deferred();
    gates.set(name, gate);
    queue.push(key, async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      events.push(`start ${name}`);
      try {
        await gate.promise;
        events.push(`end ${name}`);
      } finally {
        running -= 1;
      }
    });
  }

  function gate(name: string): Deferred {
    const found = gates.get(name);
    if (!found) throw new Error(`no job named ${name}`);
    return found;
  }

  async function finish(...names: string[]): Promise<void> {
    for (const name of names) gate(name).resolve();
    await settle();
  }

  async function fail(name: string, error: unknown): Promise<void> {
    gate(name).reject(error);
    await settle();
  }

  const started = () => events.filter((event) => event.startsWith('start ')).map((event) => event.slice(6));

  return {
    queue,
    push,
    finish,
    fail,
    errors,
    events,
    started,
    running: () => running,
    maxRunning: () => maxRunning,
  };
}

// ---- concurrency ---------------------------------------------------------------

describe('KeyedJobQueue concurrency', () => {
  it('never runs more than `concurrency` jobs at once', async () => {
    const h = harness(2);
    for (const name of ['a', 'b', 'c', 'd', 'e']) h.push(name, name);
    await settle();

    expect(h.started()).toEqual(['a', 'b']);

    await h.finish('a');
    expect(h.started()).toEqual(['a', 'b', 'c']);
    expect(h.running()).toBe(2);

    await h.finish('b', 'c');
    expect(h.started()).toEqual(['a', 'b', 'c', 'd', 'e']);

    await h.finish('d', 'e');
    expect(h.maxRunning()).toBe(2);
    expect(h.running()).toBe(0);
  });

  it('starts jobs of different keys in parallel up to the cap', async () => {
    const h = harness(3);
    h.push('thread-a', 'a');
    h.push('thread-b', 'b');
    h.push('thread-c', 'c');
    await settle();

    expect(h.started()).toEqual(['a', 'b', 'c']);
    expect(h.running()).toBe(3);
  });

  it('starts jobs of different keys in the order they were pushed', async () => {
    const h = harness(1);
    for (const name of ['x', 'y', 'z']) h.push(name, name);

    await h.finish('x');
    await h.finish('y');
    await h.finish('z');

    expect(h.events).toEqual(['start x', 'end x', 'start y', 'end y', 'start z', 'end z']);
  });

  it('does not let a job waiting behind its key take a slot from another key', async () => {
    const h = harness(2);
    h.push('thread-a', 'a1');
    h.push('thread-a', 'a2');
    h.push('thread-b', 'b1');
    await settle();

    expect(h.started()).toEqual(['a1', 'b1']);
  });
});

// ---- ordering within a key ---------------------------------------------------------

describe('KeyedJobQueue ordering per key', () => {
  it('runs jobs with the same key one at a time, in the order they were pushed', async () => {
    const h = harness(5);
    h.push('thread', 'first');
    h.push('thread', 'second');
    h.push('thread', 'third');
    await settle();

    expect(h.started()).toEqual(['first']);

    await h.finish('first');
    expect(h.started()).toEqual(['first', 'second']);

    await h.finish('second');
    await h.finish('third');
    expect(h.events).toEqual(['start first', 'end first', 'start second', 'end second', 'start third', 'end third']);
    expect(h.maxRunning()).toBe(1);
  });

  it('keeps each key in order while different keys interleave', async () => {
    const h = harness(4);
    h.push('a', 'a1');
    h.push('b', 'b1');
    h.push('a', 'a2');
    h.push('b', 'b2');
    await settle();

    expect(h.started()).toEqual(['a1', 'b1']);

    await h.finish('b1');
    expect(h.started()).toEqual(['a1', 'b1', 'b2']);

    await h.finish('a1');
    expect(h.started()).toEqual(['a1', 'b1', 'b2', 'a2']);
  });

  it('runs a job pushed for a key after that key went idle', async () => {
    const h = harness(1);
    h.push('thread', 'early');
    await h.finish('early');

    h.push('thread', 'late');
    await settle();

    expect(h.started()).toEqual(['early', 'late']);
  });
});

// ---- failures --------------------------------------------------------------------

describe('KeyedJobQueue failures', () => {
  it('reports a rejected job to onError and goes on with the next job of its key', async () => {
    const h = harness(1);
    const failure = new Error('LLM exploded');
    h.push('thread', 'broken');
    h.push('thread', 'next');
    await settle();

    await h.fail('broken', failure);

    expect(h.errors).toEqual([failure]);
    expect(h.started()).toEqual(['broken', 'next']);
  });

  it('frees the concurrency slot of a rejected job', async () => {
    const h = harness(1);
    h.push('a', 'broken');
    h.push('b', 'other');

    await h.fail('broken', new Error('boom'));

    expect(h.started()).toEqual(['broken', 'other']);
  });

  it('reports a job that throws synchronously instead of rejecting, and does not block its key', async () => {
    const errors: unknown[] = [];
    const queue = new KeyedJobQueue({ concurrency: 1, onError: (error) => errors.push(error) });
    const failure = new Error('thrown before returning a promise');
    const ran: string[] = [];

    expect(() =>
      queue.push('thread', () => {
        throw failure;
      }),
    ).not.toThrow();
    queue.push('thread', async () => {
      ran.push('next');
    });
    await queue.onIdle();

    expect(errors).toEqual([failure]);
    expect(ran).toEqual(['next']);
  });
});

// ---- idleness ----------------------------------------------------------------------

describe('KeyedJobQueue onIdle and size', () => {
  it('resolves onIdle at once when nothing was queued', async () => {
    const queue = new KeyedJobQueue({ concurrency: 1, onError: () => undefined });

    await expect(queue.onIdle()).resolves.toBeUndefined();
    expect(queue.size).toBe(0);
  });

  it('resolves onIdle only after every running and queued job finished', async () => {
    const h = harness(1);
    h.push('a', 'a1');
    h.push('a', 'a2');
    h.push('b', 'b1');
    let idle = false;
    const idlePromise = h.queue.onIdle().then(() => {
      idle = true;
    });

    await h.finish('a1');
    expect(idle).toBe(false);
    await h.finish('b1');
    expect(idle).toBe(false);
    await h.finish('a2');
    await idlePromise;

    expect(idle).toBe(true);
    expect(h.events.filter((event) => event.startsWith('end '))).toHaveLength(3);
  });

  it('resolves onIdle when the last job failed', async () => {
    const h = harness(1);
    h.push('a', 'only');
    const idlePromise = h.queue.onIdle();

    await h.fail('only', new Error('boom'));

    await expect(idlePromise).resolves.toBeUndefined();
  });

  it('resolves every waiter of onIdle', async () => {
    const h = harness(2);
    h.push('a', 'a1');
    const waiters = [h.queue.onIdle(), h.queue.onIdle()];

    await h.finish('a1');

    await expect(Promise.all(waiters)).resolves.toEqual([undefined, undefined]);
  });

  it('counts running and waiting jobs in size', async () => {
    const h = harness(1);
    h.push('a', 'a1');
    h.push('a', 'a2');
    h.push('b', 'b1');
    await settle();

    expect(h.queue.size).toBe(3);
    await h.finish('a1');
    expect(h.queue.size).toBe(2);
    await h.finish('b1', 'a2');
    expect(h.queue.size).toBe(0);
  });

  it('waits for jobs pushed by a running job', async () => {
    const queue = new KeyedJobQueue({ concurrency: 2, onError: () => undefined });
    const ran: string[] = [];
    queue.push('a', async () => {
      ran.push('parent');
      queue.push('b', async () => {
        ran.push('child');
      });
    });

    await queue.onIdle();

    expect(ran).toEqual(['parent', 'child']);
  });
});

describe('KeyedJobQueue.close', () => {
  /** A queue of one slot running 'a' (held until `release`) with `waiting` jobs queued behind it, then closed. */
  function closedWhileBusy(waiting: [key: string, name: string][]) {
    const started: string[] = [];
    let release!: () => void;
    const queue = new KeyedJobQueue({ concurrency: 1, onError: () => undefined });
    queue.push('a', async () => {
      started.push('a');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    for (const [key, name] of waiting) {
      queue.push(key, async () => {
        started.push(name);
      });
    }
    queue.close();
    return { queue, started, release: () => release() };
  }

  it('starts no waiting job after closing, and onIdle waits only for the running ones', async () => {
    const { queue, started, release } = closedWhileBusy([['b', 'b']]);
    const idle = queue.onIdle();
    release();
    await idle;
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a']);
    expect(queue.size).toBe(0);
  });

  it('starts the waiting jobs again, in order, after reopen', async () => {
    const { queue, started, release } = closedWhileBusy([
      ['b', 'b'],
      ['b', 'b2'],
    ]);
    const idle = queue.onIdle();
    release();
    await idle;
    expect(started).toEqual(['a']);

    queue.reopen();
    await queue.onIdle();
    expect(started).toEqual(['a', 'b', 'b2']);
  });
});
