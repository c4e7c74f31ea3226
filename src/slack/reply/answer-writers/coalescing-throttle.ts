/**
 * Live answers redraw on every model token, but Slack must see at most one
 * call per interval. Requests coalesce: the next run reads the newest state,
 * so there is never a backlog, and runs never overlap, so Slack sees the
 * writes in order.
 */
import { performance } from 'node:perf_hooks';

export interface CoalescingThrottle {
  /** Asks for a run: now, once the interval since the last start has passed, or after the run in flight. */
  request(): void;
  /** Cancels any waiting run, refuses later requests, and resolves once the run in flight has ended. */
  settle(): Promise<void>;
}

/** `task` must handle its own errors; one that escapes is dropped so the throttle keeps working. */
export function createCoalescingThrottle(intervalMs: number, task: () => Promise<void>): CoalescingThrottle {
  let lastStart = Number.NEGATIVE_INFINITY;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wanted = false;
  let settled = false;

  const runWhenAllowed = (): void => {
    timer = undefined;
    if (settled || running || !wanted) return;
    // Measured start to start on a monotonic clock: wall-clock jumps must not burst or stall updates.
    const wait = lastStart + intervalMs - performance.now();
    if (wait > 0) {
      timer = setTimeout(runWhenAllowed, wait);
      return;
    }
    wanted = false;
    lastStart = performance.now();
    running = task()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
        if (wanted) runWhenAllowed();
      });
  };

  return {
    request() {
      if (settled) return;
      wanted = true;
      if (!timer && !running) runWhenAllowed();
    },
    async settle() {
      settled = true;
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
